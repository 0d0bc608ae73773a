"""One import of the history with its diff, read back from what the store keeps.

A store keeps, for every import, each record's version before it (:class:`~pairnet.store.plan.Change`).
The version *after* it is the version before the next import that touched the record, or
the record as it is now (absent: removed). The diff of the two is the diff the import made,
however many imports came after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from pairnet.diff import ImportDiff, diff_records
from pairnet.graph.errors import NotFound
from pairnet.graph.model import Dataset
from pairnet.i18n import _
from pairnet.store.plan import TABLES
from pairnet.store.store import ImportSummary, Store

__all__ = ["TouchedBy", "find_import", "import_diff", "touched_by"]


def find_import(history: Sequence[ImportSummary], import_id: str) -> int:
    """The index of ``import_id`` in ``history``; :class:`NotFound` naming the latest ones."""
    for index, item in enumerate(history):
        if item.import_id == import_id:
            return index
    recent = ", ".join(item.import_id for item in history[-5:]) or _("none yet")
    raise NotFound(_("no import {id!r} in this store; the latest are: {recent}").format(id=import_id, recent=recent))


def import_diff(store: Store, import_id: str) -> tuple[ImportSummary, ImportDiff]:
    """Import ``import_id`` of ``store``'s history and the diff it made (see the module doc)."""
    history = store.imports()
    index = find_import(history, import_id)
    summary = history[index]
    changes = store.changes(import_id)
    wanted = {(c.table, c.id) for c in changes}
    after: dict[tuple[str, str], Any] = {}
    for later in history[index + 1 :]:
        if len(after) == len(wanted):
            break
        for change in store.changes(later.import_id):
            key = (change.table, change.id)
            if key in wanted and key not in after:
                after[key] = change.before
    if len(after) < len(wanted):
        now = store.snapshot()
        current = {(table, r.id): r for table in TABLES for r in getattr(now, table)}
        for key in wanted - set(after):
            after[key] = current.get(key)
    before: dict[str, list[Any]] = {table: [] for table in TABLES}
    written: dict[str, list[Any]] = {table: [] for table in TABLES}
    removed: dict[str, list[str]] = {table: [] for table in TABLES}
    for change in changes:
        now_record = after[(change.table, change.id)]
        if change.before is not None:
            before[change.table].append(change.before)
        if now_record is not None:
            written[change.table].append(now_record)
        elif change.before is not None:
            removed[change.table].append(change.id)
    diff = diff_records(
        _dataset(before),
        _dataset(written),
        removed,
        source=summary.source,
        replace=False,
    )
    return summary, diff


def _dataset(records: dict[str, list[Any]]) -> Dataset:
    return Dataset.model_construct(
        units=tuple(records["units"]), pairings=tuple(records["pairings"]), flows=tuple(records["flows"])
    )


@dataclass(frozen=True)
class TouchedBy:
    """One import that added, changed or removed some of the records asked about."""

    summary: ImportSummary
    records: Counter[str] = field(default_factory=Counter)  # table → how many of the records


def touched_by(store: Store, records: Collection[tuple[str, str]]) -> list[TouchedBy]:
    """Every import of ``store`` that wrote one of ``records`` (``(table, id)`` pairs), newest
    first, with how many of them it wrote per table: not only each record's last writer."""
    counts: dict[str, Counter[str]] = {}
    for import_id, table, _record in store.touched(records):
        counts.setdefault(import_id, Counter())[table] += 1
    if not counts:
        return []
    return [TouchedBy(item, counts[item.import_id]) for item in reversed(store.imports()) if item.import_id in counts]
