"""What one import will do to a store, worked out before anything is written.

A :class:`WritePlan` is the records to write, the ids to delete and, for each record it
touches, the version the store held before (:class:`Change`): the last is what a revert
needs. Both stores write a plan the same way, so the history means the same in both.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from pydantic import TypeAdapter

from pairnet.graph.model import Dataset, Flow, Pairing, Unit

__all__ = ["RECORD_TYPES", "TABLES", "Change", "Record", "WritePlan", "decode_record", "plan_write"]

TABLES = ("units", "pairings", "flows")
Record = Unit | Pairing | Flow
RECORD_TYPES: dict[str, type[Record]] = {"units": Unit, "pairings": Pairing, "flows": Flow}
_ADAPTERS = {table: TypeAdapter(model) for table, model in RECORD_TYPES.items()}


def decode_record(table: str, text: str) -> Record:
    """A record of ``table`` from the JSON a store kept for it (``record.model_dump_json()``)."""
    return _ADAPTERS[table].validate_json(text)


@dataclass(frozen=True)
class Change:
    """One record an import touched, with its version before the import (``None``: added)."""

    table: str
    id: str
    before: Record | None


@dataclass(frozen=True)
class WritePlan:
    """One import, ready to write.

    With ``restamp`` every written record gets this import's provenance (``source``,
    ``import_id``, ``imported_at``; sheet and row stay); without it (a revert restoring
    earlier versions) every record keeps its own.
    """

    import_id: str
    source: str
    imported_at: dt.datetime
    upserts: Dataset
    deletes: dict[str, tuple[str, ...]]
    changes: tuple[Change, ...]
    author: str | None = None
    restamp: bool = True
    reverts: str | None = None
    replace: bool = False
    written: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)


def plan_write(known: Dataset, dataset: Dataset, *, source: str, replace: bool, author: str | None) -> WritePlan:
    """The plan that writes ``dataset`` over ``known`` (the store's content under the writer lock).

    Records are replaced by id; with ``replace`` the records of ``source`` that ``dataset``
    does not have are deleted.
    """
    changes: list[Change] = []
    deletes: dict[str, tuple[str, ...]] = {}
    for table in TABLES:
        before = {r.id: r for r in getattr(known, table)}
        incoming = getattr(dataset, table)
        changes += [Change(table, r.id, before.get(r.id)) for r in incoming]
        if replace:
            kept = {r.id for r in incoming}
            gone = tuple(r.id for r in before.values() if r.source.file == source and r.id not in kept)
            deletes[table] = gone
            changes += [Change(table, record_id, before[record_id]) for record_id in gone]
    return WritePlan(
        import_id=uuid.uuid4().hex,
        source=source,
        imported_at=dt.datetime.now(dt.UTC),
        upserts=dataset,
        deletes=deletes,
        changes=tuple(changes),
        author=author,
        replace=replace,
        written=dataset.counts(),
        removed={table: len(ids) for table, ids in deletes.items()},
    )
