"""The diff of an import against the store, and the guard that asks before a large change.

Per sheet (units, pairings, flows): the records that are new, changed (field: old → new),
removed (under ``replace``) and the number unchanged. The CLI prints it, ``--format json``
and the API return :meth:`ImportDiff.to_dict`; :meth:`ImportDiff.reasons_to_confirm` says why
an import needs ``--yes`` / ``confirm=true`` before it is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from typing_extensions import TypedDict

from pairnet.graph.errors import PairnetError
from pairnet.graph.model import Dataset
from pairnet.i18n import _
from pairnet.store.plan import TABLES, Record

__all__ = [
    "CHANGE_THRESHOLD",
    "LIST_LIMIT",
    "ChangedRecord",
    "DiffDocument",
    "FieldChange",
    "ImportDiff",
    "NeedsConfirmation",
    "SheetDiff",
    "SheetDocument",
    "diff_import",
    "diff_records",
]

# An import that removes or changes more than this share of its source's records needs --yes.
CHANGE_THRESHOLD = 0.10
# At most this many ids per list in the JSON document; the counts are always complete.
LIST_LIMIT = 1000


# A field's value as the JSON of a record writes it: text, a number, a flag, a date as text,
# a list of ids (a unit's successors) or null.
FieldValue = str | int | float | bool | list[str] | None


class FieldValues(TypedDict):
    """One changed field: its value in the store and in the import."""

    old: FieldValue
    new: FieldValue


class ChangedRecord(TypedDict):
    """One changed record: its id and, by field name, its old and new values."""

    id: str
    fields: dict[str, FieldValues]


class OtherSource(TypedDict):
    """A record written or removed that another source wrote."""

    id: str
    source: str


class ChangeCounts(TypedDict):
    """How many records of a sheet are new, changed, removed and unchanged (never truncated)."""

    new: int
    changed: int
    removed: int
    unchanged: int


class SheetDocument(TypedDict):
    """What an import does to one sheet, as JSON: at most LIST_LIMIT ids per list."""

    counts: ChangeCounts
    new: list[str]
    changed: list[ChangedRecord]
    removed: list[str]
    other_sources: list[OtherSource]
    truncated: bool


class SheetDocuments(TypedDict):
    """The diff of each sheet (table) of the store."""

    units: SheetDocument
    pairings: SheetDocument
    flows: SheetDocument


class DiffDocument(TypedDict):
    """What an import does to the store, as JSON (:meth:`ImportDiff.to_dict`)."""

    source: str
    replace: bool
    sheets: SheetDocuments
    needs_confirmation: list[str]


@dataclass(frozen=True)
class FieldChange:
    """One field of one record: its value in the store and in the import."""

    field: str
    old: FieldValue
    new: FieldValue


@dataclass(frozen=True)
class SheetDiff:
    """What an import does to one sheet (table) of the store."""

    new: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[FieldChange, ...]], ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    # Ids of records written or removed that another source wrote, and those sources.
    other_sources: tuple[tuple[str, str], ...] = ()
    # Changed or removed records that belonged to the import's own source.
    own_touched: int = 0

    def to_dict(self) -> SheetDocument:
        return {
            "counts": {
                "new": len(self.new),
                "changed": len(self.changed),
                "removed": len(self.removed),
                "unchanged": self.unchanged,
            },
            "new": list(self.new[:LIST_LIMIT]),
            "changed": [
                {"id": record_id, "fields": {c.field: {"old": c.old, "new": c.new} for c in fields}}
                for record_id, fields in self.changed[:LIST_LIMIT]
            ],
            "removed": list(self.removed[:LIST_LIMIT]),
            "other_sources": [{"id": i, "source": s} for i, s in self.other_sources[:LIST_LIMIT]],
            "truncated": max(len(self.new), len(self.changed), len(self.removed), len(self.other_sources)) > LIST_LIMIT,
        }


@dataclass(frozen=True)
class ImportDiff:
    """What an import does to the store, sheet by sheet."""

    source: str
    replace: bool
    sheets: Mapping[str, SheetDiff]
    source_records: int  # records of ``source`` in the store before the import

    def reasons_to_confirm(self) -> list[str]:
        """Why this import needs an explicit yes (empty: it does not)."""
        reasons = []
        removed = sum(len(sheet.removed) for sheet in self.sheets.values())
        if self.replace and removed:
            reasons.append(_("--replace removes {n} records of {source}").format(n=removed, source=self.source))
        touched = sum(sheet.own_touched for sheet in self.sheets.values())
        if self.source_records and touched > CHANGE_THRESHOLD * self.source_records:
            reasons.append(
                _("changes or removes {n} of the {total} records of {source} (more than {share:.0%})").format(
                    n=touched, total=self.source_records, source=self.source, share=CHANGE_THRESHOLD
                )
            )
        others = sorted({s for sheet in self.sheets.values() for _id, s in sheet.other_sources})
        if others:
            count = sum(len(sheet.other_sources) for sheet in self.sheets.values())
            reasons.append(
                _("touches {n} records of other sources: {sources}").format(n=count, sources=", ".join(others[:5]))
            )
        return reasons

    def to_dict(self) -> DiffDocument:
        def sheet(table: str) -> SheetDocument:
            return self.sheets.get(table, SheetDiff()).to_dict()

        return {
            "source": self.source,
            "replace": self.replace,
            "sheets": {"units": sheet("units"), "pairings": sheet("pairings"), "flows": sheet("flows")},
            "needs_confirmation": self.reasons_to_confirm(),
        }


class NeedsConfirmation(PairnetError):
    """The import is large or reaches beyond its source: nothing was written without a yes."""

    def __init__(self, diff: ImportDiff, reasons: list[str] | None = None):
        self.diff = diff
        self.reasons = reasons or diff.reasons_to_confirm()
        super().__init__(
            _(
                "nothing was written: this import {reasons}. Review the diff and confirm (--yes, or confirm=true)."
            ).format(reasons=_("; ").join(self.reasons))
        )


def _fields(record: Record) -> dict:
    return record.model_dump(mode="json", exclude={"source"})


def _compare(table_known: Mapping[str, Record], upserts: Iterable[Record], removals: Iterable[str], source: str):
    new, changed, other, unchanged, own = [], [], [], 0, 0
    for record in upserts:
        before = table_known.get(record.id)
        if before is None:
            new.append(record.id)
            continue
        old, now = _fields(before), _fields(record)
        fields = tuple(FieldChange(k, old.get(k), now.get(k)) for k in now if old.get(k) != now.get(k))
        if fields:
            changed.append((record.id, fields))
        else:
            unchanged += 1
        if before.source.file != source:
            other.append((record.id, before.source.file or ""))
        elif fields:
            own += 1
    removed = []
    for record_id in removals:
        removed.append(record_id)
        before = table_known[record_id]
        if before.source.file != source:
            other.append((record_id, before.source.file or ""))
        else:
            own += 1
    return SheetDiff(
        new=tuple(new),
        changed=tuple(changed),
        removed=tuple(removed),
        unchanged=unchanged,
        other_sources=tuple(other),
        own_touched=own,
    )


def diff_records(
    known: Dataset, upserts: Dataset, deletes: Mapping[str, Iterable[str]], *, source: str, replace: bool
) -> ImportDiff:
    """The diff of writing ``upserts`` and deleting ``deletes`` (ids per table) over ``known``."""
    sheets = {}
    source_records = 0
    for table in TABLES:
        table_known = {r.id: r for r in getattr(known, table)}
        source_records += sum(1 for r in table_known.values() if r.source.file == source)
        sheets[table] = _compare(table_known, getattr(upserts, table), deletes.get(table, ()), source)
    return ImportDiff(source=source, replace=replace, sheets=sheets, source_records=source_records)


def diff_import(known: Dataset, incoming: Dataset, *, source: str, replace: bool) -> ImportDiff:
    """The diff of importing ``incoming`` from ``source`` over ``known``."""
    deletes: dict[str, list[str]] = {}
    if replace:
        for table in TABLES:
            kept = {r.id for r in getattr(incoming, table)}
            deletes[table] = [r.id for r in getattr(known, table) if r.source.file == source and r.id not in kept]
    return diff_records(known, incoming, deletes, source=source, replace=replace)
