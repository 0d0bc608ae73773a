"""What the imports after a version changed: the records to patch a snapshot with.

Every import keeps the ids it touched (:class:`~pairnet.store.plan.Change`, for its
revert). The imports after a version stamp, taken together, touched a set of ids; the
store's current record of each (or its absence) is the :class:`Delta` that brings a
snapshot of that version to the current one, so that a server holding the whole network
can follow a 1,000-row import by reading 1,000 records instead of all of them.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit
>>> old = Dataset(units=(Unit(id="a", kind="county", name="甲"), Unit(id="c", kind="county", name="丙")))
>>> delta = Delta("2-x", units={"b": Unit(id="b", kind="county", name="乙"), "c": None})
>>> [u.id for u in patch_dataset(old, delta).units], len(delta)
(['a', 'b'], 2)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pairnet.graph.model import Dataset, Flow, Pairing, Unit

from .scoped import ScopedReads

__all__ = ["Delta", "delta_of", "find_record", "patch_dataset"]

Record = TypeVar("Record", Unit, Pairing, Flow)


@dataclass(frozen=True)
class Delta:
    """The records touched since a version, as they are at ``version`` (None: removed)."""

    version: str
    units: Mapping[str, Unit | None] = field(default_factory=dict)
    pairings: Mapping[str, Pairing | None] = field(default_factory=dict)
    flows: Mapping[str, Flow | None] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.units) + len(self.pairings) + len(self.flows)


def delta_of(version: str, touched: Mapping[str, Collection[str]], reads: ScopedReads) -> Delta:
    """The :class:`Delta` to ``version`` of the ids ``touched`` per table: each one's
    record as ``reads`` finds it now, None where it is gone (every store, one read each)."""
    found: dict[str, dict[str, Any]] = {
        "units": {u.id: u for u in reads.units(touched["units"])},
        "pairings": {p.id: p for p in reads.pairings(touched["pairings"])},
        "flows": {f.id: f for f in reads.flows(touched["flows"])},
    }
    return Delta(
        version,
        **{table: {record_id: found[table].get(record_id) for record_id in ids} for table, ids in touched.items()},
    )


def _id(record: Unit | Pairing | Flow) -> str:
    return record.id


def find_record(records: tuple[Record, ...], record_id: str) -> Record | None:
    """The record of ``record_id`` in ``records`` (sorted by id, as in a snapshot), or None."""
    i = bisect_left(records, record_id, key=_id)
    return records[i] if i < len(records) and records[i].id == record_id else None


def _patched(records: tuple[Record, ...], changes: Mapping[str, Record | None]) -> tuple[Record, ...]:
    """``records`` (sorted by id) with each of ``changes`` replaced, added or removed, still
    sorted by id: a copy and a binary search per change, not a sort."""
    if not changes:
        return records
    out = list(records)
    for record_id, record in changes.items():
        i = bisect_left(out, record_id, key=_id)
        present = i < len(out) and out[i].id == record_id
        if record is None:
            if present:
                del out[i]
        elif present:
            out[i] = record
        else:
            out.insert(i, record)
    return tuple(out)


def patch_dataset(dataset: Dataset, delta: Delta) -> Dataset:
    """The snapshot ``dataset`` brought to ``delta.version``: what a whole snapshot read
    then holds, in the same order."""
    return Dataset.model_construct(
        units=_patched(dataset.units, delta.units),
        pairings=_patched(dataset.pairings, delta.pairings),
        flows=_patched(dataset.flows, delta.flows),
    )
