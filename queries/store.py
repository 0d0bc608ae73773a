"""The store interface: what every store (SQLite, Neo4j) does, and how to open one.

A store holds one network. It writes a validated :class:`~graph.model.Dataset` as one
import (all of it or nothing), reads the whole network back as a snapshot, and keeps a
version stamp that changes on every write so that readers can cache what they derive.

Records are keyed by ``id``: loading a record whose id exists replaces it, so loading
the same file twice leaves the same state. With ``replace=True`` the records that came
from the same source and are absent from the new dataset are removed.

Writers are serialised: :meth:`Store.writing` holds the store's writer lock from the read
that a check needs to the commit, so that what was checked is what is written over (two
imports at once cannot leave a unit whose parent the other removed). Every import records
what its revert needs: the prior version of each record it changed or removed and the ids
it added (:class:`Change`).
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from pairnet.graph.model import Dataset, Unit

from .delta import Delta
from .import_part import ImportReads, ImportView
from .people import Person
from .plan import TABLES, Change, WritePlan, plan_write

__all__ = [
    "DEFAULT_STORE",
    "Delta",
    "TABLES",
    "Change",
    "ImportSummary",
    "Progress",
    "Store",
    "WritePlan",
    "Writing",
    "open_store",
]

DEFAULT_STORE = "pairnet.db"

# Called as progress(done, total) while an import writes its records.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportSummary:
    """What one import did."""

    import_id: str
    source: str
    imported_at: dt.datetime
    written: dict[str, int]
    removed: dict[str, int] = field(default_factory=dict)
    version: str = ""
    author: str | None = None
    reverts: str | None = None  # the import this one reverted, for a revert

    def to_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "source": self.source,
            "imported_at": self.imported_at.isoformat(),
            "written": dict(self.written),
            "removed": dict(self.removed),
            "version": self.version,
            "author": self.author,
            "reverts": self.reverts,
        }


class Writing(abc.ABC):
    """A store held by one writer, from :meth:`Store.writing` until the block ends.

    Everything read through it (:meth:`snapshot`, :meth:`imports`, :meth:`changes`) is
    the state the write will replace: no other writer, in this process or another, can
    commit in between. One writing block commits at most one import.
    """

    def __init__(self) -> None:
        self._known: Dataset | None = None
        self._view: ImportView | None = None
        self._done = False

    def snapshot(self) -> Dataset:
        """The store's content under the writer lock (read once, then reused)."""
        if self._known is None:
            self._known = self._read()
        return self._known

    def view(self, *, source: str, whole: bool = False) -> ImportView:
        """The store as an import from ``source`` (without ``replace``) sees it: indexed
        look-ups and the part that import touches (:mod:`pairnet.store.import_part`), or with
        ``whole`` (or a store without those look-ups) the whole snapshot. :meth:`write`
        of that source then plans over the same part."""
        self._view = ImportView(self.snapshot, None if whole else self._import_reads(), source=source)
        return self._view

    def _import_reads(self) -> ImportReads | None:
        """The look-ups of an import's part on the writer's transaction; None: the store
        has none, and imports read the whole snapshot."""
        return None

    def write(
        self,
        dataset: Dataset,
        *,
        source: str,
        replace: bool = False,
        progress: Progress | None = None,
        author: str | None = None,
    ) -> ImportSummary:
        """Write ``dataset`` as one import (see :meth:`Store.write`) and commit."""
        view = self._view
        known = view.around(dataset) if view is not None and view.serves(source, replace) else self.snapshot()
        plan = plan_write(known, dataset, source=source, replace=replace, author=author)
        return self.apply(plan, progress=progress)

    def apply(self, plan: WritePlan, *, progress: Progress | None = None) -> ImportSummary:
        """Commit ``plan``: all of it or, on any failure, nothing."""
        if self._done:
            raise RuntimeError("one writing block commits one import")
        summary = self._apply(plan, progress)
        self._done = True
        return summary

    @abc.abstractmethod
    def _read(self) -> Dataset:
        """Every record, read under the writer lock."""

    @abc.abstractmethod
    def _apply(self, plan: WritePlan, progress: Progress | None) -> ImportSummary:
        """Write ``plan`` and commit."""

    @abc.abstractmethod
    def imports(self) -> list[ImportSummary]:
        """The history, read under the writer lock."""

    @abc.abstractmethod
    def changes(self, import_id: str) -> list[Change]:
        """What ``import_id`` touched and each record's version before it."""


