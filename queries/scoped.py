"""Scoped reads: the part of a store that questions about a few places need, and no more.

A question about a place (a county's gaps, a township's coverage, the load of the helpers
below a city) looks at the units below that place and at the pairings and flows that touch
them. :func:`scoped_dataset` reads exactly what keeps every such answer equal to the answer
on the whole store:

- the *inside*: each root's registered subtree, and, closed under successors, the subtree
  of every successor of a unit inside (a boundary change can move units below a root on a
  date; see :class:`graph.targets.Hierarchy`);
- every unit that has successors (few), so that the parents on a date are the same;
- the pairings with an end inside or on a root's ancestor chain (alignment looks one
  level up), the pairings the flows name, and the flows with an end inside;
- the other ends of those pairings and flows, and the ancestor chain of every unit read
  (names, parents and groups by township, county... are read off the chain).

The store supplies five indexed look-ups (:class:`ScopedReads`); the closure is the same
for every store, so that SQLite and Neo4j read the same records. Records come back sorted
by id, as in a whole snapshot, so that the network built from them iterates in the same
order and ties break the same way.
"""

from __future__ import annotations

import abc
from collections.abc import Collection, Iterable

from pairnet.graph.model import Dataset, Flow, Pairing, Unit

__all__ = ["ScopedReads", "scoped_dataset"]


class ScopedReads(abc.ABC):
    """The indexed look-ups a store answers for :func:`scoped_dataset`, all inside one read
    transaction (so that every part is of the same version)."""

    @abc.abstractmethod
    def subtree(self, roots: Collection[str]) -> set[str]:
        """The ids of ``roots`` that exist and of every unit registered below them."""

    @abc.abstractmethod
    def units(self, ids: Collection[str]) -> list[Unit]:
        """The units of these ids (unknown ids are skipped)."""

    @abc.abstractmethod
    def units_with_successors(self) -> list[Unit]:
        """Every unit that names a successor."""

    @abc.abstractmethod
    def pairings_touching(self, ids: Collection[str]) -> list[Pairing]:
        """The pairings whose helper or helped unit is one of ``ids``."""

    @abc.abstractmethod
    def pairings(self, ids: Collection[str]) -> list[Pairing]:
        """The pairings of these ids (unknown ids are skipped)."""

    @abc.abstractmethod
    def flows(self, ids: Collection[str]) -> list[Flow]:
        """The flows of these ids (unknown ids are skipped)."""

    @abc.abstractmethod
    def flows_touching(self, ids: Collection[str]) -> list[Flow]:
        """The flows whose ``from_id`` or ``to_id`` is one of ``ids``."""


def scoped_dataset(reads: ScopedReads, roots: Iterable[str]) -> Dataset:
    """The records the questions about ``roots`` (unit ids) need; see the module docstring.

    Unknown roots contribute nothing; no roots give an empty dataset.
    """
    wanted = set(roots)
    units: dict[str, Unit] = {}

    def fetch(ids: Iterable[str]) -> None:
        missing = {i for i in ids if i not in units}
        if missing:
            units.update((u.id, u) for u in reads.units(missing))

    inside = reads.subtree(wanted) if wanted else set()
    fetch(inside)
    while True:  # successors may move units below a root on a date: take their subtrees too
        moved = {s for i in inside for s in units[i].successor_ids if s not in inside}
        if not moved:
            break
        added = reads.subtree(moved) - inside
        if not added:
            break
        inside |= added
        fetch(added)
    if wanted:
        units.update((u.id, u) for u in reads.units_with_successors())
    ancestors = _close_up(reads, units, [r for r in wanted if r in units])
    pairings = {p.id: p for p in reads.pairings_touching(inside | ancestors)}
    flows = reads.flows_touching(inside)
    named = {f.pairing_id for f in flows if f.pairing_id is not None and f.pairing_id not in pairings}
    pairings.update((p.id, p) for p in reads.pairings(named))
    fetch({end for p in pairings.values() for end in (p.helper_id, p.helped_id)})
    fetch({end for f in flows for end in (f.from_id, f.to_id) if end is not None})
    _close_up(reads, units, list(units))
    return Dataset.model_construct(
        units=tuple(sorted(units.values(), key=lambda u: u.id)),
        pairings=tuple(sorted(pairings.values(), key=lambda p: p.id)),
        flows=tuple(sorted(flows, key=lambda f: f.id)),
    )


def _close_up(reads: ScopedReads, units: dict[str, Unit], start: list[str]) -> set[str]:
    """Read the ancestors of the units ``start`` into ``units`` (one look-up per level);
    their ids."""
    found: set[str] = set()
    frontier = start
    while frontier:
        parents = {p for i in frontier if (p := units[i].parent_id) is not None and p not in found}
        found |= parents
        missing = {p for p in parents if p not in units}
        if missing:
            units.update((u.id, u) for u in reads.units(missing))
        frontier = [p for p in parents if p in units]
    return found
