"""The indexes of a patched network, derived from those of the network it was patched from.

A server's view is patched after every write (:func:`graph.incremental.patch_network`);
building its indexes (:mod:`graph.index`) again would be a pass over the whole network on
the first question after the write: seconds at national scale, for a write of a thousand
rows. :func:`derive_index` makes them from the previous network's indexes and the
:class:`IndexChange` instead:

- the node ids, and the groups of units by kind, sides and poverty (positions shifted
  where units were added or removed, the changed units moved between groups);
- the edges and each unit's pairings, only the changed helpers' and ends' parts made again;
- the answers that do not depend on what changed, kept as they are, when the write left
  the hierarchy as it was (no unit added under another, moved, renamed, re-dated...): the
  parents and chains found so far, the units not valid on a date, the units reached
  through a descendant (:mod:`graph.reach` derives a new covered set's from them);
- the active pairings of a date, from the previous answer and the changed pairings;
- the sides of the units in a program, from the previous answer: found again for the
  changed units and ends and the units below them that inherit their sides.

The derived indexes are the ones a build would make (``tests/graph/test_incremental.py``
compares them after random imports, replaces and reverts). Only networks whose nodes are
in id order (built from a snapshot) are derived; any other is indexed from scratch.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import islice
from operator import lt
from typing import Any

import networkx as nx

from .index import Edge, Group, NetworkIndex, built_index, expect_index, helper_range
from .model import Pairing, Side, Unit
from .roles import NO_SIDE

__all__ = ["IndexChange", "derive_later"]

# The unit fields the hierarchy on a date depends on (parents, validity, names in paths,
# kinds of ancestors): a change of any of them and cached walks are stale.
_HIERARCHY_FIELDS = ("parent_id", "valid_from", "valid_to", "successor_ids", "kind", "name")
# Answers that depend on the hierarchy and the units' dates only.
_KEPT_WHEN_SAME_HIERARCHY = frozenset({"hierarchy", "invalid", "reached-through"})


@dataclass(frozen=True)
class IndexChange:
    """What a patch changed, as the indexes see it.

    Attributes
    ----------
    nodes : the units whose node changed (record or sides), present after the patch.
    added, removed : the units added and removed.
    pairings : the ids of the pairings added, changed or removed.
    helpers, ends : the helpers, and both ends, of those pairings before and after.
    same_hierarchy : whether every parent, chain, validity and path is as it was.
    """

    nodes: frozenset[str]
    added: frozenset[str]
    removed: frozenset[str]
    pairings: frozenset[str]
    helpers: frozenset[str]
    ends: frozenset[str]
    same_hierarchy: bool

    @classmethod
    def of(
        cls,
        H: nx.MultiDiGraph[str],
        units: Mapping[str, tuple[Unit | None, Unit | None]],
        pairings: Mapping[str, tuple[Pairing | None, Pairing | None]],
        resided: Iterable[str],
    ) -> IndexChange:
        """The change from the records that changed (id → before, after) and the units
        whose sides were found again (``resided``), ``H`` being the patched network."""
        added = frozenset(i for i, (before, after) in units.items() if before is None and after is not None)
        removed = frozenset(i for i, (before, after) in units.items() if before is not None and after is None)
        records = [r for both in pairings.values() for r in both if r is not None]
        nodes = frozenset(i for i in (*units, *resided) if i in H)
        return cls(
            nodes=nodes,
            added=added,
            removed=removed,
            pairings=frozenset(pairings),
            helpers=frozenset(r.helper_id for r in records),
            ends=frozenset(end for r in records for end in (r.helper_id, r.helped_id)),
            same_hierarchy=_same_hierarchy(H, units, removed),
        )


def _same_hierarchy(
    H: nx.MultiDiGraph[str], units: Mapping[str, tuple[Unit | None, Unit | None]], removed: frozenset[str]
) -> bool:
    """Whether the units changed leave every unit's parent, chain and validity on every
    date as they were: edited units keep the hierarchy's fields; added ones are leaves
    without dates or successors that no unit names as its parent (nor as its successor:
    :func:`derive_index` checks that)."""
    if removed:
        return False
    children = H.graph["children"]
    for unit_id, (before, after) in units.items():
        assert after is not None
        if before is not None:
            if any(getattr(before, name) != getattr(after, name) for name in _HIERARCHY_FIELDS):
                return False
        elif after.valid_from is not None or after.valid_to is not None or after.successor_ids or unit_id in children:
            return False
    return True


def derive_later(H: nx.MultiDiGraph[str], G: nx.MultiDiGraph[str], change: IndexChange) -> None:
    """Let the indexes of ``H`` (patched from ``G`` by ``change``) be derived from those of
    ``G`` when first asked for; nothing when ``G`` has none (nobody asked about it)."""
    old = built_index(G)
    if old is not None and old.in_id_order:
        expect_index(H, lambda network: derive_index(network, old, change))


def derive_index(H: nx.MultiDiGraph[str], old: NetworkIndex, change: IndexChange) -> NetworkIndex:
    """The indexes of ``H``, from ``old`` (those of the network ``H`` was patched from) and
    ``change``, equal to ``NetworkIndex(H)``."""
    ids = list(H) if change.added or change.removed else old.ids
    if ids is not old.ids and not all(map(lt, ids, islice(ids, 1, None))):
        return NetworkIndex(H)
    index = NetworkIndex(nx.MultiDiGraph())  # the empty parts (answers, lock); this network's below
    index.nodes, index.ids, index.in_id_order = H.nodes, ids, True
    nodes = H.nodes
    touched = change.nodes | change.removed
    index.with_successors = sorted(
        {n for n in old.with_successors if n not in touched}
        | {n for n in change.nodes if nodes[n]["unit"].successor_ids}
    )
    index._dated = {n for n in old._dated if n not in touched} | {
        n for n in change.nodes if nodes[n]["unit"].valid_from is not None or nodes[n]["unit"].valid_to is not None
    }
    index._groups = _groups(old, ids, nodes, change)
    index.edges = _edges(old.edges, H, change.helpers)
    if "incident" in vars(old):  # built: derived too (else built when first asked for)
        vars(index)["incident"] = _incident(old.incident, H, change.ends)
    index.changed_pairings, index.changed_helpers = change.pairings, change.helpers
    # An added unit named as another's successor changes that one's place on some dates.
    named = {s for n in index.with_successors for s in nodes[n]["unit"].successor_ids}
    if change.same_hierarchy and named.isdisjoint(change.added):
        for key, answer in old.kept():
            if isinstance(key, tuple) and key[0] in _KEPT_WHEN_SAME_HIERARCHY:
                index.keep(key, answer)
            elif isinstance(key, tuple) and key[0] == "active":
                index.bases[key] = answer
    for key, answer in old.kept():
        if isinstance(key, tuple) and key[0] == "sides":
            index.bases[key] = partial(_program_sides, answer, change, H.graph["children"], key[1])
    return index


def depth(nodes: Mapping[str, Mapping[str, Any]], unit_id: str) -> int:
    """How many registered parents ``unit_id`` has above it (at most the number of units)."""
    n, parent = 0, nodes[unit_id]["parent_id"]
    while parent is not None and parent in nodes and n <= len(nodes):
        n, parent = n + 1, nodes[parent]["parent_id"]
    return n


def _program_sides(
    old: Mapping[str, frozenset[Side]],
    change: IndexChange,
    children: Mapping[str, list[str]],
    program: str,
    index: NetworkIndex,
) -> dict[str, frozenset[Side]]:
    """The sides of every unit in ``program`` (:func:`graph.roles.unit_sides`), from
    ``old``, the answer before ``change``: found again, parents first, for the units whose
    roles, hint or parent may have changed, and below each one whose sides changed."""
    nodes, incident = index.nodes, index.incident
    sides = dict(old)
    for unit_id in change.removed:
        sides.pop(unit_id, None)
    starts = set(change.nodes) | {end for end in change.ends if end in nodes}
    for unit_id in change.added | change.removed:  # their children find or lose a parent
        starts.update(child for child in children.get(unit_id, ()) if child in nodes)

    def found(unit_id: str) -> frozenset[Side]:
        roles: set[Side] = set()
        for helper, helped, pairing in incident.get(unit_id, ()):
            if pairing.program == program:
                roles.update(side for side, end in ((Side.HELPER, helper), (Side.HELPED, helped)) if end == unit_id)
        if roles:
            return frozenset(roles)
        unit: Unit = nodes[unit_id]["unit"]
        if unit.side is not None:
            return frozenset({unit.side})
        parent = unit.parent_id
        return sides.get(parent, NO_SIDE) if parent is not None and parent in nodes else NO_SIDE

    done: set[str] = set()
    for top in sorted(starts, key=lambda unit_id: depth(nodes, unit_id)):
        stack = [top]
        while stack:
            unit_id = stack.pop()
            if unit_id in done:
                continue
            done.add(unit_id)
            now = found(unit_id)
            if sides.get(unit_id) != now:
                sides[unit_id] = now
                stack.extend(child for child in children.get(unit_id, ()) if child in nodes)
    return sides


def _group(data: Mapping[str, Any]) -> Group:
    unit: Unit = data["unit"]
    return (unit.kind, data["sides"], unit.poverty)


def _groups(old: NetworkIndex, ids: list[str], nodes: Any, change: IndexChange) -> dict[Group, array[int]]:
    """The groups of units (positions in ``ids``): the old ones without the units that
    left them, shifted where units were added or removed, with the units that came."""
    leaving: dict[Group, list[int]] = {}
    coming: dict[Group, list[str]] = {}
    for n in change.nodes | change.removed:
        before = None if n in change.added else _group(old.nodes[n])
        after = _group(nodes[n]) if n in change.nodes else None
        if before != after:
            if before is not None:
                leaving.setdefault(before, []).append(bisect_left(old.ids, n))
            if after is not None:
                coming.setdefault(after, []).append(n)
    shift = _Shift(old.ids, change.added, change.removed) if ids is not old.ids else None
    groups: dict[Group, array[int]] = {}
    for key, positions in old._groups.items():
        kept = _without(positions, leaving[key]) if key in leaving else positions
        groups[key] = shift(kept) if shift is not None else kept
    for key, arriving in coming.items():
        groups[key] = _with(groups.get(key, array("l")), sorted(bisect_left(ids, n) for n in arriving))
    return {key: positions for key, positions in groups.items() if positions}


def _without(positions: array[int], gone: list[int]) -> array[int]:
    """``positions`` (sorted) without ``gone``: slices copied between them."""
    out, start = array("l"), 0
    for position in sorted(gone):
        at = bisect_left(positions, position, lo=start)
        out.extend(positions[start:at])
        start = at + 1
    out.extend(positions[start:])
    return out


def _with(positions: array[int], new: list[int]) -> array[int]:
    """``positions`` (sorted) with ``new`` (sorted) merged in."""
    out, start = array("l"), 0
    for position in new:
        at = bisect_left(positions, position, lo=start)
        out.extend(positions[start:at])
        out.append(position)
        start = at
    out.extend(positions[start:])
    return out


class _Shift:
    """Old positions → new ones, when units were added and removed (both id orders)."""

    def __init__(self, ids: list[str], added: frozenset[str], removed: frozenset[str]):
        self.inserted = sorted(bisect_left(ids, n) for n in added)
        self.removed = sorted(bisect_left(ids, n) for n in removed)
        # Between two consecutive breaks every position moves by the same amount.
        self.breaks = sorted({*self.inserted, *(r + 1 for r in self.removed)})

    def __call__(self, positions: array[int]) -> array[int]:
        out = array("l")
        start = 0
        for stop in [*(bisect_left(positions, b) for b in self.breaks), len(positions)]:
            if stop > start:
                first = positions[start]
                by = bisect_right(self.inserted, first) - bisect_left(self.removed, first)
                out.extend(map(by.__add__, positions[start:stop]) if by else positions[start:stop])
            start = max(start, stop)
        return out


def _edges(old: list[Edge], H: nx.MultiDiGraph[str], helpers: frozenset[str]) -> list[Edge]:
    """The edges of ``H`` in edge order (helpers in id order): the old list with each
    changed helper's part made again from ``H``."""
    edges: list[Edge] = []
    start = 0
    succ = vars(H)["_succ"]
    for helper in sorted(helpers):
        low, high = helper_range(old, helper, start)
        edges.extend(old[start:low])
        edges.extend(
            (helper, helped, data["pairing"])
            for helped, keyed in succ.get(helper, {}).items()
            for data in keyed.values()
        )
        start = high
    edges.extend(old[start:])
    return edges


def _incident(old: dict[str, list[Edge]], H: nx.MultiDiGraph[str], ends: frozenset[str]) -> dict[str, list[Edge]]:
    """Unit id → its pairings in edge order (helpers in id order): the old lists, those of
    ``ends`` made again from their neighbours in ``H``."""
    incident = dict(old)  # a copy, then the ends' lists: a comprehension over every unit costs more
    succ, pred = vars(H)["_succ"], vars(H)["_pred"]
    for unit in ends:
        if unit not in succ:  # removed
            incident.pop(unit, None)
            continue
        found: list[Edge] = []
        for helper in sorted({*pred[unit], unit}):
            if helper == unit:  # its own pairings as helper, a pairing with itself among them
                found.extend(
                    (unit, helped, data["pairing"]) for helped, keyed in succ[unit].items() for data in keyed.values()
                )
            else:
                found.extend((helper, unit, data["pairing"]) for data in pred[unit][helper].values())
        if found:
            incident[unit] = found
        else:
            incident.pop(unit, None)
    return incident
