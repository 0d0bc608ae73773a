"""Reverting an import: the store back to its state before it, as a new import.

A store keeps, for every import, the version of each record before it (``None`` for the
records it added; see :class:`pairnet.store.Change`). A revert writes those versions back,
with their own provenance, and deletes what the import added, under the writer lock; it is
recorded as an import whose source is ``revert:<id>``, and can itself be reverted.

A revert is refused when a later import depends on the one reverted: it changed the same
records, or references a unit or pairing the import added. The refusal names them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pairnet.graph import InvalidInput, check
from pairnet.graph.errors import NotFound, PairnetError
from pairnet.graph.model import Dataset
from pairnet.i18n import _
from pairnet.store.plan import TABLES, Change, WritePlan
from pairnet.store.store import ImportSummary, Progress, Store, Writing

from .diff import NeedsConfirmation, diff_records
from .imports import ImportReport

__all__ = ["RevertRefused", "revert_import"]

REVERT_PREFIX = "revert:"


class RevertRefused(PairnetError):
    """Later imports depend on the import to revert (or it was reverted already)."""

    def __init__(self, import_id: str, reason: str, dependants: list[str]):
        self.import_id = import_id
        self.dependants = dependants
        super().__init__(_("cannot revert import {id}: {reason}").format(id=import_id, reason=reason))


def revert_import(
    store: Store,
    import_id: str,
    *,
    dry_run: bool = False,
    confirm: bool = False,
    author: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Return ``store`` to its state before import ``import_id``, as a new import.

    A revert always removes or restores records, so it is written only with ``confirm``
    (else :class:`~pairnet.diff.NeedsConfirmation` with the diff); ``dry_run`` only reports.
    Raises :class:`~pairnet.graph.errors.NotFound` for an unknown id and
    :class:`RevertRefused` when later imports depend on it.
    """
    with store.writing() as held:
        plan, known = _plan(held, import_id, author)
        diff = diff_records(known, plan.upserts, plan.deletes, source=plan.source, replace=False)
        counts = plan.upserts.counts()
        if dry_run:
            return ImportReport(source=plan.source, counts=counts, dry_run=True, diff=diff)
        if not confirm:
            raise NeedsConfirmation(
                diff, reasons=[_("reverting import {id} restores or removes records").format(id=import_id)]
            )
        summary = held.apply(plan, progress=progress)
    return ImportReport(source=plan.source, counts=counts, dry_run=False, diff=diff, summary=summary)


def _find(history: list[ImportSummary], import_id: str) -> int:
    for index, item in enumerate(history):
        if item.import_id == import_id:
            return index
    recent = ", ".join(item.import_id for item in history[-5:]) or _("none yet")
    raise NotFound(
        _("no import {id} in this store; the latest are: {recent} (see pairnet imports)").format(
            id=repr(import_id), recent=recent
        )
    )


def _dependants(held: Writing, history: list[ImportSummary], index: int, changes: list[Change]) -> list[str]:
    """The later imports that changed a record ``changes`` touched, oldest first. An import
    reverted later, and that revert, cancel out and are skipped."""
    later = history[index + 1 :]
    later_ids = {item.import_id for item in later}
    reverted_later = {item.reverts for item in later if item.reverts}
    touched = {(c.table, c.id) for c in changes}
    found = []
    for item in later:
        if item.import_id in reverted_later or item.reverts in later_ids:
            continue
        if touched & {(c.table, c.id) for c in held.changes(item.import_id)}:
            found.append(item.import_id)
    return found


def _referrers(known: Dataset, added: set[str], import_id: str) -> set[str]:
    """The imports of the records in ``known`` that reference an id in ``added``."""
    found = set()
    references = (
        [(u, (u.parent_id, *u.successor_ids)) for u in known.units]
        + [(p, (p.helper_id, p.helped_id)) for p in known.pairings]
        + [(f, (f.from_id, f.to_id, f.pairing_id)) for f in known.flows]
    )
    for record, ids in references:
        if record.source.import_id != import_id and added.intersection(ids):
            found.add(record.source.import_id or "")
    return found


def _plan(held: Writing, import_id: str, author: str | None) -> tuple[WritePlan, Dataset]:
    history = held.imports()
    index = _find(history, import_id)
    reverted_by = [item.import_id for item in history if item.reverts == import_id]
    if reverted_by:
        reason = _("it was reverted already by import {id}").format(id=reverted_by[0])
        raise RevertRefused(import_id, reason, reverted_by)
    changes = held.changes(import_id)
    target = history[index]
    if not changes and sum(target.written.values()) + sum(target.removed.values()):
        raise RevertRefused(import_id, _("it was made before pairnet kept what a revert needs (schema 1)"), [])
    known = held.snapshot()
    added = {c.id for c in changes if c.before is None}
    dependants = _dependants(held, history, index, changes)
    order = {item.import_id: n for n, item in enumerate(history)}
    dependants += sorted(_referrers(known, added, import_id) - set(dependants), key=lambda i: order.get(i, -1))
    if dependants:
        reason = _(
            "later imports depend on it (they changed its records or reference what it added): {imports}; "
            "revert them first, newest first"
        ).format(imports=", ".join(dependants))
        raise RevertRefused(import_id, reason, dependants)
    current = {table: {r.id: r for r in getattr(known, table)} for table in TABLES}
    restored: dict[str, list[Any]] = {table: [] for table in TABLES}
    deletes: dict[str, list[str]] = {table: [] for table in TABLES}
    undo = []
    for change in changes:
        if change.before is None:
            if change.id in current[change.table]:
                deletes[change.table].append(change.id)
        else:
            restored[change.table].append(change.before)
        undo.append(Change(change.table, change.id, current[change.table].get(change.id)))
    upserts = Dataset.model_construct(
        units=tuple(restored["units"]), pairings=tuple(restored["pairings"]), flows=tuple(restored["flows"])
    )
    result = _apply_in_memory(current, upserts, deletes)
    problems = check(result)
    if problems:  # cannot happen when the history is consistent; never write a broken store
        raise InvalidInput(problems)
    source = REVERT_PREFIX + import_id
    plan = WritePlan(
        import_id=uuid.uuid4().hex,
        source=source,
        imported_at=dt.datetime.now(dt.UTC),
        upserts=upserts,
        deletes={table: tuple(ids) for table, ids in deletes.items()},
        changes=tuple(undo),
        author=author,
        restamp=False,
        reverts=import_id,
        written=upserts.counts(),
        removed={table: len(ids) for table, ids in deletes.items()},
    )
    return plan, known


def _apply_in_memory(current: dict[str, dict[str, Any]], upserts: Dataset, deletes: dict[str, list[str]]) -> Dataset:
    parts: dict[str, Any] = {}
    for table in TABLES:
        records = dict(current[table])
        for record_id in deletes[table]:
            records.pop(record_id, None)
        records.update({r.id: r for r in getattr(upserts, table)})
        parts[table] = tuple(sorted(records.values(), key=lambda r: r.id))
    return Dataset.model_construct(**parts)
