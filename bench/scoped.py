"""Scoped questions and small edits on a big store (issue "National scale without waiting").

- One county's gaps through the CLI (``pairnet gaps --county 520627 --as-of 2020-12-31``), wall
  time and peak memory, on the store the load benchmark filled, against the same command on a
  store holding only that county pair (``pairnet synth --scale county``). Goal: at most twice
  the time, and at most 300 MiB.
- An import of 1,000 pairings (existing ones with a changed note, so the file is valid against
  both stores) into a copy of that store, against the same import into a store of the
  province slice. Goal: at most 1.5 times the time.

- One county's gaps from Neo4j with scoped Cypher (:meth:`Store.snapshot` with a scope, then
  the analysis; the median of five runs), against the same answer from the whole Neo4j
  snapshot. Goal: at most 200 ms.

At ``--quick`` (county scale) both sides of each row are county stores: the rows only show
that the benchmark runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pairnet.graph.network import build_network
from pairnet.imports import import_file
from pairnet.service import analyses, question
from pairnet.service.scoped import network_for
from pairnet.store.store import open_store
from pairnet.synth import generate

from .common import Context, Row

__all__ = ["run"]

COUNTY = "520627"
AS_OF = "2020-12-31"
PAIRINGS = 1000
MIB = 2**20
RUNS = 5  # scoped Cypher runs timed


def _cli_gaps(store: str) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of ``pairnet gaps`` for one county, in its own
    process (GNU time reports the peak of that process alone)."""
    pairnet = str(Path(sys.executable).with_name("pairnet"))
    command = ["/usr/bin/time", "-f", "%M", pairnet, "gaps", "--county", COUNTY, "--as-of", AS_OF, "--format", "json"]
    begin = time.perf_counter()
    done = subprocess.run([*command, "--store", store], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - begin
    return seconds, int(done.stderr.strip().splitlines()[-1]) * 1024


def _store_of(ctx: Context, scale: str) -> str:
    folder = ctx.work / f"scoped-{scale}"
    generate(ctx.shared["register"], folder / "data", scale=scale, seed=2016)
    path = str(folder / "store.db")
    with open_store(path) as store:
        import_file(store, folder / "data", source="synth")
    return path


def _edited_pairings(store_path: str, target: Path) -> tuple[Path, int]:
    """Up to :data:`PAIRINGS` pairings of the store at ``store_path``, by id, with a changed
    note, and how many."""
    with open_store(store_path) as store:
        pairings = store.snapshot().pairings[:PAIRINGS]
    header = ["id", "helper", "helped", "level", "mode", "program", "start", "end", "note"]
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for p in pairings:
            writer.writerow(
                [
                    p.id,
                    p.helper_id,
                    p.helped_id,
                    p.level,
                    p.mode or "",
                    p.program or "",
                    p.start or "",
                    p.end or "",
                    "benchmark edit",
                ]
            )
    return target, len(pairings)


def _import_seconds(store_path: str, file: Path) -> float:
    with open_store(store_path) as store:
        begin = time.perf_counter()
        import_file(store, file, source="benchmark-edit", confirm=True)  # it edits the load's records
        return time.perf_counter() - begin


def _gaps_seconds(uri: str, *, scoped: bool) -> tuple[float, int]:
    """Seconds for one county's gaps from the store at ``uri`` (its scoped read, or the whole
    snapshot), and how many gaps."""
    with open_store(uri) as store:
        begin = time.perf_counter()
        if scoped:
            G, resolve = network_for(store, COUNTY)
        else:
            G = build_network(store.snapshot())
            resolve = None
        asked = question(G, county=COUNTY, as_of=dt.date.fromisoformat(AS_OF), resolve=resolve)
        rows = analyses.gaps(G, asked).rows
        return time.perf_counter() - begin, len(rows)


def _neo4j_rows(ctx: Context) -> list[Row]:
    uri = ctx.shared.get("neo4j")
    if uri is None:
        return []
    whole_seconds, whole_gaps = _gaps_seconds(uri, scoped=False)
    _gaps_seconds(uri, scoped=True)  # the first query plans the Cypher; planners keep the plans
    # A fraction of a second on a shared machine: the median of five, as one run is noise.
    runs = [_gaps_seconds(uri, scoped=True) for _ in range(RUNS)]
    seconds, gaps = statistics.median(s for s, _ in runs), runs[0][1]
    scale = ctx.neo4j_scale or ctx.scale
    return [
        Row(
            "scoped",
            f"Neo4j ({scale} store): one county's gaps, scoped Cypher",
            seconds,
            "s",
            "the same from the whole snapshot",
            whole_seconds,
            limit=0.2,
            goal_text="at most 200 ms",
            note=(f"{gaps:,} gaps either way" if gaps == whole_gaps else f"{gaps:,} gaps against {whole_gaps:,}")
            + f"; median of {RUNS} runs (fastest {min(s for s, _ in runs):.3f} s)",
        )
    ]


def run(ctx: Context) -> list[Row]:
    big = ctx.shared["sqlite"]
    county_store = _store_of(ctx, "county")
    small_seconds, small_peak = _cli_gaps(county_store)
    big_seconds, big_peak = _cli_gaps(big)

    province_store = _store_of(ctx, "province")
    # The edited pairings must exist in both stores: take them from the smaller one (a smaller
    # scale is an exact slice of a larger one).
    edit, edited = _edited_pairings(
        county_store if ctx.scale == "county" else province_store, ctx.work / "edit" / "pairings.csv"
    )
    province_seconds = _import_seconds(province_store, edit)
    copy = str(ctx.work / "scoped-big-copy.db")
    shutil.copyfile(big, copy)
    big_import_seconds = _import_seconds(copy, edit)
    return [
        Row(
            "scoped",
            f"one county's gaps (CLI, {ctx.scale} store): wall",
            big_seconds,
            "s",
            "the same on a store of that county pair only",
            small_seconds,
            goal=0.5,
            goal_text="at most 2× the county store",
        ),
        Row(
            "scoped",
            f"one county's gaps (CLI, {ctx.scale} store): peak memory",
            big_peak / MIB,
            "MiB",
            "the same on a store of that county pair only",
            small_peak / MIB,
            limit=300,
            goal_text="at most 300 MiB",
        ),
        Row(
            "scoped",
            f"import of {edited:,} pairings into the {ctx.scale} store",
            big_import_seconds,
            "s",
            "the same into the province store",
            province_seconds,
            goal=1 / 1.5,
            goal_text="at most 1.5× the province store",
        ),
        *_neo4j_rows(ctx),
    ]
