"""A digest of everything an import leaves in a SQLite store, for comparing two ways of loading."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from pairnet.store.sqlite_schema import COLUMNS

# Each import's id and time differ between two runs of the same import: left out.
_HISTORY = "SELECT source, written, removed, author, reverts FROM imports ORDER BY seq"
_CHANGES = "SELECT i.seq, c.tbl, c.id, c.before IS NULL FROM import_changes c JOIN imports i USING (import_id) ORDER BY 1, 2, 3"
# The record before a change, whose own import id and time differ too.
_BEFORE = (
    "SELECT c.before FROM import_changes c JOIN imports i USING (import_id)"
    " WHERE c.before IS NOT NULL ORDER BY i.seq, c.tbl, c.id"
)


def _records(table: str) -> str:
    columns = ", ".join(f'"{c}"' for c in (*COLUMNS[table], "file", "sheet", "row"))
    return f"SELECT {columns} FROM {table} ORDER BY id"


def store_digest(path: Path) -> str:
    """SHA-256 of the records (every column but the import's id and time), the history and
    each import's changes (with the record before it) of the store at ``path``. Not the
    indexes: they belong to the schema's version (compare them with an empty store's)."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        queries = [*(_records(t) for t in COLUMNS), _HISTORY, _CHANGES]
        for query in queries:
            for row in db.execute(query):
                digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8"))
        for (before,) in db.execute(_BEFORE):
            record = json.loads(before)
            record["source"] = {k: v for k, v in record["source"].items() if k not in ("import_id", "imported_at")}
            digest.update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    db.close()
    return digest.hexdigest()
