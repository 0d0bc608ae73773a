"""Imports racing from several processes end in the state of SOME serial order, with no orphan.

Each round starts three processes at one barrier: one adds villages under 中界镇 and a
pairing to one of them, one reloads the base units with ``--replace`` without 中界镇, one adds
a pairing to 甘溪镇. In a serial order the first two exclude each other (the second is refused
by its check), so a store with the villages and without 中界镇 is the broken state the race
used to leave. Rounds: a few in the short profile, 200 with ``PAIRNET_LONG=1`` (make soak).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from pathlib import Path

from pairnet.graph import InvalidInput
from pairnet.imports import import_file
from pairnet.loaders import read_dataset
from pairnet.store.store import open_store
from tests.support.writes import BASE_UNITS, content_digest, orphans, write_sheet

LONG = os.environ.get("PAIRNET_LONG") == "1"
ROUNDS = int(os.environ.get("PAIRNET_RACE_ROUNDS", 200 if LONG else 3))
VILLAGES = 30


def _files(folder: Path) -> dict[str, tuple[Path, bool]]:
    """The three racing imports: name → (file, replace)."""
    villages = [["id", "kind", "name", "side", "parent"]] + [
        [f"520627110{n:03d}", "village", f"村{n}", "helped", "520627110"] for n in range(1, VILLAGES + 1)
    ]
    grow = write_sheet(folder / "grow", "units", villages)
    write_sheet(grow, "pairings", [["helper", "helped", "level"], ["320582100", "520627110", "township"]])
    shrink = write_sheet(folder / "shrink", "units", [row for row in BASE_UNITS if row[0] != "520627110"])
    pair = write_sheet(
        folder / "pair", "pairings", [["helper", "helped", "level"], ["320582100", "520627111", "township"]]
    )
    return {"grow": (grow, False), "shrink": (shrink, True), "pair": (pair, False)}


SOURCES = {"grow": "grow", "shrink": "base", "pair": "pair"}


def _seed(uri: str, folder: Path) -> None:
    with open_store(uri) as store:
        import_file(store, write_sheet(folder / "base", "units", BASE_UNITS), source="base")


def _one(uri: str, name: str, path: Path, replace: bool, barrier=None) -> str:
    with open_store(uri) as store:
        if barrier is not None:
            barrier.wait()
        try:
            import_file(store, path, source=SOURCES[name], replace=replace, confirm=True)
        except InvalidInput:
            return "refused"
    return "written"


def _racer(uri: str, name: str, path: Path, replace: bool, barrier, results) -> None:
    results[name] = _one(uri, name, path, replace, barrier)


_SERIAL: set[str] = set()


def _serial_outcomes(folder: Path, files: dict) -> set[str]:
    """The content digests of every serial order of the three imports (on SQLite, once:
    the stores hold the same content, which the parity tests check)."""
    if _SERIAL:
        return _SERIAL
    found = _SERIAL
    for n, order in enumerate(itertools.permutations(files)):
        uri = str(folder / f"serial-{n}.db")
        _seed(uri, folder)
        for name in order:
            _one(uri, name, *files[name])
        with open_store(uri) as store:
            found.add(content_digest(store.snapshot()))
    return found


def test_racing_imports_end_in_a_serial_order_with_no_orphan(store, tmp_path):
    kind = "neo4j" if store.uri.startswith(("bolt", "neo4j")) else "sqlite"
    files = _files(tmp_path)
    expected = _serial_outcomes(tmp_path, files)
    assert len(expected) >= 2  # the orders differ, so the test can tell a broken interleaving
    context = multiprocessing.get_context("forkserver")
    seen: dict[str, int] = {}
    for round_number in range(ROUNDS):
        if kind == "neo4j":
            store.erase()
            uri = store.uri
        else:
            uri = str(tmp_path / f"race-{round_number}.db")
        _seed(uri, tmp_path)
        with context.Manager() as manager:
            results = manager.dict()
            barrier = context.Barrier(len(files))
            workers = [
                context.Process(target=_racer, args=(uri, name, path, replace, barrier, results))
                for name, (path, replace) in files.items()
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(120)
            outcome = dict(results)
        assert [w.exitcode for w in workers] == [0, 0, 0], f"round {round_number}: a racer crashed"
        assert outcome["pair"] == "written"
        assert "refused" in (outcome["grow"], outcome["shrink"]), f"round {round_number}: {outcome}"
        with open_store(uri) as reopened:
            final = reopened.snapshot()
        assert orphans(final) == [], f"round {round_number}: {outcome}"
        assert content_digest(final) in expected, f"round {round_number}: {outcome} is no serial order"
        key = "grow first" if outcome["grow"] == "written" else "shrink first"
        seen[key] = seen.get(key, 0) + 1
        if (round_number + 1) % 10 == 0:
            print(f"{kind}: round {round_number + 1}/{ROUNDS}, outcomes {seen}", flush=True)
    print(f"{kind}: {ROUNDS} rounds, outcomes {seen}")


def test_a_waiting_writer_checks_the_state_the_holder_committed(tmp_path):
    """A second process's import waits for the first's hold, then checks what it committed."""
    uri = str(tmp_path / "held.db")
    _seed(uri, tmp_path)
    files = _files(tmp_path)
    context = multiprocessing.get_context("forkserver")
    with context.Manager() as manager:
        results = manager.dict()
        with open_store(uri) as first:
            with first.writing() as held:
                known = held.snapshot()
                other = context.Process(target=_racer, args=(uri, "grow", *files["grow"], None, results))
                other.start()
                other.join(1.5)
                assert other.is_alive(), "the second writer did not wait for the first"
                # Drop 中界镇 while the other waits: its check must see that, and refuse.
                smaller = read_dataset(files["shrink"][0], known=known, source="base")
                held.write(smaller, source="base", replace=True)
            other.join(60)
            assert dict(results) == {"grow": "refused"}
            final = first.snapshot()
    assert "520627110" not in {u.id for u in final.units}
    assert orphans(final) == []
