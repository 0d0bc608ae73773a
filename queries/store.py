"""The store interface: what every store (SQLite, Neo4j) does, and how to open one.

A store holds one network. It writes a validated :class:`~graph.model.Dataset` as one
import (all of it or nothing), reads the whole network back as a snapshot, and keeps a
version stamp that changes on every write so that readers can cache what they derive.

Records are keyed by ``id``: loading a record whose id exists replaces it, so loading
the same file twice leaves the same state. With ``replace=True`` the records that came
from the same source file and are absent from the new dataset are removed.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pairnet.graph.model import Dataset

from .people import Person

__all__ = ["ImportSummary", "Progress", "Store", "open_store", "DEFAULT_STORE"]

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

    def to_dict(self) -> dict:
        return {
            "import_id": self.import_id,
            "source": self.source,
            "imported_at": self.imported_at.isoformat(),
            "written": dict(self.written),
            "removed": dict(self.removed),
            "version": self.version,
            "author": self.author,
        }


class Store(abc.ABC):
    """One network, persisted. Use as a context manager or call :meth:`close`."""

    uri: str

    @abc.abstractmethod
    def write(
        self,
        dataset: Dataset,
        *,
        source: str,
        replace: bool = False,
        progress: Progress | None = None,
        author: str | None = None,
    ) -> ImportSummary:
        """Write ``dataset`` as one import from ``source`` (a file name), by ``author``
        (the person's name, kept in the history; None when unknown).

        The dataset must already be valid against the store's current content (see
        ``pairnet.imports``); the store writes all of it or, on any failure, nothing.
        Every record's ``source`` gets the import id and time.
        """

    @abc.abstractmethod
    def snapshot(self) -> Dataset:
        """Every unit, pairing and flow, sorted by id, with provenance."""

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

    def __exit__(self, *exc) -> None:
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
