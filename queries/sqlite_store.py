"""The embedded store: one SQLite file, standard library only.

One table per record type (``units``, ``pairings``, ``flows``) with a column per model
field plus the provenance columns ``import_id, file, sheet, row, imported_at``; an
``imports`` table with the history (who, when, source, counts, the import a revert undid);
``import_changes`` with, per import, each record it touched and its JSON before (NULL: the
import added it), which is what a revert writes back; a ``meta`` table with the schema number
and the version stamp. Enum fields are text (CHECKed against the model's values), dates ISO
text, successor ids JSON text.

Every write is one ``BEGIN IMMEDIATE`` transaction on a connection of its own
(:meth:`SqliteStore.writing`), taken before the import reads what its check needs: writers in
every process are serialised, and the check sees exactly the state the write replaces. Then
batched upserts by id, the deletes the plan names, the import's changes, the import row and
the new version stamp. Any exception rolls all of it back.

The file runs in WAL mode so that readers (the API, a second CLI) keep reading the last
committed state while an import writes, and a crash mid-write leaves the file as before
(the uncommitted frames in the WAL are ignored on the next open). ``synchronous=FULL``
makes a committed import survive a power loss; it costs one extra sync per import.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager, nullcontext
from operator import attrgetter, itemgetter
from pathlib import Path

from pairnet.collector import collector_paused
from pairnet.graph.errors import StoreError, StoreUnavailable
from pairnet.graph.model import (
    Dataset,
    Flow,
    Kind,
    Pairing,
    Side,
    Unit,
)

from . import sqlite_people
from .people import Person
from .plan import TABLES, Change, WritePlan
from .scoped import scoped_dataset
from .sqlite_bulk import CACHE_KIB, indexes_deferred
from .sqlite_reads import SqliteScopedReads, read_all, read_changes, read_delta, read_imports
from .sqlite_schema import (
    ASSUMED_SQL,
    COLUMNS,
    ENCODE,
    PROVENANCE,
    SCHEMA,
    SCHEMA_VERSION,
    UNITS_COLUMNS,
    UPGRADABLE,
    iso_text,
    upsert_sql,
)
from .store import Delta, ImportSummary, Progress, Store, Writing

__all__ = ["SCHEMA_VERSION", "SqliteStore"]

BATCH = 5000
_by_id = attrgetter("id")
_by_table_and_id = itemgetter(1, 2)


def _new_stamp(counter: int) -> str:
    return f"{counter}-{secrets.token_hex(8)}"


class SqliteStore(Store):
    """The store in one SQLite file at ``path`` (created with its schema if missing).

    One instance may be shared by threads: a lock serialises its use of the connection.
    A write waits up to ``busy_timeout`` seconds for another process's write to finish.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0):
        self.path = Path(path)
        self.uri = str(self.path)
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._busy_timeout = busy_timeout
        if not self.path.parent.is_dir():
            raise StoreUnavailable(f"cannot open store {self.uri}: folder {self.path.parent} does not exist")
        self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._init_schema()
        except BaseException as error:
            self._db.close()
            if isinstance(error, sqlite3.DatabaseError):
                raise StoreUnavailable(f"cannot open store {self.uri}: {error}") from error
            raise

    def _schema(self) -> str | None:
        has_meta = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            return None
        found = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return found[0] if found else None

    def _init_schema(self) -> None:
        # An existing store opens without the write lock, so it opens while another
        # process is loading a file.
        if self._schema() == SCHEMA_VERSION:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            found = self._schema()
            if found is None:
                self._db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema", SCHEMA_VERSION), ("version", _new_stamp(0))],
                )
            elif found in UPGRADABLE:  # the tables and indexes it lacked came in with SCHEMA
                self._add_assumed()
                if found in ("1", "2"):
                    present = {row[1] for row in self._db.execute("PRAGMA table_info(imports)")}
                    for column in ("author", "reverts"):  # the people table came in with SCHEMA
                        if column not in present:
                            self._db.execute(f"ALTER TABLE imports ADD COLUMN {column} TEXT")
                    self._nullable_side()
                self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
            elif found != SCHEMA_VERSION:
                raise StoreError(f"store {self.uri} has schema {found}; this pairnet reads schema {SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _add_assumed(self) -> None:
        """Add the ``assumed`` column (no value assumed) to each record table that lacks it.
        Runs inside the upgrade's transaction, before any rebuild copies the units."""
        for table in COLUMNS:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if "assumed" not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {ASSUMED_SQL}")

    def _nullable_side(self) -> None:
        """Rebuild the units table so that a unit's side may be empty: SQLite cannot drop
        a NOT NULL in place. Runs inside the upgrade's transaction."""
        columns = ", ".join(f'"{c}"' for c in (*COLUMNS["units"], *PROVENANCE))
        self._db.execute("CREATE TABLE units_upgrade " + UNITS_COLUMNS)
        self._db.execute(f"INSERT INTO units_upgrade ({columns}) SELECT {columns} FROM units")
        self._db.execute("DROP TABLE units")
        self._db.execute("ALTER TABLE units_upgrade RENAME TO units")
        # The old table's indexes went with it: SCHEMA creates what is missing again.
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self._db.execute(statement)

    def save_person(self, person: Person) -> None:
        with self._lock:
            sqlite_people.save(self._db, person, self.uri)

    def people(self) -> list[Person]:
        with self._lock:
            return sqlite_people.read(self._db)

    @contextmanager
    def writing(self) -> Iterator[Writing]:
        """Hold SQLite's write lock (``BEGIN IMMEDIATE``) on a connection of its own for one
        import: other writers, in any process, wait; readers keep reading the last commit (WAL)."""
        in_memory = str(self.path) == ":memory:"
        with self._lock if in_memory else nullcontext():
            db = self._db if in_memory else self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                yield _SqliteWriting(self, db)
            except sqlite3.Error as error:
                raise self._translate(error) from error
            finally:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if not in_memory:
                    db.close()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA synchronous=FULL")
        return db

    def _translate(self, error: sqlite3.Error) -> StoreError:
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            return StoreUnavailable(f"store {self.uri} is busy: {error}")
        return StoreError(f"could not write to store {self.uri}: {error}")

    def changes(self, import_id: str) -> list[Change]:
        with self._lock:
            return read_changes(self._db, import_id)

    def touched(self, records: Collection[tuple[str, str]]) -> list[tuple[str, str, str]]:
        found: list[tuple[str, str, str]] = []
        wanted = sorted(set(records))
        with self._lock:
            for start in range(0, len(wanted), 400):  # under SQLite's limit of bound parameters
                batch = wanted[start : start + 400]
                pairs = " OR ".join("(tbl = ? AND id = ?)" for _ in batch)
                parameters = [value for pair in batch for value in pair]
                found += self._db.execute(f"SELECT import_id, tbl, id FROM import_changes WHERE {pairs}", parameters)
        return found

    def snapshot(self, scope: Collection[str] | None = None) -> Dataset:
        with self._lock:
            self._db.execute("BEGIN")  # one read transaction: the three tables of one version
            try:
                if scope is None:
                    return read_all(self._db, self.uri)
                return scoped_dataset(SqliteScopedReads(self._db, self.uri), scope)
            finally:
                self._db.execute("COMMIT")

    def units(self, ids: Collection[str]) -> list[Unit]:
        with self._lock:
            return SqliteScopedReads(self._db, self.uri).units(ids)

    def unit_names(self) -> list[Unit]:
        with self._lock:
            rows = self._db.execute("SELECT id, code, kind, name, side, parent_id FROM units ORDER BY id").fetchall()
        # The columns were checked when written (CHECK constraints on kind and side).
        with collector_paused():
            return [
                Unit.model_construct(
                    id=id_, code=code, kind=Kind(kind), name=name, side=Side(side) if side else None, parent_id=parent
                )
                for id_, code, kind, name, side, parent in rows
            ]

    def delta(self, since: str, limit: int) -> Delta | None:
        with self._lock:
            self._db.execute("BEGIN")  # one read transaction: the changes and records of one version
            try:
                return read_delta(self._db, self.uri, since, limit)
            finally:
                self._db.execute("COMMIT")

    def version(self) -> str:
        with self._lock:
            version: str = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]
            return version

    def imports(self) -> list[ImportSummary]:
        with self._lock:
            return read_imports(self._db)

    def reader(self) -> SqliteStore:
        if self.uri == ":memory:":  # a second connection would open another, empty database
            return self
        # WAL: another connection reads the last committed state while this one writes.
        return SqliteStore(self.path, busy_timeout=self._busy_timeout)

    def version_nowait(self) -> str | None:
        # A local file read, unless another thread is using the connection.
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return str(self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _SqliteWriting(Writing):
    """One import's hold on a SQLite store: a connection inside ``BEGIN IMMEDIATE``."""

    def __init__(self, store: SqliteStore, db: sqlite3.Connection):
        super().__init__()
        self._store = store
        self._db = db

    def _read(self) -> Dataset:
        return read_all(self._db, self._store.uri)

    def _import_reads(self) -> SqliteScopedReads:
        return SqliteScopedReads(self._db, self._store.uri)

    def imports(self) -> list[ImportSummary]:
        return read_imports(self._db)

    def changes(self, import_id: str) -> list[Change]:
        return read_changes(self._db, import_id)

    def _apply(self, plan: WritePlan, progress: Progress | None) -> ImportSummary:
        db = self._db
        stamp_time = plan.imported_at.isoformat()
        total = sum(plan.written.values())
        done = 0

        def provenance(r: Unit | Pairing | Flow) -> tuple[object, ...]:
            if plan.restamp:
                return (plan.import_id, plan.source, r.source.sheet, r.source.row, stamp_time)
            kept = r.source
            return (kept.import_id, kept.file, kept.sheet, kept.row, iso_text(kept.imported_at))

        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        with collector_paused(), indexes_deferred(db, (*TABLES, "import_changes")):
            for table in TABLES:
                # By id: each table's B-tree then grows at its end (see sqlite_bulk).
                records = sorted(getattr(plan.upserts, table), key=_by_id)
                encode, sql = ENCODE[table], upsert_sql(table)
                for start in range(0, len(records), BATCH):
                    batch = records[start : start + BATCH]
                    db.executemany(sql, [(*encode(r), *provenance(r)) for r in batch])
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
            for table, ids in plan.deletes.items():
                db.executemany(f"DELETE FROM {table} WHERE id = ?", [(i,) for i in ids])
            changes = [
                (plan.import_id, c.table, c.id, None if c.before is None else c.before.model_dump_json())
                for c in plan.changes
            ]
            changes.sort(key=_by_table_and_id)  # the primary key's order, after the import's id
            db.executemany("INSERT INTO import_changes (import_id, tbl, id, before) VALUES (?, ?, ?, ?)", changes)
        counter = int(db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0].split("-")[0])
        version = _new_stamp(counter + 1)
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (version,))
        db.execute(
            "INSERT INTO imports (import_id, source, imported_at, written, removed, version, author, reverts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                plan.import_id,
                plan.source,
                stamp_time,
                json.dumps(plan.written),
                json.dumps(plan.removed),
                version,
                plan.author,
                plan.reverts,
            ),
        )
        db.execute("COMMIT")
        if progress is not None and total == 0:
            progress(0, 0)
        return ImportSummary(
            import_id=plan.import_id,
            source=plan.source,
            imported_at=plan.imported_at,
            written=dict(plan.written),
            removed=dict(plan.removed),
            version=version,
            author=plan.author,
            reverts=plan.reverts,
        )
