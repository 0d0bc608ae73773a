"""Load: the generated folder into each store, against writing the same rows bare.

- Embedded: ``pairnet.imports.import_file`` into a new SQLite file (read, resolve,
  validate, write) against the limit: the same CSV rows read with :mod:`csv` and written
  with one ``sqlite3.executemany`` per table, no validation. Goal: at least 0.5 of its rate.
- Neo4j: ``import_file`` into Neo4j (batched ``UNWIND … MERGE``) against one ``MERGE`` per
  unit row (the naive loader), measured on a slice of the units and compared as rates.

The loaded stores are kept in ``ctx.shared`` for the snapshot, coverage and API benchmarks.
"""

from __future__ import annotations

import csv
import sqlite3
import time

import neo4j

# Imported up front (open_store imports them on first use) so that timings leave imports out.
import pairnet.store.neo4j_store  # noqa: F401,E402,I001
import pairnet.store.sqlite_store  # noqa: F401,E402
from pairnet.imports import import_file
from pairnet.store.store import open_store

from .common import Context, Row, in_child, neo4j_auth, timed

__all__ = ["run"]


def _rows(folder) -> int:
    total = 0
    for name in ("units", "pairings", "flows"):
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            total += sum(1 for _ in handle) - 1
    return total


def _bare_sqlite(folder: str, path: str) -> int:
    db = sqlite3.connect(path, isolation_level=None)
    written = 0
    db.execute("BEGIN")
    for name in ("units", "pairings", "flows"):
        with open(f"{folder}/{name}.csv", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f'"{c}"' for c in header)
            db.execute(f'CREATE TABLE "{name}" ({columns}, PRIMARY KEY ("id")) WITHOUT ROWID')
            before = db.total_changes
            db.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(header))})', reader)
            written += db.total_changes - before
    db.execute("COMMIT")
    db.close()
    return written


def _pairnet_import(folder: str, uri: str) -> dict:
    with open_store(uri) as store:
        return import_file(store, folder, source="synth").counts


def _merge_per_row(folder: str, uri: str, limit: int) -> tuple[int, float]:
    """One MERGE per unit row, each its own statement, in one transaction."""
    with neo4j.GraphDatabase.driver(uri, auth=neo4j_auth()) as driver, driver.session() as session:
        session.run("CREATE CONSTRAINT bench_unit IF NOT EXISTS FOR (u:BenchUnit) REQUIRE u.id IS UNIQUE").consume()
        with open(f"{folder}/units.csv", encoding="utf-8", newline="") as handle:
            rows = [row for _, row in zip(range(limit), csv.DictReader(handle), strict=False)]
        start = time.perf_counter()
        with session.begin_transaction() as tx:
            for row in rows:
                tx.run(
                    "MERGE (u:BenchUnit {id: $id}) SET u.kind = $kind, u.name = $name, u.side = $side, u.parent_id = $parent",
                    id=row["id"],
                    kind=row["kind"],
                    name=row["name"],
                    side=row["side"],
                    parent=row["parent"] or None,
                ).consume()
            tx.commit()
        seconds = time.perf_counter() - start
        session.run("MATCH (u:BenchUnit) CALL (u) { DETACH DELETE u } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("DROP CONSTRAINT bench_unit IF EXISTS").consume()
    return len(rows), seconds


def run(ctx: Context) -> list[Row]:
    rows = _rows(ctx.data)
    bare_path = ctx.work / "bare.db"
    bare_path.unlink(missing_ok=True)
    bare_seconds, written = timed(lambda: _bare_sqlite(str(ctx.data), str(bare_path)))
    assert written == rows, f"the bare load wrote {written} of {rows} rows"
    store_path = ctx.work / "pairnet.db"
    store_path.unlink(missing_ok=True)
    seconds, peak, _counts = in_child(_pairnet_import, str(ctx.data), str(store_path))
    ctx.shared["sqlite"] = str(store_path)
    result = [
        Row(
            "load",
            f"SQLite: import {rows:,} rows",
            rows / seconds,
            "rows/s",
            "bare csv + executemany",
            rows / bare_seconds,
            higher_is_better=True,
            goal=0.5,
            goal_text="≥ 0.5 of bare",
            note=f"{seconds:.1f} s vs {bare_seconds:.1f} s; peak {peak / 2**30:.2f} GiB",
        ),
    ]
    if ctx.neo4j_uri:
        folder = ctx.neo4j_data or ctx.data
        rows = _rows(folder)
        seconds, peak, _counts = in_child(_pairnet_import, str(folder), ctx.neo4j_uri)
        ctx.shared["neo4j"] = ctx.neo4j_uri
        sample = 2_000 if ctx.quick else 20_000
        merged, merge_seconds = _merge_per_row(str(folder), ctx.neo4j_uri, sample)
        scale = f" ({ctx.neo4j_scale} scale)" if ctx.neo4j_scale else ""
        result.append(
            Row(
                "load",
                f"Neo4j{scale}: import {rows:,} rows",
                rows / seconds,
                "rows/s",
                f"one MERGE per row ({merged:,} units)",
                merged / merge_seconds,
                higher_is_better=True,
                goal=1.0,
                goal_text="faster than per-row MERGE",
                note=f"{seconds:.1f} s; client peak {peak / 2**30:.2f} GiB",
            ),
        )
    return result
