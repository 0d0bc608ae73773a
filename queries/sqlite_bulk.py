"""Writing many rows into the SQLite store fast, inside the caller's transaction.

Two things make a large import cost close to a bare ``executemany``:

- rows go in sorted by primary key, so that each B-tree grows at its right edge rather
  than splitting pages all over the file;
- into an empty table, its secondary indexes are dropped first and created again once
  the rows are in: one sort per index instead of one random insert per row.

Both happen inside the import's transaction (SQLite's DDL is transactional), so a failed
or killed import leaves the schema, indexes included, as it was; journal mode and
``synchronous`` are left as the store set them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

__all__ = ["CACHE_KIB", "indexes_deferred"]

# The page cache of a writing connection (KiB): a large import's dirty pages, and the sort
# of CREATE INDEX (SQLite sizes its in-memory sort by the cache), stay in memory longer.
# SQLite allocates it only as used; the national load's peak was 3.94 GiB either way.
CACHE_KIB = 256 * 1024


def _is_empty(db: sqlite3.Connection, table: str) -> bool:
    return db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None


@contextmanager
def indexes_deferred(db: sqlite3.Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes of those ``tables`` that are empty, and create them again
    (with their own ``CREATE INDEX`` text) when the block ends without an exception."""
    deferred = [
        (name, sql)
        for table in tables
        if _is_empty(db, table)
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        ).fetchall()
    ]
    for name, _sql in deferred:
        db.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in deferred:
        db.execute(sql)
