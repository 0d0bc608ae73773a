"""Benchmark of the embedded store: write and snapshot rates against bare SQLite.

    .venv/bin/python bench/sqlite_store.py [UNITS]

Builds UNITS synthetic villages (half on each side) and as many pairings, then
times, in the same run: a bare ``executemany`` INSERT of already-encoded rows into the
same schema (the baseline), ``SqliteStore.write`` of the dataset (encoding, upserts,
provenance, version), a reload of the same dataset (upserts that hit existing ids),
a bare ``SELECT`` of every row, and ``snapshot()`` (validated models). It prints seconds,
records per second and each rate as a ratio of its baseline; the goal for write is
at least 0.5.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from pairnet.graph.model import Dataset, Pairing, Source, Unit
from pairnet.store.sqlite_schema import COLUMNS, ENCODE, PROVENANCE
from pairnet.store.sqlite_store import SqliteStore


def synthetic(count: int) -> Dataset:
    """About ``count`` units (villages, half on each side) and ``count`` pairings: each
    helped village has two partners."""
    half = count // 2
    county = Unit(id="c", kind="county", name="县", side="helped")
    city = Unit(id="e", kind="city", name="市", side="helper")
    helped = [
        Unit(
            id=f"v{i:07d}",
            kind="village",
            name=f"村{i}",
            side="helped",
            parent_id="c",
            poverty="deeply_poor",
            source=Source(sheet="units", row=i + 2),
        )
        for i in range(half)
    ]
    helpers = [
        Unit(
            id=f"h{i:07d}",
            kind="village",
            name=f"东村{i}",
            side="helper",
            parent_id="e",
            source=Source(sheet="units", row=half + i + 2),
        )
        for i in range(half)
    ]
    pairings = [
        Pairing(
            id=f"p{i:07d}-{k}",
            helper_id=f"h{(i + k) % half:07d}",
            helped_id=f"v{i:07d}",
            level="village",
            start=dt.date(2018, 1, 1),
            source=Source(sheet="pairings", row=2 * i + k + 2),
        )
        for i in range(half)
        for k in (0, 1)
    ]
    return Dataset(units=(county, city, *helped, *helpers), pairings=tuple(pairings))


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(count: int) -> None:
    dataset = synthetic(count)
    records = len(dataset.units) + len(dataset.pairings)
    with tempfile.TemporaryDirectory() as folder:
        bare_store = SqliteStore(Path(folder) / "bare.db")
        bare_store.close()
        db = sqlite3.connect(Path(folder) / "bare.db", isolation_level=None)
        encoded = {
            table: [
                (*ENCODE[table](r), "i", "bench", r.source.sheet, r.source.row, "2020-01-01T00:00:00+00:00")
                for r in getattr(dataset, table)
            ]
            for table in ("units", "pairings")
        }

        def bare_insert() -> None:
            db.execute("BEGIN IMMEDIATE")
            for table, rows in encoded.items():
                names = ", ".join(f'"{c}"' for c in (*COLUMNS[table], *PROVENANCE))
                marks = ", ".join("?" * len(rows[0]))
                db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            db.execute("COMMIT")

        def bare_select() -> None:
            for table in ("units", "pairings"):
                db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()

        bare_write = _timed(bare_insert)
        bare_read = _timed(bare_select)
        db.close()

        store = SqliteStore(Path(folder) / "store.db")
        write = _timed(lambda: store.write(dataset, source="bench.xlsx"))
        reload = _timed(lambda: store.write(dataset, source="bench.xlsx", replace=True))
        snapshot = _timed(store.snapshot)
        store.close()

    print(f"{records} records ({len(dataset.units)} units, {len(dataset.pairings)} pairings)")
    for label, seconds, baseline in (
        ("bare executemany", bare_write, bare_write),
        ("store.write", write, bare_write),
        ("store.write again, replace", reload, bare_write),
        ("bare select", bare_read, bare_read),
        ("store.snapshot", snapshot, bare_read),
    ):
        print(
            f"{label:28s} {seconds:7.2f} s {records / seconds:10.0f} rec/s  ratio to baseline {baseline / seconds:5.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
