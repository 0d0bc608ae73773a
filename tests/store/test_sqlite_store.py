"""What only the SQLite store does: its schema, its file, crashes, concurrent readers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pairnet.graph.errors import StoreError, StoreUnavailable
from pairnet.graph.model import Dataset, Flow, Pairing, Unit
from pairnet.store.sqlite_schema import COLUMNS, PROVENANCE
from pairnet.store.sqlite_store import BATCH, SqliteStore
from pairnet.store.store import open_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "pairnet.db"


def villages(count: int, *, prefix: str = "v") -> tuple[Unit, ...]:
    return tuple(Unit(id=f"{prefix}{i:06d}", kind="village", name=f"村{i}", side="helped") for i in range(count))


@pytest.mark.parametrize(("table", "model"), [("units", Unit), ("pairings", Pairing), ("flows", Flow)])
def test_a_column_for_every_model_field(path, table, model):
    assert set(COLUMNS[table]) == set(model.model_fields) - {"source"}
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        stored = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    assert stored == [*COLUMNS[table], *PROVENANCE]


def test_open_store_takes_a_path_or_a_sqlite_uri(path, dataset):
    with open_store(str(path)) as store:
        store.write(dataset, source="a.xlsx")
    with open_store(f"sqlite:///{path}") as store:
        assert isinstance(store, SqliteStore)
        assert store.snapshot().counts() == dataset.counts()


def test_wal_journal_and_full_sync(path):
    with SqliteStore(path) as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_version_is_readable_from_another_process(path, dataset):
    read = [
        sys.executable,
        "-c",
        f"import sqlite3; print(sqlite3.connect({str(path)!r}).execute(\"SELECT value FROM meta WHERE key = 'version'\").fetchone()[0])",
    ]
    with SqliteStore(path) as store:
        assert subprocess.run(read, capture_output=True, text=True, check=True).stdout.strip() == store.version()
        store.write(dataset, source="a.xlsx")
        assert subprocess.run(read, capture_output=True, text=True, check=True).stdout.strip() == store.version()
        assert store.version().startswith("1-")


def test_two_new_stores_have_different_versions(tmp_path):
    with SqliteStore(tmp_path / "a.db") as a, SqliteStore(tmp_path / "b.db") as b:
        assert a.version() != b.version()


def test_a_killed_import_leaves_the_file_as_before(path, dataset):
    with SqliteStore(path) as store:
        store.write(dataset, source="a.xlsx")
        before, version = store.snapshot(), store.version()
    # A child process writes a large import and dies (no cleanup at all) once every row is
    # sent and before the commit.
    script = textwrap.dedent(
        f"""
        import os
        from pairnet.graph.model import Dataset, Unit
        from pairnet.store.sqlite_store import SqliteStore
        store = SqliteStore({str(path)!r})
        units = tuple(Unit(id=f"n{{i}}", kind="village", name="村", side="helped") for i in range({BATCH * 2}))
        def die(done, total):
            if done == total:
                os._exit(9)
        store.write(Dataset(units=units), source="a.xlsx", replace=True, progress=die)
        """
    )
    child = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert child.returncode == 9, child.stderr
    with SqliteStore(path) as store:
        assert store.snapshot() == before
        assert store.version() == version
        assert len(store.imports()) == 1


def test_a_reader_sees_the_last_commit_while_an_import_writes(path, dataset):
    seen = []
    with SqliteStore(path) as writer, SqliteStore(path) as reader:
        version = reader.version()

        def look(done, total):
            seen.append((reader.snapshot().counts(), reader.version()))

        writer.write(dataset, source="a.xlsx", progress=look)
        assert seen and all(item == ({"units": 0, "pairings": 0, "flows": 0}, version) for item in seen)
        assert reader.snapshot().counts() == dataset.counts()
        assert reader.version() == writer.version() != version


def test_large_writes_in_batches_and_replace_with_many_ids(path):
    calls = []
    with SqliteStore(path) as store:
        store.write(Dataset(units=villages(BATCH + 1500)), source="big.csv", progress=lambda d, t: calls.append((d, t)))
        assert calls == [(BATCH, BATCH + 1500), (BATCH + 1500, BATCH + 1500)]
        summary = store.write(Dataset(units=villages(1500)), source="big.csv", replace=True)
        assert summary.removed["units"] == BATCH
        assert [u.id for u in store.snapshot().units] == [f"v{i:06d}" for i in range(1500)]


def test_a_value_outside_an_enum_is_refused_and_nothing_is_written(path, dataset):
    bad = Unit.model_construct(**{**dict(dataset.units[0]), "id": "bad", "kind": "planet"})
    with SqliteStore(path) as store:
        store.write(dataset, source="a.xlsx")
        version = store.version()
        with pytest.raises(StoreError, match="CHECK constraint"):
            store.write(Dataset.model_construct(units=(dataset.units[1], bad), pairings=(), flows=()), source="b.xlsx")
        assert store.version() == version
        assert "bad" not in {u.id for u in store.snapshot().units}
        assert [i.source for i in store.imports()] == ["a.xlsx"]


def test_a_record_edited_by_hand_into_nonsense_is_reported(path, dataset):
    with SqliteStore(path) as store:
        store.write(dataset, source="a.xlsx")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE units SET population = -5 WHERE id = '520627'")
    with SqliteStore(path) as store, pytest.raises(StoreError, match="invalid record"):
        store.snapshot()


def test_a_missing_folder_is_unavailable(tmp_path):
    with pytest.raises(StoreUnavailable, match="does not exist"):
        SqliteStore(tmp_path / "nowhere" / "pairnet.db")


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database, just text " * 100)
    with pytest.raises(StoreUnavailable, match="not a database"):
        SqliteStore(notes)


def test_a_store_of_another_schema_is_refused(path):
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="schema 99"):
        SqliteStore(path)


def test_reopening_keeps_everything(path, dataset):
    with SqliteStore(path) as store:
        first = store.write(dataset, source="a.xlsx")
        snap, version = store.snapshot(), store.version()
    with SqliteStore(path) as store:
        assert store.snapshot() == snap
        assert store.version() == version
        assert [i.import_id for i in store.imports()] == [first.import_id]


def test_a_write_while_another_process_writes_reports_busy(path, dataset):
    SqliteStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        with SqliteStore(path, busy_timeout=0.05) as store:
            version = store.version()
            with pytest.raises(StoreUnavailable, match="busy"):
                store.write(dataset, source="a.xlsx")
            other.execute("ROLLBACK")
            assert store.version() == version and store.snapshot().counts()["units"] == 0
            store.write(dataset, source="a.xlsx")
            assert store.snapshot().counts() == dataset.counts()
    finally:
        other.close()
