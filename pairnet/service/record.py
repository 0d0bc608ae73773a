"""One record in full, as ``pairnet show`` prints it: a unit with its parents and its
pairings, or a pairing with both of its units named, its agreement and its note (where the
sample keeps the article's F18 leads and F19 assessment dimensions).

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> data = Dataset(units=(Unit(id="e", kind="county", name="张家港市", side="helper"),
...     Unit(id="w", kind="county", name="沿河土家族自治县", side="helped")),
...     pairings=(Pairing(id="p", helper_id="e", helped_id="w", level="government", agreement="框架协议"),))
>>> found = record(build_network(data), data, "p")
>>> found["record"], found["fields"]["agreement"], [row["helped"] for row in found["pairings"]]
('pairing', '框架协议', ['沿河土家族自治县'])
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from typing_extensions import TypedDict

from pairnet.graph.model import Dataset
from pairnet.graph.targets import Hierarchy, resolve_unit

from .listings import named_pairings, pairings

__all__ = ["Record", "record"]


class Record(TypedDict):
    """``record`` (``unit`` or ``pairing``), its ``fields`` as stored (the unit's with its
    ``parents``) and the ``pairings`` it is about, with both sides named."""

    record: str
    fields: dict[str, Any]
    pairings: list[dict[str, Any]]


def record(G: nx.MultiDiGraph[str], dataset: Dataset, reference: str) -> Record:
    """The pairing whose id is ``reference``, else the unit it names (id, division code,
    name or name path); an unknown reference raises :class:`~graph.errors.NotFound`."""
    pairing = next((p for p in dataset.pairings if p.id == reference), None)
    if pairing is not None:
        return {
            "record": "pairing",
            "fields": pairing.model_dump(mode="json", exclude={"source"}),
            "pairings": named_pairings(G, [pairing]),
        }
    unit_id = resolve_unit(G, reference)
    unit = G.nodes[unit_id]["unit"]
    fields = {**unit.model_dump(mode="json", exclude={"source"}), "parents": Hierarchy(G).path(unit_id)}
    return {"record": "unit", "fields": fields, "pairings": named_pairings(G, pairings(dataset, unit=unit_id))}
