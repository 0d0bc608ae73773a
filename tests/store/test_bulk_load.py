"""The fast load (rows parsed with fewer steps, rows written in key order, the indexes of an
empty table built after its rows) leaves exactly the store the reference path left.

The digests were computed at commit 4800ef3, before the fast path, with the same imports
(``tests.support.store_digest``: every column but the imports' ids and times, the history,
each import's changes with the record before it, the indexes). Should the sample or the
province generator change on purpose, compute them again at the commit before the change.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.province import load_province
from tests.support.store_digest import store_digest

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe"
SAMPLE_DIGEST = "3b2f0a40b8dee9d959becbb551f1b977160f836356472cd98d28fcc4788060ea"
PROVINCE_DIGEST = "54f98ecbe6fb22cec2f17c38977d19b186ab1c1d74bca9832b14705e397bb635"


def _indexes(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()
    db.close()
    return found


def test_the_sample_loads_as_before(tmp_path):
    """Into an empty store (the fast path), then over it: a replace, and another source."""
    path = tmp_path / "sample.db"
    with open_store(str(path)) as store:
        import_file(store, SAMPLE, source="sample")
        import_file(store, SAMPLE / "zhangjiagang-yanhe.xlsx", source="sample", replace=True)
        import_file(store, SAMPLE / "zhangjiagang-yanhe.xlsx", confirm=True)
    assert store_digest(path) == SAMPLE_DIGEST


def test_the_province_set_loads_as_before(tmp_path):
    path = tmp_path / "province.db"
    with open_store(str(path)) as store:
        load_province(store, tmp_path)
    assert store_digest(path) == PROVINCE_DIGEST


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
