"""The NetworkX network built from a dataset, and the small walks every analysis needs.

The network is a :class:`networkx.MultiDiGraph`: one node per unit (keyed by unit id,
with the unit's fields as attributes and the record itself under ``"unit"``), one edge
per pairing from helper to helped (keyed by pairing id, the record under ``"pairing"``).
Each node also has its ``sides`` (the roles its pairings give it, see :mod:`graph.roles`)
and ``side``, the one of them to draw or count it under (None: on no side).
The hierarchy is kept beside the edges, not among them, so that pairing edges are the
only edges: ``G.graph["children"]`` maps a unit id to its children's ids, and each node
has its ``parent_id``. Flows are in ``G.graph["flows"]``.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> G = build_network(Dataset(
...     units=(Unit(id="c", kind="county", name="沿河", side="helped"),
...            Unit(id="t", kind="township", name="中界镇", side="helped", parent_id="c"),
...            Unit(id="e", kind="township", name="杨舍镇", side="helper")),
...     pairings=(Pairing(id="p", helper_id="e", helped_id="t", level="township"),)))
>>> parent_chain(G, "t")
['c']
>>> sorted(units_under(G, "c", kind="township"))
['t']
>>> [p.id for p in active_pairings(G, "t")]
['p']
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

import networkx as nx

from .model import Dataset, Flow, Kind, Level, Pairing, Unit, level_set
from .roles import display_side, unit_sides

__all__ = [
    "active_pairings",
    "build_network",
    "flows",
    "parent_chain",
    "unit",
    "units_under",
    "valid_units",
]


def build_network(dataset: Dataset) -> nx.MultiDiGraph[str]:
    """Build the network of ``dataset`` (see the module docstring for its shape)."""
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    children: dict[str, list[str]] = defaultdict(list)
    # A unit's sides are its roles in the pairings (see graph.roles), found once here; "side"
    # is the one to draw or count it under.
    sides = unit_sides(dataset.units, dataset.pairings)
    G.add_nodes_from(
        (
            u.id,
            {
                "unit": u,
                "kind": u.kind,
                "name": u.name,
                "sides": sides[u.id],
                "side": display_side(sides[u.id], u.side),
                "parent_id": u.parent_id,
            },
        )
        for u in dataset.units
    )
    for u in dataset.units:
        if u.parent_id is not None:
            children[u.parent_id].append(u.id)
    for p in dataset.pairings:
        G.add_edge(p.helper_id, p.helped_id, p.id, pairing=p, level=p.level)
    G.graph["children"] = dict(children)
    G.graph["flows"] = list(dataset.flows)
    return G


def unit(G: nx.MultiDiGraph[str], unit_id: str) -> Unit:
    """The unit record of a node."""
    record: Unit = G.nodes[unit_id]["unit"]
    return record


def parent_chain(G: nx.MultiDiGraph[str], unit_id: str) -> list[str]:
    """The ids of the ancestors of ``unit_id``, nearest first."""
    chain = []
    node = G.nodes[unit_id]["parent_id"]
    while node is not None and node in G:
        chain.append(node)
        node = G.nodes[node]["parent_id"]
    return chain


def units_under(
    G: nx.MultiDiGraph[str],
    root: str | None,
    *,
    kind: Kind | str | None = None,
    as_of: dt.date | None = None,
) -> Iterator[str]:
    """The ids of the descendants of ``root`` (every unit if ``root`` is None), optionally
    only those of ``kind`` and valid on ``as_of``, in hierarchy order."""
    if root is None:
        candidates: Iterable[str] = G.nodes
    else:
        candidates = _descendants(G, root)
    kind = Kind(kind) if kind is not None else None
    for node in candidates:
        data = G.nodes[node]
        if kind is not None and data["kind"] != kind:
            continue
        if as_of is not None and not data["unit"].valid_on(as_of):
            continue
        yield node


def _descendants(G: nx.MultiDiGraph[str], root: str) -> Iterator[str]:
    children = G.graph["children"]
    stack = list(reversed(children.get(root, ())))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children.get(node, ())))


def valid_units(G: nx.MultiDiGraph[str], as_of: dt.date | None) -> Iterator[str]:
    """The ids of the units valid on ``as_of`` (all of them if ``as_of`` is None)."""
    return units_under(G, None, as_of=as_of)


def active_pairings(
    G: nx.MultiDiGraph[str],
    unit_id: str | None = None,
    *,
    as_of: dt.date | None = None,
    levels: Iterable[Level | str] | None = None,
) -> list[Pairing]:
    """Pairings active on ``as_of`` at any of ``levels``: of one unit (as helper or helped)
    or of the whole network, sorted by id. Both units must be valid on ``as_of`` too."""
    wanted = level_set(levels)
    edges: Iterable[tuple[str, str, str, Pairing]]
    if unit_id is None:
        edges = G.edges(keys=True, data="pairing")
    else:
        edges = [*G.out_edges(unit_id, keys=True, data="pairing"), *G.in_edges(unit_id, keys=True, data="pairing")]
    result = []
    for helper, helped, _key, pairing in edges:
        if wanted is not None and pairing.level not in wanted:
            continue
        if not pairing.active_on(as_of):
            continue
        if as_of is not None and not (
            G.nodes[helper]["unit"].valid_on(as_of) and G.nodes[helped]["unit"].valid_on(as_of)
        ):
            continue
        result.append(pairing)
    result.sort(key=lambda p: p.id)
    return result


def flows(G: nx.MultiDiGraph[str]) -> list[Flow]:
    """The flow records of the network."""
    records: list[Flow] = G.graph["flows"]
    return records
