"""The network as columns: its units and pairings as numpy arrays, by position.

A whole-network question (the coverage of every county, the gaps of a country) asks the
same few facts of every unit: its kind, sides, poverty, parent and dates. Walking a
million units one by one through dictionaries costs seconds; the same facts as arrays
(one integer per unit, ids replaced by positions) answer in milliseconds with numpy.
:func:`network_columns` builds them once per network, with one pass over the nodes and one
over the edges, and keeps them beside the network (as :mod:`graph.index` does, in a
weak-keyed table, for the same reasons). What depends on a date (validity, the parents on
that date) is kept per date in a small table of recent answers.

Parents on a date follow :class:`graph.targets.Hierarchy` exactly (a parent not valid on
the date is replaced by its predecessor, or skipped), so every answer drawn from the
columns is the one the hierarchy gives.

Examples
--------
>>> import datetime as dt
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(
...     Unit(id="c", kind="county", name="沿河", side="helped"),
...     Unit(id="t", kind="township", name="中界镇", side="helped", parent_id="c"),
...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="t", poverty="poor"),
...     Unit(id="e", kind="village", name="善港村", side="helper")), pairings=(
...     Pairing(id="p", helper_id="e", helped_id="v", level="village", end=dt.date(2020, 12, 31)),)))
>>> columns = network_columns(G)
>>> columns is network_columns(G), [columns.ids[i] for i in columns.covered(as_of=dt.date(2020, 6, 30)).nonzero()[0]]
(True, ['v', 'e'])
>>> dated = columns.on(dt.date(2020, 6, 30))
>>> [columns.ids[i] for i in dated.ancestors([columns.position["v"]], Kind.COUNTY)]
['c']
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cached_property
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from .model import Kind, Level, Pairing, Poverty, Side, Unit

__all__ = ["NO_PARENT", "Columns", "Dated", "network_columns"]

Positions = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]

#: The parent of a root (or of a unit whose parent is not in the network).
NO_PARENT = -1
# Open ends of a date interval, as day numbers (date.toordinal) that every date lies between.
_EARLIEST = np.iinfo(np.int32).min
_LATEST = np.iinfo(np.int32).max
# Deeper than this, a walk up the parents is taken for a loop (real chains have six levels):
# the columns then decline to answer for that date and the callers walk the hierarchy.
_MAX_DEPTH = 64

_KINDS = tuple(Kind)
_KIND_CODES = {kind: code for code, kind in enumerate(_KINDS)}
_POVERTY_CODES: dict[Poverty | None, int] = {None: -1, **{p: code for code, p in enumerate(Poverty)}}
_LEVEL_CODES = {level: code for code, level in enumerate(Level)}
_SIDE_BITS = {Side.HELPER: 1, Side.HELPED: 2}
# Every set of sides a unit can have, as bits.
_SIDES_BITS = {
    frozenset(sides): sum(_SIDE_BITS[side] for side in sides) for sides in ((), *((s,) for s in Side), tuple(Side))
}

_columns: weakref.WeakKeyDictionary[nx.MultiDiGraph[str], Columns] = weakref.WeakKeyDictionary()
_building = threading.Lock()


def network_columns(G: nx.MultiDiGraph[str]) -> Columns:
    """The columns of ``G``, built on the first call and the same object after that."""
    columns = _columns.get(G)
    if columns is None:
        # One build per network even when many requests of a server ask at once.
        with _building:
            columns = _columns.get(G)
            if columns is None:
                columns = _columns[G] = Columns(G)
    return columns


def _days(dates: Iterable[dt.date | None], missing: int) -> npt.NDArray[np.int32]:
    """Dates as day numbers, ``missing`` for None (an open end)."""
    return np.array([missing if day is None else day.toordinal() for day in dates], dtype=np.int32)


def _within(start: npt.NDArray[np.int32], end: npt.NDArray[np.int32], as_of: dt.date) -> Mask:
    day = as_of.toordinal()
    return (start <= day) & (day <= end)


class Columns:
    """A network's units and pairings as arrays indexed by position (node order; edge order).

    Attributes
    ----------
    ids, position : unit ids by position, and the position of each id.
    data, units : each unit's node attributes and its record, by position.
    kind, poverty, sides : codes by position: the kind's place in :class:`Kind`; the
        poverty's in :class:`Poverty` (-1: none); sides as bits (1 helper, 2 helped).
    parent : the registered parent's position (:data:`NO_PARENT` if none or unknown).
    helper, helped, level : each pairing's units (positions) and level code, in edge order.
    pairings : the pairing records in edge order.
    """

    #: how many dates' answers (validity, parents) are kept
    max_dates = 8

    def __init__(self, G: nx.MultiDiGraph[str]):
        self.ids: list[str] = list(G)
        # Each (id, data) pair is dropped at once, so the dictionary's iterator reuses it.
        self.data: list[dict[str, Any]] = list(map(itemgetter(1), G.nodes(data=True)))
        count = len(self.ids)
        self.position: dict[str, int] = dict(zip(self.ids, range(count), strict=True))
        self.units: list[Unit] = list(map(itemgetter("unit"), self.data))
        self.kind = np.fromiter(map(_KIND_CODES.__getitem__, map(itemgetter("kind"), self.data)), np.int8, count)
        self.poverty = np.fromiter(
            map(_POVERTY_CODES.__getitem__, map(attrgetter("poverty"), self.units)), np.int8, count
        )
        self.sides = np.fromiter(map(_SIDES_BITS.__getitem__, map(itemgetter("sides"), self.data)), np.int8, count)
        self.parent = np.fromiter(
            map(self.position.get, map(itemgetter("parent_id"), self.data), repeat(NO_PARENT)), np.intp, count
        )
        # Only units with dates can be invalid on a date, and they are few.
        undated = (None, None)
        self._dated = np.flatnonzero(
            np.fromiter(map(undated.__ne__, map(attrgetter("valid_from", "valid_to"), self.units)), np.bool_, count)
        )
        dated = [self.units[i] for i in self._dated.tolist()]
        self._valid_from = _days((unit.valid_from for unit in dated), _EARLIEST)
        self._valid_to = _days((unit.valid_to for unit in dated), _LATEST)
        edges = [
            (helper, helped, data["pairing"])
            for helper, partners in G.adjacency()
            if partners
            for helped, keyed in partners.items()
            for data in keyed.values()
        ]
        position = self.position
        self.helper = np.array([position[e[0]] for e in edges], dtype=np.intp)
        self.helped = np.array([position[e[1]] for e in edges], dtype=np.intp)
        self.pairings: list[Pairing] = [e[2] for e in edges]
        self.level = np.array([_LEVEL_CODES[p.level] for p in self.pairings], dtype=np.int8)
        self._start = _days((p.start for p in self.pairings), _EARLIEST)
        self._end = _days((p.end for p in self.pairings), _LATEST)
        self._dates: OrderedDict[dt.date | None, Dated | None] = OrderedDict()
        self._lock = threading.Lock()

    @cached_property
    def with_successors(self) -> list[str]:
        """The ids of the units that list successors, sorted (only a date's moved parents need them)."""
        successors = np.fromiter(map(bool, map(attrgetter("successor_ids"), self.units)), np.bool_, len(self.ids))
        return sorted(self.ids[i] for i in np.flatnonzero(successors).tolist())

    def valid(self, as_of: dt.date | None) -> Mask:
        """Whether each unit is valid on ``as_of`` (every unit if None)."""
        valid = np.ones(len(self.ids), dtype=np.bool_)
        if as_of is not None:
            valid[self._dated] = _within(self._valid_from, self._valid_to, as_of)
        return valid

    def active(self, as_of: dt.date | None, levels: Collection[Level] | None, valid: Mask) -> Mask:
        """Whether each pairing is at one of ``levels`` (any if None), active on ``as_of``
        and between two units ``valid`` then: :meth:`graph.index.NetworkIndex.active`."""
        active = valid[self.helper] & valid[self.helped]
        if as_of is not None:
            active &= _within(self._start, self._end, as_of)
        if levels is not None:
            active &= np.isin(self.level, [_LEVEL_CODES[level] for level in levels])
        return active

    def covered(self, *, as_of: dt.date | None = None, levels: Collection[Level] | None = None) -> Mask:
        """Whether each unit takes part in a pairing of :meth:`active` (is covered)."""
        active = self.active(as_of, levels, self.valid(as_of))
        covered = np.zeros(len(self.ids), dtype=np.bool_)
        covered[self.helper[active]] = True
        covered[self.helped[active]] = True
        return covered

    def chosen(
        self,
        *,
        kinds: Collection[Kind] | None,
        side: Side | None,
        poverties: Collection[Poverty] | None,
        stage: str | None,
        valid: Mask,
    ) -> Positions:
        """The positions, in node order, of the valid units of any of ``kinds``, on
        ``side`` (in any program), of any of ``poverties`` and of ``stage`` (None: any)."""
        chosen = valid.copy()
        if kinds is not None:
            chosen &= np.isin(self.kind, [_KIND_CODES[kind] for kind in kinds])
        if side is not None:
            chosen &= (self.sides & _SIDE_BITS[side]) != 0
        if poverties is not None:
            chosen &= np.isin(self.poverty, [_POVERTY_CODES[poverty] for poverty in poverties])
        found = np.flatnonzero(chosen)
        if stage is not None:
            units = self.units
            found = found[[units[i].stage == stage for i in found]] if found.size else found
        return found

    def active_pairings(self, as_of: dt.date | None) -> list[tuple[int, int, Pairing]]:
        """``(helper, helped, pairing)`` (positions and record) of every pairing active on
        ``as_of`` between two units valid then, in edge order."""
        active = np.flatnonzero(self.active(as_of, None, self.valid(as_of))).tolist()
        helpers, helpeds, pairings = self.helper[active].tolist(), self.helped[active].tolist(), self.pairings
        return [(helper, helped, pairings[edge]) for helper, helped, edge in zip(helpers, helpeds, active, strict=True)]

    def count_of(self, kind: Kind) -> int:
        """How many units are of ``kind``."""
        return int(np.count_nonzero(self.kind == _KIND_CODES[kind]))

    def kind_of(self, code: int) -> Kind:
        """The kind a code of :attr:`kind` stands for."""
        return _KINDS[code]

    def edges_of(self, units: Positions) -> dict[int, list[tuple[str, str, Pairing]]]:
        """The pairings each of ``units`` takes part in (as helper or helped), as
        ``(helper_id, helped_id, pairing)`` in edge order, for the units that have some."""
        wanted = np.zeros(len(self.ids), dtype=np.bool_)
        wanted[units] = True
        found: dict[int, list[tuple[str, str, Pairing]]] = {}
        ids, pairings = self.ids, self.pairings
        helpers, helpeds = self.helper, self.helped
        for edge in np.flatnonzero(wanted[helpers] | wanted[helpeds]):
            helper, helped = int(helpers[edge]), int(helpeds[edge])
            record = (ids[helper], ids[helped], pairings[edge])
            for unit in {helper, helped}:
                if wanted[unit]:
                    found.setdefault(unit, []).append(record)
        return found

    def on(self, as_of: dt.date | None) -> Dated | None:
        """The hierarchy on ``as_of`` as columns; None when a walk up the parents does not
        end (a loop), which the columns leave to :class:`graph.targets.Hierarchy`."""
        with self._lock:
            if as_of in self._dates:
                self._dates.move_to_end(as_of)
                return self._dates[as_of]
        dated = Dated.build(self, as_of)
        with self._lock:
            self._dates[as_of] = dated
            while len(self._dates) > self.max_dates:
                self._dates.popitem(last=False)
        return dated


class Dated:
    """The parents of every unit on a date, as :class:`graph.targets.Hierarchy` places them.

    Attributes
    ----------
    valid : whether each unit is valid on the date.
    parent : each unit's parent's position on the date (:data:`NO_PARENT` at a root).
    """

    def __init__(self, columns: Columns, valid: Mask, parent: Positions):
        self.columns = columns
        self.valid = valid
        self.parent = parent
        self._paths: dict[int, str] = {}

    @classmethod
    def build(cls, columns: Columns, as_of: dt.date | None) -> Dated | None:
        valid = columns.valid(as_of)
        parent = columns.parent.copy()
        if as_of is not None:
            registered = columns.parent
            moved = np.flatnonzero((registered != NO_PARENT) & ~valid[np.maximum(registered, 0)])
            if moved.size:
                find = _parent_finder(columns, valid, as_of)
                parent[moved] = [find(int(registered[unit])) for unit in moved]
        if not _ends(parent):
            return None
        return cls(columns, valid, parent)

    def ancestors(self, units: Sequence[int] | Positions, kind: Kind) -> Positions:
        """The nearest ancestor of ``kind`` of each of ``units`` on the date
        (:data:`NO_PARENT` for none): :meth:`graph.targets.Hierarchy.ancestor`."""
        code = _KIND_CODES[kind]
        kinds, parent = self.columns.kind, self.parent
        current = parent[np.asarray(units, dtype=np.intp)]
        found = np.full(current.shape, NO_PARENT, dtype=np.intp)
        pending = np.flatnonzero(current != NO_PARENT)
        while pending.size:
            here = current[pending]
            hit = kinds[here] == code
            found[pending[hit]] = here[hit]
            pending = pending[~hit]
            current[pending] = parent[current[pending]]
            pending = pending[current[pending] != NO_PARENT]
        return found

    def rolled_up(self, units: Positions, kind: Kind) -> Positions:
        """Each of ``units`` itself if of ``kind``, else its nearest ancestor of ``kind``."""
        return np.where(self.columns.kind[units] == _KIND_CODES[kind], units, self.ancestors(units, kind))

    def above(self, covered: Mask) -> Mask:
        """Whether each unit has a ``covered`` unit below it on the date."""
        marked = np.zeros(covered.shape, dtype=np.bool_)
        current = self.parent[np.flatnonzero(covered)]
        current = np.unique(current[current != NO_PARENT])
        while current.size:
            current = current[~marked[current]]
            marked[current] = True
            current = self.parent[current]
            current = np.unique(current[current != NO_PARENT])
        return marked

    def reached(self, covered: Mask, wanted: Positions) -> dict[int, list[str]]:
        """For each of ``wanted`` (uncovered units), the ids of the topmost ``covered``
        units below it, sorted: :func:`graph.reach.reached_through`."""
        asked = np.zeros(covered.shape, dtype=np.bool_)
        asked[wanted] = True
        below: dict[int, set[int]] = {}
        units = np.flatnonzero(covered)
        current = self.parent[units]
        while units.size:
            # A covered ancestor names its own walk's units to those above it.
            going = (current != NO_PARENT) & ~covered[np.maximum(current, 0)]
            units, current = units[going], current[going]
            for ancestor, unit in zip(current[asked[current]].tolist(), units[asked[current]].tolist(), strict=True):
                below.setdefault(ancestor, set()).add(unit)
            current = self.parent[current]
        ids = self.columns.ids
        return {ancestor: sorted(ids[unit] for unit in found) for ancestor, found in below.items()}

    def path(self, unit: int) -> str:
        """The names of the ancestors on the date, root first, joined by `` / ``:
        :meth:`graph.targets.Hierarchy.path`."""
        parent = int(self.parent[unit])
        if parent == NO_PARENT:
            return ""
        known = self._paths.get(parent)
        if known is None:
            data, chain = self.columns.data, []
            while parent != NO_PARENT:
                chain.append(data[parent]["name"])
                parent = int(self.parent[parent])
            known = self._paths[int(self.parent[unit])] = " / ".join(reversed(chain))
        return known


def _parent_finder(columns: Columns, valid: Mask, as_of: dt.date) -> Callable[[int], int]:
    """The parent on ``as_of`` of a unit whose registered parent (a position) is not valid
    then: its predecessor valid then, else the first valid unit above it
    (:meth:`graph.targets.Hierarchy.parent`)."""
    position, units = columns.position, columns.units
    predecessor: dict[int, int] = {}
    for node in columns.with_successors:
        if valid[position[node]]:
            for successor in units[position[node]].successor_ids:
                if successor in position and not valid[position[successor]]:
                    predecessor.setdefault(position[successor], position[node])
    registered = columns.parent

    def find(parent: int) -> int:
        seen = set()
        while parent != NO_PARENT and not valid[parent] and parent not in seen:
            seen.add(parent)
            if parent in predecessor:
                return predecessor[parent]
            parent = int(registered[parent])
        return parent

    return find


def _ends(parent: Positions) -> bool:
    """Whether every walk up ``parent`` reaches a root within :data:`_MAX_DEPTH` steps."""
    current = parent[parent != NO_PARENT]
    for _step in range(_MAX_DEPTH):
        if not current.size:
            return True
        current = np.unique(parent[current])
        current = current[current != NO_PARENT]
    return not current.size
