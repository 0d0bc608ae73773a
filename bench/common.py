"""What every benchmark shares: timing, peak memory, result rows and bench/RESULTS.md.

A benchmark module has ``run(ctx: Context) -> list[Row]``. Each :class:`Row` holds one
figure of pairnet and the same figure of its baseline, measured in the same run (the
machines are noisy, so only ratios between figures of one run mean anything), and the
goal the ratio is held against.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import platform
import resource
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Context", "Row", "in_child", "machine", "neo4j_auth", "timed", "write_results"]

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Context:
    """What a benchmark gets: the scale, the generated data folder, a work folder."""

    scale: str
    data: Path
    work: Path
    quick: bool
    neo4j_uri: str | None = None
    neo4j_data: Path | None = None  # what to load into Neo4j (default: data)
    neo4j_scale: str | None = None
    shared: dict[str, Any] = field(default_factory=dict)  # e.g. loaded store paths, for later benchmarks

    def network(self):
        """(dataset, network) from the loaded SQLite store, built once per run."""
        if "network" not in self.shared:
            from pairnet.graph.network import build_network
            from pairnet.store.store import open_store

            with open_store(self.shared["sqlite"]) as store:
                dataset = store.snapshot()
                version = store.version()
            self.shared["network"] = (dataset, build_network(dataset), version)
        return self.shared["network"]


@dataclass
class Row:
    """One figure against its baseline.

    ``higher_is_better`` says how the ratio reads: for rates it is pairnet / baseline, for
    times baseline / pairnet, so that a ratio of 1 always means "as good as the baseline"
    and ``goal`` is the least acceptable ratio. Figures without a baseline leave it None.
    """

    benchmark: str
    measure: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline: float | None = None
    higher_is_better: bool = False
    goal: float | None = None
    goal_text: str = ""
    limit: float | None = None  # an absolute ceiling (e.g. 3 GiB) when the goal is one
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.value or not self.baseline:
            return None
        return self.value / self.baseline if self.higher_is_better else self.baseline / self.value

    @property
    def met(self) -> bool | None:
        if self.limit is not None:
            return self.value <= self.limit
        if self.goal is None or self.ratio is None:
            return None
        return self.ratio >= self.goal

    def line(self) -> str:
        text = f"{self.benchmark:<14} {self.measure:<44} {_fmt(self.value)} {self.unit}"
        if self.baseline is not None:
            text += f" | {self.baseline_name}: {_fmt(self.baseline)} {self.unit} | ratio {_fmt(self.ratio)}"
        if self.met is not None:
            text += f" | goal {self.goal_text}: {'met' if self.met else 'NOT met'}"
        return text


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "0"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def timed(action: Callable[[], Any], *, repeat: int = 1) -> tuple[float, Any]:
    """The best wall time of ``repeat`` runs of ``action`` (seconds) and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def _child(target, args, queue) -> None:
    seconds, result = timed(lambda: target(*args))
    queue.put((seconds, _own_peak(), result))


def _own_peak() -> int:
    """This process's peak resident bytes since it started its interpreter. Not
    ``getrusage``'s ``ru_maxrss``: Linux carries it across ``exec`` from the forked copy of
    the parent, so a child spawned by a benchmark process holding a national network would
    report that network's size as its own. ``VmHWM`` belongs to the memory the exec made."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # not Linux: the best there is


def in_child(target: Callable, *args) -> tuple[float, int, Any]:
    """Run ``target(*args)`` in a fresh interpreter: (seconds, peak resident bytes of that
    interpreter, result). The peak includes the interpreter and its imports, which is what
    a server process pays."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, args, queue))
    process.start()
    seconds, peak, result = queue.get()
    process.join()
    if process.exitcode:
        raise RuntimeError(f"benchmark child {target.__name__} failed with exit code {process.exitcode}")
    return seconds, peak, result


def neo4j_auth() -> tuple[str, str]:
    """The Neo4j credentials the stores use (PAIRNET_NEO4J_USER / PAIRNET_NEO4J_PASSWORD)."""
    return (
        os.environ.get("PAIRNET_NEO4J_USER", "neo4j"),
        os.environ.get("PAIRNET_NEO4J_PASSWORD", "pairnet-test-password"),
    )


def machine() -> dict[str, str]:
    """A description of this machine for the results."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total_kib = int(
            next(
                line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
            ).split()[1]
        )
        memory = f"{total_kib / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "load average at start": load,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "commit": _commit(),
    }


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_results(path: Path, rows: list[Row], *, about: dict[str, str], header: str) -> None:
    """Write the table of ``rows`` with the machine description to ``path`` (Markdown)."""
    lines = [header, "", "| machine | |", "|---|---|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in about.items()]
    lines += [
        "",
        "| benchmark | measure | pairnet | baseline | baseline figure | ratio | goal | met | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        met = {None: "", True: "yes", False: "**no**"}[row.met]
        baseline = f"{_fmt(row.baseline)} {row.unit}" if row.baseline is not None else ""
        lines.append(
            f"| {_cell(row.benchmark)} | {_cell(row.measure)} | {_fmt(row.value)} {_cell(row.unit)} | {_cell(row.baseline_name or '')} "
            f"| {baseline} | {_fmt(row.ratio)} | {_cell(row.goal_text)} | {met} | {_cell(row.note)} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
