"""Indexes of a network, built on first use and kept for the network's lifetime.

Every analysis asks the same questions of a network: which units are of these kinds, on
this side, of this poverty status? which pairings are active on this date? what is this
unit's parent on that date? Answering them by scanning every node and edge of a national
network (about a million units) on each call is what made an analysis cost seconds. A
network is a snapshot (:func:`graph.network.build_network` builds a new one for every
store version and nothing changes it afterwards), so what is derived from it stays valid
as long as it lives: :func:`network_index` builds the indexes once, with one pass over
the nodes and one over the edges, and keeps them beside the network.

The indexes live in a weak-keyed table rather than in ``G.graph``: ``G.copy()`` shares the
``G.graph`` values, so a copy that is then changed would inherit indexes of the original;
and they go when the network goes. A network patched from another
(:func:`graph.incremental.patch_network`) gets its indexes derived from the other's and
what changed (:mod:`graph.index_patch`), on first use too: a server's first answer after
a write then costs what the write changed, not a pass over the whole network.

Examples
--------
>>> import datetime as dt
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(
...     Unit(id="e", kind="village", name="善港村", side="helper"),
...     Unit(id="a", kind="village", name="高峰村", side="helped", poverty="deeply_poor"),
...     Unit(id="b", kind="village", name="某村", side="helped", poverty="poor")), pairings=(
...     Pairing(id="p", helper_id="e", helped_id="a", level="village", end=dt.date(2020, 12, 31)),)))
>>> index = network_index(G)
>>> index is network_index(G), index.select(kinds={"village"}, sides={"helped"})
(True, ['a', 'b'])
>>> [p.id for _, _, p in index.active(as_of=dt.date(2020, 6, 30))], index.active(as_of=dt.date(2021, 1, 1))
(['p'], ())
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from functools import cached_property
from heapq import merge
from itertools import islice
from operator import lt
from typing import Any, TypeVar, cast

import networkx as nx

from .model import Kind, Level, Pairing, Poverty, Side, Unit
from .roles import NO_SIDE, unit_sides

__all__ = ["Edge", "Group", "NetworkIndex", "built_index", "expect_index", "helper_range", "network_index"]

Edge = tuple[str, str, Pairing]
#: What units are grouped by: kind, sides, poverty.
Group = tuple[Kind, frozenset[Side], Poverty | None]

_indexes: weakref.WeakKeyDictionary[nx.MultiDiGraph[str], NetworkIndex] = weakref.WeakKeyDictionary()
# How the indexes of a network not yet indexed are to be built, when not from scratch.
_builders: weakref.WeakKeyDictionary[nx.MultiDiGraph[str], Callable[[nx.MultiDiGraph[str]], NetworkIndex]] = (
    weakref.WeakKeyDictionary()
)
_Answer = TypeVar("_Answer")
_building = threading.Lock()


def network_index(G: nx.MultiDiGraph[str]) -> NetworkIndex:
    """The indexes of ``G``, built on the first call and the same object after that.

    >>> from pairnet.graph.network import build_network
    >>> from pairnet.graph.model import Dataset
    >>> G = build_network(Dataset())
    >>> network_index(G).ids
    []
    """
    index = _indexes.get(G)
    if index is None:
        # One build per network even when many requests of a server ask at once.
        with _building:
            index = _indexes.get(G)
            if index is None:
                build = _builders.pop(G, NetworkIndex)
                index = _indexes[G] = build(G)
    return index


def expect_index(G: nx.MultiDiGraph[str], build: Callable[[nx.MultiDiGraph[str]], NetworkIndex]) -> None:
    """Let ``build(G)`` make the indexes of ``G`` when they are first asked for (instead of
    a pass over the whole network); ``build`` must not hold ``G`` itself."""
    with _building:
        if G not in _indexes:
            _builders[G] = build


def built_index(G: nx.MultiDiGraph[str]) -> NetworkIndex | None:
    """The indexes of ``G`` if they are built or can be derived (see :func:`expect_index`),
    else None: a network nobody asked about is not indexed for nothing."""
    return _indexes.get(G) or (network_index(G) if G in _builders else None)


class NetworkIndex:
    """What analyses look up in a network, built in one pass over its nodes and edges.

    Attributes
    ----------
    nodes : the network's node view (``nodes[id]["unit"]`` is the unit).
    ids : the unit ids in node order.
    edges : every pairing as ``(helper_id, helped_id, pairing)``, in edge order.
    with_successors : the ids of the units that list successors, sorted.
    in_id_order : whether the ids are sorted (as in a network built from a snapshot); only
        then can the indexes of a patched network be derived from these.

    Answers that depend on settings (a date, levels) are kept in a small table of recent
    answers (:meth:`cached`), so a server that asks the same question again pays nothing.
    """

    #: how many dated answers (a date's hierarchy, a date's active pairings) are kept
    max_answers = 16

    def __init__(self, G: nx.MultiDiGraph[str]):
        # The node view, not the network: the index must not keep the network alive.
        self.nodes = G.nodes
        self.ids: list[str] = list(G)
        self.with_successors: list[str] = []
        self._dated: set[str] = set()
        # Positions, not ids, so that a selection of several groups merges in node order.
        groups: dict[Group, array[int]] = defaultdict(lambda: array("l"))
        nodes = G.nodes
        for position, node in enumerate(self.ids):
            data = nodes[node]
            unit: Unit = data["unit"]
            groups[(unit.kind, data["sides"], unit.poverty)].append(position)
            if unit.successor_ids:
                self.with_successors.append(node)
            if unit.valid_from is not None or unit.valid_to is not None:
                self._dated.add(node)
        self._groups = dict(groups)
        self.with_successors.sort()
        self.in_id_order = all(map(lt, self.ids, islice(self.ids, 1, None)))
        # The same edges, in the same order, as G.edges(data="pairing"), without the
        # view's per-edge generator layers (most of a million nodes have no edges).
        self.edges: list[Edge] = [
            (helper, helped, data["pairing"])
            for helper, partners in G.adjacency()
            if partners
            for helped, keyed in partners.items()
            for data in keyed.values()
        ]
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        # Answers of the network this one was patched from, to derive this one's from
        # (see graph.index_patch); each is taken once.
        self.bases: dict[Hashable, Any] = {}
        self.changed_pairings: frozenset[str] = frozenset()
        self.changed_helpers: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    @cached_property
    def incident(self) -> dict[str, list[Edge]]:
        """Unit id → the pairings it takes part in (as helper or helped)."""
        found: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            found[edge[0]].append(edge)
            if edge[1] != edge[0]:
                found[edge[1]].append(edge)
        return dict(found)

    def select(
        self,
        *,
        kinds: Collection[object] | None = None,
        sides: Collection[object] | None = None,
        poverties: Collection[object] | None = None,
        program: str | None = None,
    ) -> list[str]:
        """The ids of the units of any of ``kinds``, on any of ``sides`` (in ``program``,
        see :meth:`sides`) and of any of ``poverties`` (None: any), in node order."""
        by_program = sides is not None and program is not None
        chosen = [
            positions
            for (kind, unit_sides, poverty), positions in self._groups.items()
            if (kinds is None or kind in kinds)
            and (sides is None or by_program or not unit_sides.isdisjoint(sides))
            and (poverties is None or poverty in poverties)
        ]
        ids = self.ids
        found = [ids[position] for position in merge(*chosen)]
        if by_program:
            assert sides is not None
            in_program = self.sides(program)
            found = [n for n in found if not in_program.get(n, NO_SIDE).isdisjoint(sides)]
        return found

    def sides(self, program: str | None = None) -> Mapping[str, frozenset[Side]]:
        """Unit id → the unit's sides in ``program`` (every program if None): the roles
        its pairings give it, else its hint, else its parent's (see :mod:`graph.roles`)."""
        if program is None:
            return _NodeSides(self)
        return self.cached(("sides", program), lambda: self._sides_in(program))

    def _sides_in(self, program: str) -> dict[str, frozenset[Side]]:
        with self._lock:
            derive: Callable[[NetworkIndex], dict[str, frozenset[Side]]] | None = self.bases.pop(
                ("sides", program), None
            )
        if derive is not None:  # from the answer of the network this one was patched from
            return derive(self)
        return unit_sides((self.nodes[n]["unit"] for n in self.ids), (p for _, _, p in self.edges), program=program)

    def helps(self, unit_id: str, program: str | None = None) -> bool:
        """Whether ``unit_id`` is on the helper side in ``program`` (in any if None)."""
        return Side.HELPER in self.sides(program).get(unit_id, NO_SIDE)

    def active(self, *, as_of: dt.date | None = None, levels: frozenset[Level] | None = None) -> tuple[Edge, ...]:
        """The pairings at ``levels`` (all if None) active on ``as_of`` whose two units are
        valid on that date (any date if None), in edge order."""
        return self.cached(("active", as_of, levels), lambda: self._active(as_of, levels))

    def _active(self, as_of: dt.date | None, levels: frozenset[Level] | None) -> tuple[Edge, ...]:
        invalid = self.invalid(as_of)

        def counts(edge: Edge) -> bool:
            return (
                (levels is None or edge[2].level in levels)
                and edge[2].active_on(as_of)
                and edge[0] not in invalid
                and edge[1] not in invalid
            )

        with self._lock:
            base: tuple[Edge, ...] | None = self.bases.pop(("active", as_of, levels), None)
        if base is None:
            return tuple(edge for edge in self.edges if counts(edge))
        # The network this one was patched from had the answer, and the units' dates are
        # the same: only the changed helpers' part of it (edges in helper id order) changes.
        active: list[Edge] = []
        start = 0
        changed = self.changed_pairings
        for helper in sorted(self.changed_helpers):
            low, high = helper_range(base, helper, start)
            active.extend(base[start:low])
            kept = {id(edge[2]) for edge in base[low:high]}
            now = slice(*helper_range(self.edges, helper))
            active.extend(
                edge for edge in self.edges[now] if (counts(edge) if edge[2].id in changed else id(edge[2]) in kept)
            )
            start = high
        active.extend(base[start:])
        return tuple(active)

    def invalid(self, as_of: dt.date | None) -> frozenset[str]:
        """The ids of the units not valid on ``as_of`` (none if None): only units with
        dates can be, and they are few."""
        if as_of is None:
            return frozenset()
        nodes = self.nodes
        return self.cached(
            ("invalid", as_of), lambda: frozenset(n for n in self._dated if not nodes[n]["unit"].valid_on(as_of))
        )

    def kept(self) -> list[tuple[Hashable, Any]]:
        """The answers kept (key, answer), oldest first."""
        with self._lock:
            return list(self._answers.items())

    def keep(self, key: Hashable, answer: Any) -> None:
        """Keep ``answer`` under ``key`` (an answer still right for this network)."""
        with self._lock:
            self._answers[key] = answer

    def cached(self, key: Hashable, build: Callable[[], _Answer]) -> _Answer:
        """The answer kept under ``key``, or ``build()``'s, kept among the recent ones."""
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return cast(_Answer, self._answers[key])  # kept by an earlier build under this key
        answer = build()
        with self._lock:
            answer = self._answers.setdefault(key, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.max_answers:
                self._answers.popitem(last=False)
        return cast(_Answer, answer)


def helper_range(edges: Sequence[Edge], helper: str, start: int = 0) -> tuple[int, int]:
    """Where the pairings of ``helper`` are in ``edges`` (sorted by helper, from ``start``)."""
    low = bisect_left(edges, helper, lo=start, key=_helper)
    return low, bisect_right(edges, helper, lo=low, key=_helper)


def _helper(edge: Edge) -> str:
    return edge[0]


class _NodeSides(Mapping[str, frozenset[Side]]):
    """Unit id → its sides in every program, read from the nodes (nothing to build)."""

    def __init__(self, index: NetworkIndex):
        self._index = index

    def __getitem__(self, unit_id: str) -> frozenset[Side]:
        sides: frozenset[Side] = self._index.nodes[unit_id]["sides"]
        return sides

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.ids)

    def __len__(self) -> int:
        return len(self._index.ids)
