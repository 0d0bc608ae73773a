"""A network brought up to date by what changed, as :func:`~graph.network.build_network`
would build it from the new dataset, without building it again.

A server holds the national network (767,179 units) and a 1,000-row import changes a
thousand records: building the network again takes tens of seconds, patching it takes
milliseconds. :func:`patch_network` returns a new network that shares every untouched
node's and edge's dictionaries with the old one (which requests may still be reading, so
it is never modified) and has new ones for what changed:

- each changed unit's node, its place among its parent's children, and a new node order
  when units were added (nodes iterate in id order, as after a build);
- the edges between the ends of each changed pairing, the neighbours of those ends in the
  order a build gives (by their first pairing id), and the keys in pairing id order;
- the sides of every unit whose roles may have changed and of the units below it that
  inherit them (:mod:`graph.roles`);
- the flows.

Its indexes (:mod:`graph.index`), when first asked for, are derived from those of the
network before (:mod:`graph.index_patch`), when it had any.

The result is equal to the built network, down to the order of nodes, neighbours and
keys, so that every analysis iterates the same way and breaks ties the same way
(``tests/graph/test_incremental.py`` compares them after random imports, replaces and
reverts). None when the change is one a build treats specially (a pairing whose end is
no unit, a removed unit that still has pairings): build the network then.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Mapping
from typing import Any

import networkx as nx

from .index_patch import IndexChange, depth, derive_later
from .model import Dataset, Pairing, Side, Unit
from .roles import NO_SIDE, display_side

__all__ = ["patch_network"]

_Adjacency = dict[str, dict[str, dict[str, dict[str, Any]]]]


def patch_network(
    G: nx.MultiDiGraph[str],
    after: Dataset,
    units: Mapping[str, tuple[Unit | None, Unit | None]],
    pairings: Mapping[str, tuple[Pairing | None, Pairing | None]],
) -> nx.MultiDiGraph[str] | None:
    """The network of ``after``, from ``G`` (the network before) and the units and
    pairings that changed (id → the record before and after, None when absent); None when
    only a build gives it (see the module docstring). ``G`` is not modified."""
    old_node, old_succ, old_pred = _parts(G)
    node: dict[str, dict[str, Any]] = dict(old_node)
    succ: _Adjacency = dict(old_succ)
    pred: _Adjacency = dict(old_pred)
    children: dict[str, list[str]] = dict(G.graph["children"])
    changed = _patch_units(node, succ, pred, children, units)
    ends = _patch_edges(old_succ, node, succ, pred, pairings)
    if ends is None:
        return None
    for unit_id, (_, unit) in units.items():
        if unit is None and unit_id in node:
            if succ[unit_id] or pred[unit_id]:
                return None  # a removed unit with pairings: a build keeps a bare node for them
            del node[unit_id], succ[unit_id], pred[unit_id]
            changed.update(children.get(unit_id, ()))  # its children inherit no side from it now
    if any(previous is None and unit is not None for previous, unit in units.values()):
        # Units were added: nodes in id order, as a build adds them.
        node = {u.id: node[u.id] for u in after.units}
        succ = {i: succ[i] for i in node}
        pred = {i: pred[i] for i in node}
    resided = _update_sides(node, succ, pred, children, changed | ends)
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    # A new graph, none of its views made yet: its dictionaries can be set outright.
    vars(H).update(_node=node, _adj=succ, _succ=succ, _pred=pred)
    H.graph.update(children=children, flows=list(after.flows))
    derive_later(H, G, IndexChange.of(H, units, pairings, resided))
    return H


def _parts(G: nx.MultiDiGraph[str]) -> tuple[dict[str, dict[str, Any]], _Adjacency, _Adjacency]:
    """networkx's own dictionaries of ``G``: its nodes, their successors and predecessors."""
    parts = vars(G)
    return parts["_node"], parts["_succ"], parts["_pred"]


