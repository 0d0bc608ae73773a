"""Reading a SQLite store: every record (a snapshot), a place's part of it (scoped reads),
the records imports touched since a version (a delta), the history and an import's changes.
Each read runs on the connection it is given, so that the store decides the transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from pairnet.collector import collector_paused
from pairnet.graph.errors import StoreError
from pairnet.graph.model import (
    Dataset,
    Flow,
    Pairing,
    Unit,
)

from .delta import delta_of
from .import_part import ImportReads
from .plan import TABLES, Change, decode_record
from .sqlite_schema import READERS, select_json_sql
from .store import Delta, ImportSummary

__all__ = ["SqliteScopedReads", "read_all", "read_changes", "read_delta", "read_imports"]

READ_CHUNK = 20000


def read_all(db: sqlite3.Connection, uri: str) -> Dataset:
    """Every record, read on ``db`` inside the caller's transaction."""
    parts: dict[str, list[Any]] = {"units": [], "pairings": [], "flows": []}
    try:
        with collector_paused():
            for table, records in parts.items():
                cursor = db.execute(select_json_sql(table))
                # In chunks, so that a million records never sit in memory as text.
                while rows := cursor.fetchmany(READ_CHUNK):
                    records.extend(READERS[table].validate_json("[" + ",".join(r[0] for r in rows) + "]"))
    except ValidationError as error:
        raise StoreError(f"store {uri} holds an invalid record (edited by hand?): {error}") from error
    return Dataset.model_construct(
        units=tuple(parts["units"]), pairings=tuple(parts["pairings"]), flows=tuple(parts["flows"])
    )


# Ids go in as one JSON array: any number of them in one parameter.
_IDS = "(SELECT value FROM json_each(?))"
_SUBTREE_SQL = f"""
WITH RECURSIVE inside(id) AS (
    SELECT id FROM units WHERE id IN {_IDS}
    UNION SELECT units.id FROM units JOIN inside ON units.parent_id = inside.id
) SELECT id FROM inside
"""


class SqliteScopedReads(ImportReads):
    """The look-ups of a scoped read and of an import's part on ``db``, each through an index
    (``units_parent``, ``pairings_helper``, ``pairings_helped``, ``flows_from``, ``flows_to``,
    ``units_other_code``, ``*_file``)."""

    def __init__(self, db: sqlite3.Connection, uri: str):
        self._db = db
        self._uri = uri

    def _records(self, table: str, where: str, ids: Collection[str] | None) -> list[Any]:
        parameters = () if ids is None else (json.dumps(sorted(ids), ensure_ascii=False),) * where.count("?")
        if ids is not None and not ids:
            return []
        rows = self._db.execute(select_json_sql(table, where), parameters).fetchall()
        try:
            with collector_paused():
                return list(READERS[table].validate_json("[" + ",".join(r[0] for r in rows) + "]"))
        except ValidationError as error:
            raise StoreError(f"store {self._uri} holds an invalid record (edited by hand?): {error}") from error

    def subtree(self, roots: Collection[str]) -> set[str]:
        return {row[0] for row in self._db.execute(_SUBTREE_SQL, (json.dumps(sorted(roots), ensure_ascii=False),))}

    def units(self, ids: Collection[str]) -> list[Unit]:
        return self._records("units", f"WHERE id IN {_IDS}", ids)

    def units_with_successors(self) -> list[Unit]:
        return self._records("units", "WHERE successor_ids <> '[]'", None)

    def pairings_touching(self, ids: Collection[str]) -> list[Pairing]:
        return self._records(
            "pairings",
            f"WHERE id IN (SELECT id FROM pairings WHERE helper_id IN {_IDS}"
            f" UNION SELECT id FROM pairings WHERE helped_id IN {_IDS})",
            ids,
        )

    def pairings(self, ids: Collection[str]) -> list[Pairing]:
        return self._records("pairings", f"WHERE id IN {_IDS}", ids)

    def flows(self, ids: Collection[str]) -> list[Flow]:
        return self._records("flows", f"WHERE id IN {_IDS}", ids)

    def flows_touching(self, ids: Collection[str]) -> list[Flow]:
        return self._records(
            "flows",
            f"WHERE id IN (SELECT id FROM flows WHERE from_id IN {_IDS} UNION SELECT id FROM flows WHERE to_id IN {_IDS})",
            ids,
        )

    def units_by_key(self, keys: Collection[str]) -> list[Unit]:
        return self._records(
            "units",
            f"WHERE id IN (SELECT id FROM units WHERE id IN {_IDS}"
            f" UNION SELECT id FROM units WHERE code IN {_IDS} AND code <> id)",
            keys,
        )

    def children(self, parents: Collection[str]) -> list[Unit]:
        return self._records("units", f"WHERE parent_id IN {_IDS}", parents)

    def roots(self) -> list[Unit]:
        return self._records("units", "WHERE parent_id IS NULL", None)

    def of_source(self, source: str, limit: int) -> Dataset | None:
        counts = (self._db.execute(f"SELECT count(*) FROM {t} WHERE file = ?", (source,)).fetchone()[0] for t in TABLES)
        if sum(counts) > limit:
            return None
        units, pairings, flows = (tuple(self._records(t, f"WHERE file IN {_IDS}", [source])) for t in TABLES)
        return Dataset.model_construct(units=units, pairings=pairings, flows=flows)


def read_delta(db: sqlite3.Connection, uri: str, since: str, limit: int) -> Delta | None:
    """The :class:`Delta` from version ``since`` to the current one, read on ``db`` inside
    the caller's transaction (through the imports' and the changes' primary keys)."""
    version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]
    if version == since:
        return Delta(version)
    start = db.execute("SELECT seq FROM imports WHERE version = ?", (since,)).fetchone()
    if start is None:
        return None
    later = db.execute(
        "SELECT i.written, i.removed, count(c.id) FROM imports i"
        " LEFT JOIN import_changes c ON c.import_id = i.import_id WHERE i.seq > ? GROUP BY i.seq",
        (start[0],),
    ).fetchall()
    for written, removed, changed in later:
        if not changed and sum(json.loads(written).values()) + sum(json.loads(removed).values()):
            return None  # made before changes were kept (schema 1): what it touched is unknown
    touched: dict[str, set[str]] = {table: set() for table in TABLES}
    rows = db.execute(
        "SELECT DISTINCT c.tbl, c.id FROM imports i JOIN import_changes c ON c.import_id = i.import_id WHERE i.seq > ?",
        (start[0],),
    ).fetchall()
    if len(rows) > limit:
        return None
    for table, record_id in rows:
        touched[table].add(record_id)
    return delta_of(version, touched, SqliteScopedReads(db, uri))


def read_imports(db: sqlite3.Connection) -> list[ImportSummary]:
    """The history, oldest first."""
    rows = db.execute(
        "SELECT import_id, source, imported_at, written, removed, version, author, reverts FROM imports ORDER BY seq"
    ).fetchall()
    return [
        ImportSummary(
            import_id=import_id,
            source=source,
            imported_at=dt.datetime.fromisoformat(imported_at),
            written=json.loads(written),
            removed=json.loads(removed),
            version=version,
            author=author,
            reverts=reverts,
        )
        for import_id, source, imported_at, written, removed, version, author, reverts in rows
    ]


def read_changes(db: sqlite3.Connection, import_id: str) -> list[Change]:
    """What ``import_id`` touched, with each record's version before it."""
    rows = db.execute("SELECT tbl, id, before FROM import_changes WHERE import_id = ?", (import_id,)).fetchall()
    return [
        Change(table, record_id, None if before is None else decode_record(table, before))
        for table, record_id, before in rows
    ]
