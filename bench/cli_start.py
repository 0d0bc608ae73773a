"""How fast the CLI starts: ``pairnet --version`` and ``--help`` against datasette's, side by side.

datasette runs from a venv of its own under ``.cache/bench-datasette`` (made on first use with
pip from PyPI), so that its dependencies never mix with pairnet's. Each command runs
``ROUNDS`` times, alternating with its baseline; the figure is the median wall time. The goal
(issue "One house"): pairnet at most half of datasette's time, i.e. a ratio of at least 2.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

from .common import ROOT, Context, Row

__all__ = ["run"]

ROUNDS = 7
DATASETTE_VENV = ROOT / ".cache" / "bench-datasette"


def _datasette() -> Path:
    command = DATASETTE_VENV / "bin" / "datasette"
    if not command.exists():
        venv.EnvBuilder(with_pip=True).create(DATASETTE_VENV)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "datasette"],
            check=True,
        )
    return command


def _seconds(command: list[str]) -> float:
    begin = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - begin


def run(ctx: Context) -> list[Row]:
    datasette = str(_datasette())
    pairnet = str(Path(sys.executable).with_name("pairnet"))
    rows = []
    for flag in ("--version", "--help"):
        ours, theirs = [], []
        for _ in range(ROUNDS):  # alternate, so that a busy moment hurts both alike
            ours.append(_seconds([pairnet, flag]))
            theirs.append(_seconds([datasette, flag]))
        rows.append(
            Row(
                "cli_start",
                f"pairnet {flag}: wall time (median)",
                statistics.median(ours),
                "s",
                f"datasette {flag}",
                statistics.median(theirs),
                goal=2.0,
                goal_text="at most half of datasette's time",
            )
        )
    return rows
