"""Units reached only through a descendant: a province with paired prefectures, a county
whose townships are paired, is not paired itself, yet "never paired" would mislead.

Coverage counts such a unit apart (``through_descendant``) and gaps give it that status
with the names of the covered units below it; neither counts it as covered.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(
...     Unit(id="p", kind="province", name="河北省", side="helped"),
...     Unit(id="c", kind="city", name="张家口市", side="helped", parent_id="p"),
...     Unit(id="x", kind="county", name="某县", side="helped", parent_id="c"))))
>>> reached_through(Hierarchy(G), covered={"c", "x"})
{'p': ['c']}
>>> sorted(reached_through(Hierarchy(G), covered={"x"}).items())  # derived from the answer above
[('c', ['x']), ('p', ['x'])]
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from .index import network_index
from .targets import Hierarchy

__all__ = ["reached_through"]

_KIND = "reached-through"


class _Reach(NamedTuple):
    """An answer, and what derives another from it: for each covered unit, the covered
    units whose walk up stops at it (their nearest covered ancestor)."""

    below: dict[str, list[str]]
    stops: dict[str, set[str]]


def reached_through(hierarchy: Hierarchy, covered: Collection[str]) -> dict[str, list[str]]:
    """For each uncovered ancestor of a covered unit on the hierarchy's date, the topmost
    covered units below it (sorted by id); one walk up the chain of each covered unit.

    Kept with the network's indexes per date and covered set: coverage and gaps of each
    county of a national network ask it again and again with the same set, and the walk
    covers every covered unit of the network. An answer for a set that differs from a kept
    one (of this network, or of the one it was patched from: see :mod:`graph.index_patch`)
    by a few units is derived from that one, walking up from those units only. Callers
    only read the answer."""
    index = network_index(hierarchy.G)
    asked = frozenset(covered)
    return index.cached((_KIND, hierarchy.as_of, asked), lambda: _answer(hierarchy, asked)).below


def _answer(hierarchy: Hierarchy, covered: frozenset[str]) -> _Reach:
    """Derived from the nearest kept answer of the same date, if near enough; else walked."""
    near: tuple[int, frozenset[str], _Reach] | None = None
    for key, kept in network_index(hierarchy.G).kept():
        if isinstance(key, tuple) and key[:2] == (_KIND, hierarchy.as_of):
            differ = len(covered ^ key[2])
            if near is None or differ < near[0]:
                near = (differ, key[2], kept)
    # Deriving costs a walk per unit that differs; walking, one per covered unit.
    if near is not None and near[0] <= len(covered) // 4 + 1:
        return _derived(hierarchy, near[2], near[1], covered)
    return _walk(hierarchy, covered)


def _walk(hierarchy: Hierarchy, covered: Collection[str]) -> _Reach:
    below: dict[str, set[str]] = {}
    stops: dict[str, set[str]] = {}
    for unit in covered:
        for ancestor in hierarchy.chain(unit):
            if ancestor in covered:
                # That ancestor's own walk names it to the units above it.
                stops.setdefault(ancestor, set()).add(unit)
                break
            below.setdefault(ancestor, set()).add(unit)
    return _Reach({ancestor: sorted(units) for ancestor, units in below.items()}, stops)


class _Derivation:
    """An answer being changed one covered unit at a time; the kept one is not modified
    (other requests read it): each set is copied when first changed."""

    def __init__(self, hierarchy: Hierarchy, base: _Reach, covered: frozenset[str]):
        self.hierarchy = hierarchy
        self.covered = set(covered)
        self.base = base
        self.below: dict[str, set[str]] = {}  # the changed entries of base.below
        self.stops: dict[str, set[str]] = {}  # the changed entries of base.stops

    def _below(self, unit: str) -> set[str]:
        if unit not in self.below:
            self.below[unit] = set(self.base.below.get(unit, ()))
        return self.below[unit]

    def _stops(self, unit: str) -> set[str]:
        if unit not in self.stops:
            self.stops[unit] = set(self.base.stops.get(unit, ()))
        return self.stops[unit]

    def _up(self, unit: str) -> tuple[list[str], str | None]:
        """The uncovered ancestors of ``unit`` up to the nearest covered one, and that one."""
        walked: list[str] = []
        for ancestor in self.hierarchy.chain(unit):
            if ancestor in self.covered:
                return walked, ancestor
            walked.append(ancestor)
        return walked, None

    def uncover(self, unit: str) -> None:
        self.covered.discard(unit)
        walked, stop = self._up(unit)
        # The units that stopped at it now go on, with it, to the ancestors above.
        going_on = self._stops(unit)
        self.stops[unit] = set()
        self._below(unit).update(going_on)
        for ancestor in walked:
            reached = self._below(ancestor)
            reached.discard(unit)
            reached.update(going_on)
        if stop is not None:
            stopped = self._stops(stop)
            stopped.discard(unit)
            stopped.update(going_on)

    def cover(self, unit: str) -> None:
        walked, stop = self._up(unit)
        # The units that went on through it now stop at it.
        stopping = self._below(unit)
        self.below[unit] = set()
        self.stops[unit] = set(stopping)
        for ancestor in walked:
            reached = self._below(ancestor)
            reached.difference_update(stopping)
            reached.add(unit)
        if stop is not None:
            stopped = self._stops(stop)
            stopped.difference_update(stopping)
            stopped.add(unit)
        self.covered.add(unit)

    def result(self) -> _Reach:
        below = dict(self.base.below)
        for ancestor, units in self.below.items():
            if units:
                below[ancestor] = sorted(units)
            else:
                below.pop(ancestor, None)
        stops = dict(self.base.stops)
        for unit, units in self.stops.items():
            if units:
                stops[unit] = units
            else:
                stops.pop(unit, None)
        return _Reach(below, stops)


def _derived(hierarchy: Hierarchy, base: _Reach, was: frozenset[str], covered: frozenset[str]) -> _Reach:
    """The answer for ``covered`` from ``base``, the answer for ``was``."""
    derivation = _Derivation(hierarchy, base, was)
    for unit in sorted(was - covered):
        derivation.uncover(unit)
    for unit in sorted(covered - was):
        derivation.cover(unit)
    return derivation.result()
