"""Snapshot: the NetworkX network built from each store, in a fresh process, against a
bare read of the same rows (SQLite ``SELECT *``; Neo4j one ``RETURN properties(...)`` scan
per record type). Figures: time and the peak memory of the process (goal: under 3 GiB at
national scale)."""

from __future__ import annotations

import sqlite3

import neo4j

# Imported up front (open_store imports them on first use) so that timings leave imports out.
import pairnet.store.neo4j_store  # noqa: F401,E402,I001
import pairnet.store.sqlite_store  # noqa: F401,E402
from pairnet.graph.network import build_network
from pairnet.store.store import open_store

from .common import Context, Row, in_child, neo4j_auth

__all__ = ["run"]

GIB = 2**30


def _network(uri: str) -> dict:
    with open_store(uri) as store:
        G = build_network(store.snapshot())
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def _bare_sqlite(path: str) -> int:
    db = sqlite3.connect(path)
    rows = sum(len(db.execute(f"SELECT * FROM {table}").fetchall()) for table in ("units", "pairings", "flows"))
    db.close()
    return rows


def _bare_neo4j(uri: str) -> int:
    queries = (
        "MATCH (u:Unit) RETURN properties(u) AS p",
        "MATCH ()-[p:PAIRED_WITH]->() RETURN properties(p) AS p",
        "MATCH (f:Flow) RETURN properties(f) AS p",
    )
    with neo4j.GraphDatabase.driver(uri, auth=neo4j_auth()) as driver:
        return sum(len(driver.execute_query(query).records) for query in queries)


def run(ctx: Context) -> list[Row]:
    result = []
    for name, bare in (("sqlite", _bare_sqlite), ("neo4j", _bare_neo4j)):
        uri = ctx.shared.get(name)
        if uri is None:
            continue
        seconds, peak, shape = in_child(_network, uri)
        bare_seconds, bare_peak, rows = in_child(bare, uri)
        label = "SQLite" if name == "sqlite" else f"Neo4j ({ctx.neo4j_scale} scale)" if ctx.neo4j_scale else "Neo4j"
        result.append(
            Row(
                "snapshot",
                f"{label}: network of {shape['nodes']:,} units, {shape['edges']:,} pairings",
                seconds,
                "s",
                "bare read of every row",
                bare_seconds,
                note=f"{rows:,} rows read bare",
            )
        )
        result.append(
            Row(
                "snapshot",
                f"{label}: peak memory of the process",
                peak / GIB,
                "GiB",
                "bare read",
                bare_peak / GIB,
                limit=3.0 if ctx.scale == "national" and not (name == "neo4j" and ctx.neo4j_scale) else None,
                goal_text="< 3 GiB at national scale",
            )
        )
    return result
