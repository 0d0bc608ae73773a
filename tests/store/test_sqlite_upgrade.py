"""A store of schema 1 (before authors, reverts and import_changes) opens, upgraded in place."""

from __future__ import annotations

import sqlite3

import pytest

from pairnet.imports import import_file
from pairnet.revert import RevertRefused, revert_import
from pairnet.store.sqlite_schema import SCHEMA_VERSION
from pairnet.store.sqlite_store import SqliteStore
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


def test_a_schema_2_store_gains_the_indexes_of_scoped_reads(tmp_path):
    db = tmp_path / "two.db"
    with SqliteStore(db) as store:
        import_file(store, write_sheet(tmp_path / "base", "units", BASE_UNITS), source="base")
    indexes = ("units_parent", "units_with_successors", "pairings_helper", "pairings_helped", "flows_from", "flows_to")
    with sqlite3.connect(db) as raw:  # back to what schema 2 had
        for name in indexes:
            raw.execute(f"DROP INDEX {name}")
        raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    with SqliteStore(db) as store:
        assert {u.id for u in store.snapshot(scope={"520627"}).units} == {"520627", "520627110", "520627111"}
    with sqlite3.connect(db) as raw:
        found = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert set(indexes) <= found
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
        plan = " ".join(
            row[3] for row in raw.execute("EXPLAIN QUERY PLAN SELECT id FROM units WHERE parent_id = ?", ("x",))
        )
        assert "units_parent" in plan


def test_a_schema_2_store_takes_units_without_a_side(tmp_path):
    """Schema 2 required a side on every unit; opened now, the table is rebuilt in place,
    its units kept, and a unit without a side (roles belong to pairings) can be written."""
    db = tmp_path / "old.db"
    with SqliteStore(db) as store:
        import_file(store, write_sheet(tmp_path / "base", "units", BASE_UNITS), source="base")
        before = store.snapshot().units
    with sqlite3.connect(db) as raw:  # back to schema 2's units table: side NOT NULL
        raw.execute("ALTER TABLE units RENAME TO units_new")
        (sql,) = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'units_new'").fetchone()
        raw.execute(sql.replace("units_new", "units").replace("side TEXT CHECK", "side TEXT NOT NULL CHECK"))
        raw.execute("INSERT INTO units SELECT * FROM units_new")
        raw.execute("DROP TABLE units_new")
        raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("UPDATE units SET side = NULL")
    with SqliteStore(db) as store:
        assert store.snapshot().units == before
        import_file(
            store, write_sheet(tmp_path / "v", "units", [BASE_UNITS[0], ["5206", "city", "铜仁市", "", ""]]), source="v"
        )
        assert next(u for u in store.snapshot().units if u.id == "5206").side is None
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)


def test_a_schema_3_store_gains_the_assumed_column(tmp_path):
    """Schema 3 had no ``assumed`` column: opened now, each record table gets it (nothing
    assumed for the records it holds), and assumed values are written and read back."""
    db = tmp_path / "three.db"
    with SqliteStore(db) as store:
        import_file(store, write_sheet(tmp_path / "base", "units", BASE_UNITS), source="base")
        before = store.snapshot().units
    with sqlite3.connect(db) as raw:  # back to schema 3: no assumed column anywhere
        for table in ("units", "pairings", "flows"):
            raw.execute(f"ALTER TABLE {table} DROP COLUMN assumed")
        raw.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    with SqliteStore(db) as store:
        assert store.snapshot().units == before
        assert {u.assumed for u in before} == {()}
        rows = [[*BASE_UNITS[0], "poverty", "assumed"]]
        rows.append(["520627110001", "village", "高峰村", "helped", "520627110", "deeply_poor", "贫困状况"])
        import_file(store, write_sheet(tmp_path / "v", "units", rows), source="v")
        gaofeng = next(u for u in store.snapshot().units if u.id == "520627110001")
        assert (gaofeng.poverty, gaofeng.assumed) == ("deeply_poor", ("poverty",))
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,) == ("5",)
        for table in ("units", "pairings", "flows"):
            assert "assumed" in {row[1] for row in raw.execute(f"PRAGMA table_info({table})")}
