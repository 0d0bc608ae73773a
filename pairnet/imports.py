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
from pairnet.loaders import merge, read_dataset
from pairnet.store.store import ImportSummary, Progress, Store

__all__ = ["Guard", "ImportReport", "import_dataset", "import_file", "merge"]

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
    summary: ImportSummary | None = None

    def to_dict(self) -> dict:
        result = {"source": self.source, "counts": dict(self.counts), "dry_run": self.dry_run}
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
    progress: Progress | None = None,
    author: str | None = None,
    guard: Guard | None = None,
    allow_near_duplicates: bool = False,
) -> ImportReport:
    """Import ``path`` into ``store``: all of it, or nothing and :class:`InvalidInput`.

    ``source`` names the file in provenance and for ``replace`` (default: the file name);
    ``author`` is the person the history names; ``guard`` may refuse the import (see :data:`Guard`);
    ``allow_near_duplicates`` accepts new units that look like a sibling mistyped.
    """
    path = Path(path)
    source = source or path.name
    existing = store.snapshot()
    # read_dataset checks the file against what it is given: give it the store as it will be
    # once ``replace`` has dropped this source's old records, and the check is the whole check.
    known = _without(existing, source) if replace else existing
    incoming = read_dataset(
        path, known=known, mapping=mapping, source=source, allow_near_duplicates=allow_near_duplicates
    )
    if guard is not None:
        guard(existing, incoming, source, replace)
    return _write(store, incoming, source=source, replace=replace, dry_run=dry_run, progress=progress, author=author)


def import_dataset(
    store: Store,
    incoming: Dataset,
    *,
    source: str,
    replace: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    existing: Dataset | None = None,
    author: str | None = None,
    guard: Guard | None = None,
    allow_near_duplicates: bool = False,
) -> ImportReport:
    """Import records already read (e.g. from the division register) the way
    :func:`import_file` does: checked against the store, then all of it or nothing."""
    existing = store.snapshot() if existing is None else existing
    problems = check(merge(existing, incoming, source=source, replace=replace))
    if not allow_near_duplicates:
        problems += near_duplicates((_without(existing, source) if replace else existing).units, incoming.units)
    if problems:
        raise InvalidInput(problems)
    if guard is not None:
        guard(existing, incoming, source, replace)
    return _write(store, incoming, source=source, replace=replace, dry_run=dry_run, progress=progress, author=author)


def _without(dataset: Dataset, source: str) -> Dataset:
    """``dataset`` without the records of ``source``."""

    def kept(records):
        return tuple(r for r in records if r.source.file != source)

    return Dataset.model_construct(
        units=kept(dataset.units), pairings=kept(dataset.pairings), flows=kept(dataset.flows)
    )


def _write(
    store: Store,
    incoming: Dataset,
    *,
    source: str,
    replace: bool,
    dry_run: bool,
    progress: Progress | None,
    author: str | None,
) -> ImportReport:
    """Write records already checked against the store (or only report them, for a dry run)."""
    if dry_run:
        return ImportReport(source=source, counts=incoming.counts(), dry_run=True)
    summary = store.write(incoming, source=source, replace=replace, progress=progress, author=author)
    return ImportReport(source=source, counts=incoming.counts(), dry_run=False, summary=summary)