class Store(abc.ABC):
    """One network, persisted. Use as a context manager or call :meth:`close`."""

    uri: str

    @abc.abstractmethod
    def writing(self) -> AbstractContextManager[Writing]:
        """Hold the writer lock for one import: ``with store.writing() as w: known =
        w.snapshot(); ...; w.write(...)``. Other writers wait; readers do not."""

    def write(
        self,
        dataset: Dataset,
        *,
        source: str,
        replace: bool = False,
        progress: Progress | None = None,
        author: str | None = None,
    ) -> ImportSummary:
        """Write ``dataset`` as one import from ``source`` (as the user named it) by ``author``
        (the person's name, kept in the history; None when unknown).

        The dataset must already be valid against the store's current content (see
        ``pairnet.imports``, which checks it under the same lock); the store writes all of
        it or, on any failure, nothing. Every record's ``source`` gets the import id and time.
        """
        with self.writing() as held:
            return held.write(dataset, source=source, replace=replace, progress=progress, author=author)

    @abc.abstractmethod
    def changes(self, import_id: str) -> list[Change]:
        """What ``import_id`` touched and each record's version before it (``None``: added)."""

    @abc.abstractmethod
    def touched(self, records: Collection[tuple[str, str]]) -> list[tuple[str, str, str]]:
        """Every import that added, changed or removed one of ``records`` (``(table, id)``
        pairs, e.g. ``("pairings", "P1")``), as ``(import_id, table, id)`` triples in no
        particular order: a record's whole history of writers, read from the changes that
        revert keeps (an indexed look-up by record id)."""

    @abc.abstractmethod
    def snapshot(self, scope: Collection[str] | None = None) -> Dataset:
        """Every unit, pairing and flow, sorted by id, with provenance.

        With ``scope`` (unit ids), only what the questions about those places need, read
        from the store's indexes: their subtrees, the pairings and flows touching them and
        the units at the other ends with their ancestors (see :mod:`pairnet.store.scoped`).
        Every analysis of a place in ``scope`` answers on it as on the whole snapshot.
        """

    def delta(self, since: str, limit: int) -> Delta | None:
        """What the imports after version ``since`` changed, read in one transaction (see
        :mod:`pairnet.store.delta`): ``since``'s snapshot patched with it is the current one.

        None when the store cannot tell (``since`` is no import's version, an import kept
        no changes, or the store does not keep them by version) or when more than
        ``limit`` records changed: read the whole snapshot then. The default is None.
        """
        return None

    def unit_names(self) -> list[Unit]:
        """Every unit, sorted by id, with only what a name is resolved by (id, code, kind,
        name, side hint and parent; the other fields left at their defaults), for finding
        the unit a person names without reading the whole store. The default reads the
        whole snapshot."""
        return list(self.snapshot().units)

    @abc.abstractmethod
    def units(self, ids: Collection[str]) -> list[Unit]:
        """The units of these ids, sorted by id (unknown ids are skipped): an indexed look-up."""

    @abc.abstractmethod
    def version(self) -> str:
        """A stamp that changes on every write; equal stamps mean equal content."""

    @abc.abstractmethod
    def imports(self) -> list[ImportSummary]:
        """The imports so far, oldest first."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    @abc.abstractmethod
    def save_person(self, person: Person) -> None:
        """Keep ``person``, replacing the one of the same name (a revocation, a new token)."""

    @abc.abstractmethod
    def people(self) -> list[Person]:
        """Every person the store knows, revoked ones included, sorted by name."""

    def reader(self) -> Store:
        """A store over the same data with a connection of its own, for reads beside this
        store's writes: a write waiting for the lock or running never holds them up. Close
        it apart from this one. The default is this store itself (reads then wait)."""
        return self

    def version_nowait(self) -> str | None:
        """:meth:`version` if it can be read at once without blocking (e.g. on an event
        loop), else None. The default is None: ask :meth:`version` in a thread."""
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def open_store(uri: str | None = None) -> Store:
    """Open the store named by ``uri``.

    ``bolt://`` and ``neo4j://`` (and their ``+s``/``+ssc`` variants) open Neo4j; anything
    else is a SQLite file path (``sqlite:///path`` also works). ``None`` means
    :data:`DEFAULT_STORE`.
    """
    uri = uri or DEFAULT_STORE
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme.startswith(("bolt", "neo4j")):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(uri)
    from .sqlite_store import SqliteStore

    path = uri[len("sqlite:///") :] if uri.startswith("sqlite:///") else uri
    return SqliteStore(path)
