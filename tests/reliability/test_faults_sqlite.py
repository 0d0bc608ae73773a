"""The embedded store survives SIGKILL at any point of an import.

A forked child process imports a generated folder into a copy of a store; the parent kills
it with SIGKILL at a random point (after a random number of written batches, plus a random
delay), many times. After each kill the file passes
``PRAGMA integrity_check`` and holds exactly the content before the import or after it
(content digests, import history and version stamp agree), and the next import succeeds.

Kills per run: 12 in the suite, 200 under ``make soak`` (``PAIRNET_LONG=1``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from pairnet.imports import import_file
from pairnet.store import sqlite_store
from pairnet.store.store import open_store
from tests.support.reliability import LONG, content_digest, write_network

KILLS = 200 if LONG else 12
VILLAGES = 2000  # 8,042 records
BATCH = 500  # the child writes in small batches: 17 batch boundaries to be killed at


def _child(db: Path, incoming: Path, report: int) -> None:
    """In the forked child: import ``incoming``, writing a line to ``report`` when the store is
    open, after every written batch, and after the commit. Never returns."""
    try:
        sqlite_store.BATCH = BATCH
        store = open_store(str(db))
        os.write(report, b"ready\n")
        import_file(store, incoming, progress=lambda done, total: os.write(report, b"batch\n"))
        os.write(report, b"done\n")
    finally:
        os._exit(0)


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The store before the import (a file), and the content digests before and after it."""
    folder = tmp_path_factory.mktemp("sqlite-faults")
    base = folder / "base.db"
    with open_store(str(base)) as store:
        import_file(store, write_network(folder / "first", 500, tag="a"))
        before = content_digest(store)
        imports_before = len(store.imports())
    incoming = write_network(folder / "second", VILLAGES, tag="b")
    after_db = folder / "after.db"
    shutil.copy(base, after_db)
    with open_store(str(after_db)) as store:
        import_file(store, incoming)
        after = content_digest(store)
    assert before != after
    return {"base": base, "incoming": incoming, "before": before, "after": after, "imports": imports_before}


def _copy_store(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(source, target)
    return target


def _kill_at_random(db: Path, incoming: Path, rng: random.Random) -> list[str]:
    """Fork a child that imports, SIGKILL it at a random point; the lines it reported.

    The point: after a random number of written batches (0: while it reads and checks the
    file; 17: during the commit; 18: after it), plus a random delay. Forking (rather than
    starting Python afresh) keeps each round under a second.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(db, incoming, write_end)
    os.close(write_end)
    lines: list[str] = []
    with os.fdopen(read_end) as reports:
        wanted = 1 + rng.randint(0, VILLAGES * 4 // BATCH + 2)  # the last: "done", after the commit
        while len(lines) < wanted and (line := reports.readline()):
            lines.append(line.strip())
        time.sleep(rng.uniform(0, 0.1))
        os.kill(pid, signal.SIGKILL)
        lines += [line.strip() for line in reports]
    os.waitpid(pid, 0)
    assert lines[:1] == ["ready"], lines
    return lines


def test_sigkill_at_random_points_leaves_before_or_after(states, tmp_path):
    rng = random.Random(20170301)
    outcomes = {"before": 0, "after": 0}
    for attempt in range(KILLS):
        db = _copy_store(states["base"], tmp_path / "pairnet.db")
        lines = _kill_at_random(db, states["incoming"], rng)
        with sqlite3.connect(db) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)], attempt
        with open_store(str(db)) as store:
            digest = content_digest(store)
            imports = len(store.imports())
        assert digest in (states["before"], states["after"]), (attempt, lines[-3:])
        state = "before" if digest == states["before"] else "after"
        assert imports == states["imports"] + (state == "after"), attempt
        if "done" in lines:
            assert state == "after"
        outcomes[state] += 1
    print(f"\n{KILLS} kills: {outcomes}")
    assert outcomes["before"] > 0  # kills did land mid-import


def test_an_import_after_a_kill_completes(states, tmp_path):
    db = _copy_store(states["base"], tmp_path / "pairnet.db")
    rng = random.Random(7)
    while "done" in _kill_at_random(db, states["incoming"], rng):
        db = _copy_store(states["base"], db)
    with open_store(str(db)) as store:
        import_file(store, states["incoming"])
        assert content_digest(store) == states["after"]
