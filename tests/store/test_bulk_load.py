"""The fast load (rows parsed with fewer steps, rows written in key order, the indexes of an
empty table built after its rows) leaves exactly the store the reference path left.

The digests were computed at commit 4800ef3, before the fast path, with the same imports
(``tests.support.store_digest``: every column but the imports' ids and times, the history,
each import's changes with the record before it); the indexes a load leaves are those of an
empty store of the same schema. Should the sample or the
province generator change on purpose, compute them again at the commit before the change.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from pairnet.imports import import_file
from pairnet.store import sqlite_store
from pairnet.store.store import open_store
from tests.support.province import load_province
from tests.support.reliability import write_network
from tests.support.store_digest import store_digest

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe"
SAMPLE_DIGEST = "db4ebb47a6ce8a519f60cbd8f67f4fe470addb32dc9d53bdcef3f95175de257e"
PROVINCE_DIGEST = "99d8483755b79b7cb6bfa3f837d9fb2f8a08a57f36e1e9b14191da344b06445f"


def _indexes(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()
    db.close()
    return found


def _schema_indexes(tmp_path: Path) -> list[tuple[str, str]]:
    """The indexes an empty store of this schema has."""
    path = tmp_path / "schema.db"
    open_store(str(path)).close()
    return _indexes(path)


def test_the_sample_loads_as_before(tmp_path):
    """Into an empty store (the fast path), then over it: a replace, and another source."""
    path = tmp_path / "sample.db"
    with open_store(str(path)) as store:
        import_file(store, SAMPLE, source="sample")
        import_file(store, SAMPLE / "zhangjiagang-yanhe.xlsx", source="sample", replace=True)
        import_file(store, SAMPLE / "zhangjiagang-yanhe.xlsx", source="zhangjiagang-yanhe.xlsx", confirm=True)
    assert store_digest(path) == SAMPLE_DIGEST
    assert _indexes(path) == _schema_indexes(tmp_path)


def test_the_province_set_loads_as_before(tmp_path):
    path = tmp_path / "province.db"
    with open_store(str(path)) as store:
        load_province(store, tmp_path)
    assert store_digest(path) == PROVINCE_DIGEST
    assert _indexes(path) == _schema_indexes(tmp_path)


def test_a_failed_load_into_an_empty_store_keeps_its_indexes(tmp_path):
    """The indexes dropped for the load come back with the rollback, as if never touched."""
    path = tmp_path / "empty.db"
    open_store(str(path)).close()
    indexes = _indexes(path)
    assert len(indexes) >= 10

    def fail(done: int, total: int) -> None:
        raise RuntimeError("stopped after the first batch")

    with open_store(str(path)) as store, pytest.raises(RuntimeError, match="first batch"):
        import_file(store, SAMPLE, source="sample", progress=fail)
    assert _indexes(path) == indexes
    with open_store(str(path)) as store:
        assert store.snapshot().counts() == {"units": 0, "pairings": 0, "flows": 0}
        import_file(store, SAMPLE, source="sample")
        assert store.snapshot().counts()["units"] > 0
    assert _indexes(path) == indexes


def _killed_after_a_batch(path: Path, folder: Path) -> None:
    """Fork a child that loads ``folder`` into ``path`` in small batches; SIGKILL it once it
    has written its first batch (its indexes dropped, its rows half in: it waits there)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read_end)
            sqlite_store.BATCH = 100
            with open_store(str(path)) as store:

                def written(done: int, total: int) -> None:
                    os.write(write_end, b"batch\n")
                    time.sleep(60)  # killed before it wakes

                import_file(store, folder, progress=written)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as reports:
        assert reports.readline().strip() == "batch"
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_a_load_into_an_empty_store_killed_midway_leaves_it_empty_with_its_indexes(tmp_path):
    path = tmp_path / "killed.db"
    open_store(str(path)).close()
    indexes = _indexes(path)
    folder = write_network(tmp_path / "network", 300)
    _killed_after_a_batch(path, folder)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM units").fetchone() == (0,)
    db.close()
    assert _indexes(path) == indexes
    with open_store(str(path)) as store:
        import_file(store, folder)
        assert store.snapshot().counts()["units"] > 300
    assert _indexes(path) == indexes