def _patch_units(
    node: dict[str, dict[str, Any]],
    succ: _Adjacency,
    pred: _Adjacency,
    children: dict[str, list[str]],
    units: Mapping[str, tuple[Unit | None, Unit | None]],
) -> set[str]:
    """Give each changed unit its node and its place among its parent's children; the ids
    of the units whose sides may have changed."""
    changed = set()
    for unit_id, (previous, unit) in units.items():
        old_parent = previous.parent_id if previous is not None else None
        new_parent = unit.parent_id if unit is not None else None
        if old_parent is not None and old_parent != new_parent:
            kept = [c for c in children.get(old_parent, ()) if c != unit_id]
            if kept:
                children[old_parent] = kept
            else:
                children.pop(old_parent, None)
        if new_parent is not None and old_parent != new_parent:
            placed = list(children.get(new_parent, ()))
            insort(placed, unit_id)  # children in id order, as a build lists them
            children[new_parent] = placed
        if unit is None:
            continue
        if unit_id not in node:
            succ[unit_id], pred[unit_id] = {}, {}
        node[unit_id] = {
            "unit": unit,
            "kind": unit.kind,
            "name": unit.name,
            "sides": NO_SIDE,
            "side": None,
            "parent_id": unit.parent_id,
        }
        changed.add(unit_id)
    return changed


def _patch_edges(
    old_succ: _Adjacency,
    node: dict[str, dict[str, Any]],
    succ: _Adjacency,
    pred: _Adjacency,
    pairings: Mapping[str, tuple[Pairing | None, Pairing | None]],
) -> set[str] | None:
    """Give the ends of each changed pairing their edges, in a build's order; the ends'
    ids, or None when an end is no unit."""
    between: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for record in (r for both in pairings.values() for r in both if r is not None):
        pair = (record.helper_id, record.helped_id)
        if pair not in between:
            kept = old_succ.get(pair[0], {}).get(pair[1], {})
            between[pair] = {key: data for key, data in kept.items() if key not in pairings}
    for _, pairing in pairings.values():
        if pairing is not None:
            if pairing.helper_id not in node or pairing.helped_id not in node:
                return None
            between[(pairing.helper_id, pairing.helped_id)][pairing.id] = {"pairing": pairing, "level": pairing.level}
    # One keyed dictionary per pair, shared by the helper's successors and the helped's
    # predecessors (as networkx keeps them); keys in pairing id order, as a build adds them.
    updates: dict[int, dict[str, dict[str, Any]]] = {id(succ): {}, id(pred): {}}
    for (helper, helped), keyed in between.items():
        keys = dict(sorted(keyed.items())) if keyed else None
        updates[id(succ)].setdefault(helper, {})[helped] = keys
        updates[id(pred)].setdefault(helped, {})[helper] = keys
    for adjacency in (succ, pred):
        for here, neighbours in updates[id(adjacency)].items():
            merged = {**adjacency.get(here, {}), **neighbours}
            # Neighbours in the order of their first pairing, as a build adds them.
            adjacency[here] = dict(
                sorted(((n, k) for n, k in merged.items() if k is not None), key=lambda item: next(iter(item[1])))
            )
    return {end for pair in between for end in pair}


def _update_sides(
    node: dict[str, dict[str, Any]],
    succ: _Adjacency,
    pred: _Adjacency,
    children: dict[str, list[str]],
    changed: set[str],
) -> set[str]:
    """The sides of the units in ``changed`` and of those below them that inherit them,
    found as :func:`graph.roles.unit_sides` finds them: parents first, so that what a unit
    inherits is final when it is read. Returns the ids of the units whose node was made again."""

    done: set[str] = set()
    for top in sorted((i for i in changed if i in node), key=lambda unit_id: depth(node, unit_id)):
        stack = [top]
        while stack:
            unit_id = stack.pop()
            if unit_id in done:
                continue
            data = node[unit_id]
            unit: Unit = data["unit"]
            roles = {side for side, edges in ((Side.HELPER, succ), (Side.HELPED, pred)) if edges[unit_id]}
            if roles:
                sides = frozenset(roles)
            elif unit.side is not None:
                sides = frozenset({unit.side})
            else:
                parent = unit.parent_id
                sides = node[parent]["sides"] if parent is not None and parent in node else NO_SIDE
            if sides != data["sides"] or unit_id in changed:
                node[unit_id] = {**data, "sides": sides, "side": display_side(sides, unit.side)}
            else:
                continue  # the same sides as before: the units below inherit what they had
            done.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return done
