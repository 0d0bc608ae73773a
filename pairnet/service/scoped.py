"""The network a question needs: the scoped part of the store for a question about places,
the whole network otherwise.

A planner asking about one county should not wait for a national store to be read. When
every place a question names (``--county``, ``--within``, a helper root, a withdrawing
helper...) is a unit id or a division code, the places are found with indexed look-ups and
only their part of the store is read (:meth:`Store.snapshot` with ``scope``); the analyses
answer on it exactly as on the whole network. A place written as a name (``沿河县``,
``沿河土家族自治县/中界镇``) is resolved against the whole network, since names are
resolved by comparing them with every unit's, and so is a question naming no place.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit
>>> from pairnet.store import open_store
>>> store = open_store(":memory:")
>>> _ = store.write(Dataset(units=(
...     Unit(id="520627", code="520627", kind="county", name="沿河土家族自治县", side="helped"),
...     Unit(id="320582", code="320582", kind="county", name="张家港市", side="helper"))), source="doc")
>>> G, resolve = network_for(store, "520627000000")
>>> sorted(G), resolve("520627000000")
(['520627'], '520627')
>>> sorted(network_for(store, "沿河县")[0])
['320582', '520627']
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from pairnet.graph.network import build_network
from pairnet.graph.targets import resolve_unit
from pairnet.loaders.names import code_keys
from pairnet.store.store import Store

from .question import Resolver

__all__ = ["network_for", "place_ids"]


def place_ids(store: Store, refs: Iterable[str]) -> dict[str, str] | None:
    """The unit id of each of ``refs`` when every one is a unit id or a division code the
    store holds (found as :func:`graph.targets.resolve_unit` would find it), else None."""
    candidates = {ref: (ref.strip(), *code_keys(ref.strip())[1:]) for ref in refs}
    known = {u.id for u in store.units({key for keys in candidates.values() for key in keys})}
    found: dict[str, str] = {}
    for ref, keys in candidates.items():
        hit = next((key for key in keys if key in known), None)
        if hit is None:
            return None
        found[ref] = hit
    return found


def network_for(store: Store, *places: str | None) -> tuple[nx.MultiDiGraph[str], Resolver]:
    """The network for a question about ``places`` (the references a person gave; None for
    a setting left out) and the resolver to pass to :func:`~pairnet.service.question` and
    :func:`~pairnet.service.unit_id`.

    The scoped network when at least one place is given and every one is an id or a code;
    the whole network otherwise.
    """
    given = [ref for ref in places if ref]
    found = place_ids(store, given) if given else None
    if found is None:
        G = build_network(store.snapshot())
        return G, lambda ref: resolve_unit(G, ref)
    G = build_network(store.snapshot(scope=set(found.values())))
    return G, lambda ref: found[ref] if ref in found else resolve_unit(G, ref)
