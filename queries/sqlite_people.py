"""The ``people`` table of the SQLite store: one row per person, scopes as JSON text."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from pairnet.graph.errors import StoreError

from .people import Person, Role

__all__ = ["TABLE", "read", "save"]

_ROLES = ", ".join(f"'{role.value}'" for role in Role)

TABLE = f"""
CREATE TABLE IF NOT EXISTS people (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ({_ROLES})),
    scopes TEXT NOT NULL,
    token_index TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) WITHOUT ROWID
"""

_COLUMNS = "name, role, scopes, token_index, token_hash, created_at, revoked_at"


def save(db: sqlite3.Connection, person: Person, uri: str) -> None:
    """Insert ``person`` or replace the row of the same name, in a transaction of its own."""
    row = (
        person.name,
        person.role.value,
        json.dumps(list(person.scopes), ensure_ascii=False),
        person.token_index,
        person.token_hash,
        person.created_at.isoformat(),
        None if person.revoked_at is None else person.revoked_at.isoformat(),
    )
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute(f"INSERT OR REPLACE INTO people ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        db.execute("COMMIT")
    except BaseException as error:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise StoreError(f"could not write to store {uri}: {error}") from error
        raise


def read(db: sqlite3.Connection) -> list[Person]:
    """Every person, sorted by name."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM people ORDER BY name").fetchall()
    return [
        Person(
            name=name,
            role=Role(role),
            scopes=tuple(json.loads(scopes)),
            token_index=token_index,
            token_hash=token_hash,
            created_at=dt.datetime.fromisoformat(created_at),
            revoked_at=None if revoked_at is None else dt.datetime.fromisoformat(revoked_at),
        )
        for name, role, scopes, token_index, token_hash, created_at, revoked_at in rows
    ]
