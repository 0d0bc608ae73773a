"""The part of a store an import is checked against: the records it names, and no more.

An import's checks (``graph.check`` over the store with the file merged in, the near
duplicates, the diff and the write plan) look at the records the file touches and at what
those records reference. :func:`import_part` reads exactly that through indexed look-ups
(:class:`ImportReads`), so that a 1,000-row file costs the same in a national store as in
a province's:

- the store's version of every record the file carries (the diff, the write plan, a
  renamed unit);
- every unit a record of the file or of the part names (parent, successors, pairing ends,
  flow ends), the pairings the flows name, closed upwards: every record in the part has
  what it references in the part, so the store's records raise no problem of their own;
- the siblings of every unit the file adds, renames or gives another kind (near duplicates);
- the pairings touching a unit the file gives another kind (a level may no longer fit);
- every record of the file's source (the diff counts them for the 10 % guard).

Where the part cannot be known that simply, :func:`import_part` gives ``None`` and the
import reads the whole snapshot: a unit the file moves to another parent (a cycle may run
through the store's units below it), a ``replace`` (its removals reach records of other
sources), and a source holding more than :data:`SOURCE_LIMIT` records.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Collection, Iterable

from pairnet.graph.model import Dataset, Flow, Pairing, Unit

from .scoped import ScopedReads

__all__ = ["SOURCE_LIMIT", "ImportReads", "ImportView", "import_part"]

# A source with more records than this is checked against the whole store: its records are
# read anyway, and the snapshot then costs little more.
SOURCE_LIMIT = 50_000


class ImportReads(ScopedReads):
    """The look-ups of a scoped read, and those an import's part needs, all on the writer's
    transaction."""

    @abc.abstractmethod
    def units_by_key(self, keys: Collection[str]) -> list[Unit]:
        """The units whose id or division code is one of ``keys``."""

    @abc.abstractmethod
    def children(self, parents: Collection[str]) -> list[Unit]:
        """The units whose parent is one of ``parents``."""

    @abc.abstractmethod
    def roots(self) -> list[Unit]:
        """The units without a parent (the provinces, in a full store)."""

    @abc.abstractmethod
    def of_source(self, source: str, limit: int) -> Dataset | None:
        """The records ``source`` wrote, or None when there are more than ``limit``."""


def import_part(reads: ImportReads, incoming: Dataset, *, source: str) -> Dataset | None:
    """The records of the store that checking, diffing and writing ``incoming`` (without
    ``replace``) read; None when only the whole store will do (see the module docstring)."""
    own = reads.of_source(source, SOURCE_LIMIT)
    if own is None:
        return None
    units = {u.id: u for u in own.units}
    pairings = {p.id: p for p in own.pairings}
    flows = {f.id: f for f in own.flows}

    def fetch(ids: Iterable[str | None]) -> None:
        missing = {i for i in ids if i is not None and i not in units}
        if missing:
            units.update((u.id, u) for u in reads.units(missing))

    fetch(u.id for u in incoming.units)
    before = {u.id: units[u.id] for u in incoming.units if u.id in units}
    if any(before[u.id].parent_id != u.parent_id for u in incoming.units if u.id in before):
        return None  # a moved unit: cycles and names below it reach the store's units
    renamed = [u for u in incoming.units if u.id not in before or _key(before[u.id]) != _key(u)]
    parents = {u.parent_id for u in renamed}
    units.update((u.id, u) for u in reads.children({p for p in parents if p is not None}))
    if None in parents:
        units.update((u.id, u) for u in reads.roots())
    rekinded = [u.id for u in incoming.units if u.id in before and before[u.id].kind != u.kind]
    pairings.update((p.id, p) for p in reads.pairings_touching(rekinded))
    pairings.update((p.id, p) for p in reads.pairings({p.id for p in incoming.pairings} - pairings.keys()))
    flows.update((f.id, f) for f in reads.flows({f.id for f in incoming.flows} - flows.keys()))

    named = {f.pairing_id for f in (*flows.values(), *incoming.flows)} - pairings.keys() - {None}
    pairings.update((p.id, p) for p in reads.pairings({i for i in named if i is not None}))
    fetch(_references([*incoming.units, *incoming.pairings, *incoming.flows]))
    _close(reads, units, [*units.values(), *pairings.values(), *flows.values()])
    return Dataset.model_construct(
        units=tuple(sorted(units.values(), key=lambda u: u.id)),
        pairings=tuple(sorted(pairings.values(), key=lambda p: p.id)),
        flows=tuple(sorted(flows.values(), key=lambda f: f.id)),
    )


def _key(unit: Unit) -> tuple[str, str]:
    # What makes a unit new to the near-duplicate check, besides its parent (see
    # graph.duplicates): a moved unit never reaches here.
    return unit.kind.value, unit.name


def _references(records: Iterable[Unit | Pairing | Flow]) -> set[str]:
    """The unit ids ``records`` name."""
    found: set[str] = set()
    for record in records:
        if isinstance(record, Unit):
            found.update(record.successor_ids)
            ends: tuple[str | None, ...] = (record.parent_id,)
        elif isinstance(record, Pairing):
            ends = (record.helper_id, record.helped_id)
        else:
            ends = (record.from_id, record.to_id)
        found.update(e for e in ends if e is not None)
    return found


def _close(reads: ScopedReads, units: dict[str, Unit], start: list[Unit | Pairing | Flow]) -> None:
    """Read into ``units`` every unit the records ``start`` name, and what those name in
    turn (parents up to the roots, successors), one look-up per round."""
    wanted = _references(start)
    while missing := wanted - units.keys():
        found = reads.units(missing)
        units.update((u.id, u) for u in found)
        wanted = _references(found)


class ImportView:
    """The store as one import sees it, under the writer lock: the whole snapshot
    (``whole``) or, when ``reads`` are given, indexed look-ups and the part (:func:`import_part`)."""

    def __init__(self, whole: Callable[[], Dataset], reads: ImportReads | None, *, source: str):
        self._whole = whole
        self._reads = reads
        self._source = source
        self._part: tuple[Dataset, Dataset] | None = None  # (incoming, what it is checked against)

    def serves(self, source: str, replace: bool) -> bool:
        """Whether a write of ``source`` may plan over :meth:`around` (not a replace, whose
        removals this view does not read)."""
        return source == self._source and not replace

    def whole(self) -> Dataset:
        """Every record of the store."""
        return self._whole()

    def units_by_key(self, keys: Collection[str]) -> list[Unit] | None:
        """The units whose id or code is one of ``keys``, with their ancestors; None when
        this view reads the whole store."""
        if self._reads is None:
            return None
        # The ancestors by key too: a resolver finds a known unit's parent among the units
        # sharing its parent's id as id or code, as it does among all units.
        units: dict[str, Unit] = {}
        keys, asked = set(keys), set()
        while keys:
            asked |= keys
            found = self._reads.units_by_key(keys)
            units.update((u.id, u) for u in found)
            keys = {u.parent_id for u in found if u.parent_id is not None} - asked
        return sorted(units.values(), key=lambda u: u.id)

    def around(self, incoming: Dataset) -> Dataset:
        """What checking and writing ``incoming`` reads: the part, or the whole store."""
        if self._part is None or self._part[0] is not incoming:
            part = None if self._reads is None else import_part(self._reads, incoming, source=self._source)
            self._part = (incoming, self.whole() if part is None else part)
        return self._part[1]
