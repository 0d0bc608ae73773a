"""Bounded input: each limit of :mod:`pairnet.loaders.limits` refuses with its setting named,
and the issue's hostile files (a 10⁶-column CSV, a JSON array of 10⁶ integers, JSON nested
100,000 deep) are answered in little memory and in under 1 MB by the CLI and the API,
with no server path or library text in any problem (the time each took is printed, not asserted:
performance is measured in bench/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pairnet.graph import InvalidInput
from pairnet.loaders import read_dataset
from tests.support.reliability import LEAK_MARKERS

MiB = 1024 * 1024
UNITS_HEADER = "id,kind,name,side,parent\n"


def _problems(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        read_dataset(path)
    return [str(p) for p in caught.value.problems]


def test_columns_per_row_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRNET_MAX_COLUMNS", "10")
    path = tmp_path / "units.csv"
    path.write_text(",".join(f"c{i}" for i in range(11)) + "\n", encoding="utf-8")
    (problem,) = _problems(path)
    assert "11 columns" in problem and "limit of 10 columns per row (PAIRNET_MAX_COLUMNS)" in problem


def test_cells_are_bounded_in_csv_and_json(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRNET_MAX_CELL_CHARS", "100")
    path = tmp_path / "units.csv"
    path.write_text(UNITS_HEADER + f"c,county,{'县' * 101},helped,\n", encoding="utf-8")
    (problem,) = _problems(path)
    assert "row 2" in problem and "PAIRNET_MAX_CELL_CHARS" in problem
    document = tmp_path / "units.json"
    document.write_text(
        json.dumps({"units": [{"id": "c", "kind": "county", "side": "helped", "name": "x" * 101}]}), encoding="utf-8"
    )
    (problem,) = _problems(document)
    assert "a cell of 101 characters" in problem and "PAIRNET_MAX_CELL_CHARS" in problem


def test_rows_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRNET_MAX_ROWS", "3")
    path = tmp_path / "units.csv"
    path.write_text(UNITS_HEADER + "".join(f"v{i},county,县{i},helped,\n" for i in range(3)), encoding="utf-8")
    (problem,) = _problems(path)
    assert "more than 3 rows" in problem and "PAIRNET_MAX_ROWS" in problem
    monkeypatch.setenv("PAIRNET_MAX_ROWS", "4")
    assert read_dataset(path).counts()["units"] == 3


def test_json_depth_is_bounded_before_parsing(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"units": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    (problem,) = _problems(path)
    assert "nested more than 32 deep" in problem and "PAIRNET_MAX_JSON_DEPTH" in problem
    brackets_in_text = tmp_path / "units.json"
    brackets_in_text.write_text(
        json.dumps({"units": [{"id": "c", "kind": "county", "side": "helped", "name": '"[[[[' * 20}]})
    )
    assert read_dataset(brackets_in_text).counts()["units"] == 1


def test_problems_are_capped_with_a_count_of_the_rest(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRNET_MAX_PROBLEMS", "5")
    path = tmp_path / "units.json"
    path.write_text(json.dumps({"units": list(range(12))}), encoding="utf-8")
    problems = _problems(path)
    assert len(problems) == 6
    assert "7 more items that are not objects" in problems[-1] and "PAIRNET_MAX_PROBLEMS" in problems[-1]
    from pairnet.disclosure import shown
    from pairnet.graph.errors import Problem

    many = shown([Problem(message=f"bad {i}", file="a.csv") for i in range(20)])
    assert len(many) == 6 and "15 more problems not shown" in many[-1].message


# --- the hostile files, each in a fresh process --------------------------------------

_CLI = """
import contextlib, io, json, sys, time
from pairnet.cli import app
started = time.perf_counter()
stdout, stderr = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
    try:
        app(["check", sys.argv[1], "--store", sys.argv[2]])
        code = 0
    except SystemExit as exit:
        code = exit.code
text = stdout.getvalue() + stderr.getvalue()
"""
_API = """
import json, sys, time
from fastapi.testclient import TestClient
from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.store.store import open_store
store = open_store(sys.argv[2])
client = TestClient(create_app(Settings(store=sys.argv[2], token="x" * 40, demo=True), store=store),
                    raise_server_exceptions=False)
started = time.perf_counter()
with open(sys.argv[1], "rb") as handle:
    answer = client.post("/imports", params={"dry_run": "true"},
                         headers={"Authorization": "Bearer " + "x" * 40},
                         files={"file": (sys.argv[1].rsplit("/", 1)[-1], handle)})
code, text = answer.status_code, answer.text
"""
_REPORT = """
seconds = round(time.perf_counter() - started, 2)
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) // 1024
print(json.dumps({"code": code, "bytes": len(text.encode()), "seconds": seconds, "peak_mib": peak, "text": text[-3000:]}))
"""


def _measure(front: str, path: Path, store: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAIRNET_")} | {"COLUMNS": "400"}
    done = subprocess.run(
        [sys.executable, "-c", (_CLI if front == "cli" else _API) + _REPORT, str(path), str(store)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=True,
    )
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n{front} {path.name} ({path.stat().st_size / MiB:.1f} MiB): {dict(outcome, text='…')}")
    return outcome


def _hostile_files(folder: Path) -> dict[str, Path]:
    wide = folder / "wide" / "units.csv"
    wide.parent.mkdir()
    wide.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "x," * 999_999 + "x\n", encoding="utf-8")
    integers = folder / "integers.json"
    integers.write_text('{"units": [' + ",".join("0" for _ in range(1_000_000)) + "]}", encoding="utf-8")
    deep = folder / "deep.json"
    deep.write_text('{"units": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return {"wide": wide, "integers": integers, "deep": deep}


@pytest.mark.parametrize("front", ["cli", "api"])
def test_hostile_files_are_answered_small_and_lean(front, tmp_path):
    store = tmp_path / "store.db"
    for name, path in _hostile_files(tmp_path).items():
        outcome = _measure(front, path, store)
        assert outcome["code"] == (2 if front == "cli" else 422), (name, outcome)
        assert outcome["bytes"] < MiB, (name, outcome["bytes"])
        assert outcome["peak_mib"] < 400, (name, outcome["peak_mib"])
        for marker in (*LEAK_MARKERS, "RecursionError"):
            assert marker not in outcome["text"], (name, marker, outcome["text"])
        expected = {"wide": "PAIRNET_MAX_COLUMNS", "integers": "PAIRNET_MAX_PROBLEMS", "deep": "PAIRNET_MAX_JSON_DEPTH"}
        assert expected[name] in outcome["text"], (name, outcome["text"])
