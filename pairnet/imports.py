"""Importing a file into a store: read, resolve against the store, validate, write.

The one path every import takes, from the CLI and from the API alike, so that a dry run
and a real import report the same problems and a failed import writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pairnet.graph import Dataset, InvalidInput, check
from pairnet.graph.duplicates import near_duplicates
from pairnet.loaders import StoreView, merge, read_dataset
from pairnet.store.import_part import ImportView
from pairnet.store.store import ImportSummary, Progress, Store

from .diff import ImportDiff, NeedsConfirmation, diff_import

__all__ = ["Guard", "ImportReport", "NeedsConfirmation", "import_dataset", "import_file", "merge"]

# Called as guard(existing, incoming, source, replace) once the file is read and checked,
# before anything is written (dry runs included); it refuses the import by raising, e.g.
# pairnet.people.OutOfScope for a person writing outside their scopes.
Guard = Callable[[Dataset, Dataset, str, bool], None]


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    source: str
    counts: dict[str, int]
    dry_run: bool
    diff: ImportDiff | None = None
    summary: ImportSummary | None = None

    def to_dict(self) -> dict:
        result = {"source": self.source, "counts": dict(self.counts), "dry_run": self.dry_run}
        if self.diff is not None:
            result["diff"] = self.diff.to_dict()
        if self.summary is not None:
            result.update(self.summary.to_dict())
        return result


def import_file(
    store: Store,
    path: str | Path,
    *,
    source: str | None = None,
    mapping: str | Path | dict | None = None,
    replace: bool = False,
    dry_run: bool = False,
    confirm: bool = False,
    progress: Progress | None = None,
    author: str | None = None,
    guard: Guard | None = None,
    allow_near_duplicates: bool = False,
) -> ImportReport:
    """Import ``path`` into ``store``: all of it, or nothing and :class:`InvalidInput`.

    ``source`` names the import in provenance and for ``replace`` (default: ``path`` as
    given, so that ``a/units.csv`` and ``b/units.csv`` are two sources). The file is read
    and checked under the store's writer lock, against the state it is written over. An
    import that :meth:`~pairnet.diff.ImportDiff.reasons_to_confirm` flags raises
    :class:`~pairnet.diff.NeedsConfirmation` unless ``confirm``. ``author`` is the person the
    history names; ``guard`` may refuse the import (see :data:`Guard`);
    ``allow_near_duplicates`` accepts new units that look like a sibling mistyped.
    """
    path = Path(path)
    source = source or str(path)

    def prepare(view: ImportView) -> Dataset:
        # read_dataset checks the file against what it is given: give it the store as it will be
        # once ``replace`` has dropped this source's old records, and the check is the whole check.
        known: Dataset | StoreView = _without(view.whole(), source) if replace else view
        return read_dataset(
            path,
            known=known,
            mapping=mapping,
            source=source,
            allow_near_duplicates=allow_near_duplicates,
        )

    return _run(
        store,
        prepare,
        source=source,
        replace=replace,
        dry_run=dry_run,
        confirm=confirm,
        progress=progress,
        author=author,
        guard=guard,
    )


def import_dataset(
    store: Store,
    incoming: Dataset,
    *,
    source: str,
    replace: bool = False,
    dry_run: bool = False,
    confirm: bool = False,
    progress: Progress | None = None,
    author: str | None = None,
    guard: Guard | None = None,
    allow_near_duplicates: bool = False,
) -> ImportReport:
    """Import records already read (e.g. from the division register) the way
    :func:`import_file` does: checked against the store under its writer lock, then all of
    it or nothing."""

    def prepare(view: ImportView) -> Dataset:
        known = view.whole() if replace else view.around(incoming)
        problems = check(merge(known, incoming, source=source, replace=replace))
        if not allow_near_duplicates:
            problems += near_duplicates((_without(known, source) if replace else known).units, incoming.units)
        if problems:
            raise InvalidInput(problems)
        return incoming

    return _run(
        store,
        prepare,
        source=source,
        replace=replace,
        dry_run=dry_run,
        confirm=confirm,
        progress=progress,
        author=author,
        guard=guard,
    )


def _without(dataset: Dataset, source: str) -> Dataset:
    """``dataset`` without the records of ``source``."""

    def kept(records):
        return tuple(r for r in records if r.source.file != source)

    return Dataset.model_construct(
        units=kept(dataset.units), pairings=kept(dataset.pairings), flows=kept(dataset.flows)
    )


def _run(
    store: Store,
    prepare: Callable[[ImportView], Dataset],
    *,
    source: str,
    replace: bool,
    dry_run: bool,
    confirm: bool,
    progress: Progress | None,
    author: str | None,
    guard: Guard | None,
) -> ImportReport:
    """Read and check (``prepare``) against the store, diff, guard, write: the check and the
    write under one hold of the writer lock. A dry run reads the last commit and takes no lock.

    Without ``replace`` and a ``guard``, the check, the diff and the write read only the part
    of the store the file touches (:mod:`pairnet.store.import_part`); a guard judges the
    whole store, and a replace reaches every record its removals leave dangling."""
    if dry_run:
        known = store.snapshot()
        incoming = prepare(ImportView(lambda: known, None, source=source))
        if guard is not None:
            guard(known, incoming, source, replace)
        diff = diff_import(known, incoming, source=source, replace=replace)
        return ImportReport(source=source, counts=incoming.counts(), dry_run=True, diff=diff)
    with store.writing() as held:
        view = held.view(source=source, whole=guard is not None or replace)
        incoming = prepare(view)
        known = held.snapshot() if replace else view.around(incoming)
        if guard is not None:
            guard(known, incoming, source, replace)
        diff = diff_import(known, incoming, source=source, replace=replace)
        if diff.reasons_to_confirm() and not confirm:
            raise NeedsConfirmation(diff)
        summary = held.write(incoming, source=source, replace=replace, progress=progress, author=author)
    return ImportReport(source=source, counts=incoming.counts(), dry_run=False, diff=diff, summary=summary)
