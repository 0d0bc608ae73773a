"""A store of schema 1 (before authors, reverts and import_changes) opens, upgraded in place."""

from __future__ import annotations

import sqlite3

import pytest

from pairnet.imports import import_file
from pairnet.revert import RevertRefused, revert_import
from pairnet.store.sqlite_store import SCHEMA_VERSION, SqliteStore
from tests.support.writes import BASE_UNITS, write_sheet


def test_a_schema_1_store_is_upgraded_and_keeps_its_history(tmp_path):
    db = tmp_path / "old.db"
    with SqliteStore(db) as store:
        import_file(store, write_sheet(tmp_path / "base", "units", BASE_UNITS), source="base")
    with sqlite3.connect(db) as raw:  # back to what schema 1 had
        raw.execute("ALTER TABLE imports DROP COLUMN author")
        raw.execute("ALTER TABLE imports DROP COLUMN reverts")
        raw.execute("DROP TABLE import_changes")
        raw.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    with SqliteStore(db) as store:
        (old,) = store.imports()
        assert (old.source, old.author) == ("base", None)
        with pytest.raises(RevertRefused, match="before pairnet kept what a revert needs"):
            revert_import(store, old.import_id, confirm=True)
        extra = write_sheet(
            tmp_path / "v", "units", [BASE_UNITS[0], ["520627112", "township", "新镇", "helped", "520627"]]
        )
        added = import_file(store, extra, source="v", author="王芳")
        revert_import(store, added.summary.import_id, confirm=True)
        assert "520627112" not in {u.id for u in store.snapshot().units}
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
