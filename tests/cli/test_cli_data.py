"""The data commands of the CLI: load, check, summary, imports, demo, and their errors."""

from __future__ import annotations

import csv
import getpass
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.cli.data import SAMPLE
from pairnet.store.sqlite_store import SqliteStore

UNITS = """编码,名称,类型,方向,上级,贫困状况
320582,张家港市,县,东部,,
520627,沿河土家族自治县,县,西部,,
320582100,杨舍镇,镇,,320582,
520627110,中界镇,镇,,520627,
,高峰村,村,,沿河土家族自治县/中界镇,深度贫困村
,善港村,村,,320582/杨舍镇,
"""
PAIRINGS = """帮扶方,受帮扶方,开始日期
张家港市,沿河土家族自治县,2017-03-01
杨舍镇,中界镇,2017-03-01
善港村,沿河土家族自治县/中界镇/高峰村,2018-01-01
"""
FLOWS = """kind,amount,unit_of_measure,year,from,to
funds,6594,万元,2018,320582,520627
donation_money,508,万元,2018,320582,520627
"""


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that rich tables do not wrap names
    monkeypatch.delenv("PAIRNET_STORE", raising=False)
    return CliRunner()


def write_folder(folder: Path, *, units=UNITS, pairings=PAIRINGS, flows=FLOWS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("units", units), ("pairings", pairings), ("flows", flows)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def good(tmp_path) -> Path:
    return write_folder(tmp_path / "pairs")


@pytest.fixture
def bad(tmp_path) -> Path:
    """Three problems: an unknown kind, an unknown parent, a helper that does not exist."""
    units = UNITS.replace("320582100,杨舍镇,镇", "320582100,杨舍镇,星球").replace(
        ",善港村,村,,320582/杨舍镇", ",善港村,村,,320582/不存在镇"
    )
    pairings = PAIRINGS + "无名氏,中界镇,2017-03-01\n"
    return write_folder(tmp_path / "broken", units=units, pairings=pairings)


def invoke(runner, *args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def test_help_lists_the_commands(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for command in ("load", "check", "summary", "imports", "demo"):
        assert command in result.stdout
    assert "PAIRNET_STORE" in result.stdout and "Exit status" in result.stdout


def test_load_writes_and_reports(runner, good, tmp_path):
    db = tmp_path / "s.db"
    result = invoke(runner, "load", good, "--store", db)
    assert result.exit_code == 0, result.output
    assert f"loaded {good}: 6 units, 3 pairings, 2 flows" in result.stdout.replace("\n", "")
    with SqliteStore(db) as store:
        snap = store.snapshot()
        assert snap.counts() == {"units": 6, "pairings": 3, "flows": 2}
        assert {u.source.file for u in snap.units} == {str(good)}  # the path as given, not its base name
        assert store.version() in result.stdout


def test_invalid_input_lists_every_problem_exits_2_and_writes_nothing(runner, good, bad, tmp_path):
    db = tmp_path / "s.db"
    result = invoke(runner, "load", bad, "--store", db)
    assert result.exit_code == 2
    assert not db.exists()  # a failed first load leaves no empty store behind
    text = result.stderr
    assert "Traceback" not in result.output
    assert "Nothing was written" in text
    for expected in ("units.csv", "pairings.csv", "星球", "不存在镇", "无名氏", "类型", "帮扶方"):
        assert expected in text, expected

    assert invoke(runner, "load", good, "--store", db).exit_code == 0
    with SqliteStore(db) as store:
        version = store.version()
    again = invoke(runner, "load", bad, "--store", db, "--replace")
    assert again.exit_code == 2
    with SqliteStore(db) as store:
        assert store.version() == version
        assert store.snapshot().counts() == {"units": 6, "pairings": 3, "flows": 2}


def test_check_validates_without_writing(runner, good, bad, tmp_path):
    db = tmp_path / "s.db"
    ok = invoke(runner, "check", good, "--store", db)
    assert ok.exit_code == 0 and "is valid: 6 units, 3 pairings, 2 flows" in ok.stdout
    assert not db.exists()
    failed = invoke(runner, "check", bad, "--store", db)
    assert failed.exit_code == 2 and "星球" in failed.stderr
    assert not db.exists()


def test_check_knows_the_units_already_in_the_store(runner, good, tmp_path):
    db = tmp_path / "s.db"
    invoke(runner, "load", good / "units.csv", "--store", db)
    only_pairings = write_folder(
        tmp_path / "more", units="编码,名称,类型,方向\n", pairings=PAIRINGS, flows="kind,amount\n"
    )
    (only_pairings / "units.csv").unlink()
    (only_pairings / "flows.csv").unlink()
    alone = invoke(runner, "check", only_pairings, "--store", tmp_path / "empty.db")
    assert alone.exit_code == 2
    with_store = invoke(runner, "check", only_pairings, "--store", db)
    assert with_store.exit_code == 0, with_store.output


def test_replace_removes_rows_gone_from_the_file(runner, good, tmp_path):
    db = tmp_path / "s.db"
    invoke(runner, "load", good, "--store", db)
    fewer = write_folder(
        tmp_path / "v2" / "pairs",
        pairings=PAIRINGS.splitlines()[0] + "\n" + PAIRINGS.splitlines()[1] + "\n",
        flows=FLOWS.splitlines()[0] + "\n",
    )
    kept = invoke(runner, "load", fewer, "--store", db, "--source", str(good))
    assert kept.exit_code == 0, kept.output
    with SqliteStore(db) as store:
        assert store.snapshot().counts() == {"units": 6, "pairings": 3, "flows": 2}
        version = store.version()
    # A replace that removes records shows the diff and needs --yes; without it nothing is written.
    unconfirmed = invoke(runner, "load", fewer, "--store", db, "--replace", "--source", str(good))
    assert unconfirmed.exit_code == 2
    assert "removes 4 records" in unconfirmed.stderr and "Nothing was written" in unconfirmed.stderr
    assert "removed pairing" in unconfirmed.stdout and "Pairings" in unconfirmed.stdout
    with SqliteStore(db) as store:
        assert store.version() == version
    replaced = invoke(runner, "load", fewer, "--store", db, "--replace", "--source", str(good), "--yes")
    assert replaced.exit_code == 0 and "removed 2 pairings, 2 flows" in replaced.stdout
    with SqliteStore(db) as store:
        assert store.snapshot().counts() == {"units": 6, "pairings": 1, "flows": 0}


def test_the_store_comes_from_the_environment(runner, good, tmp_path):
    db = tmp_path / "env.db"
    result = invoke(runner, "load", good, env={"PAIRNET_STORE": str(db)})
    assert result.exit_code == 0
    assert db.exists()


def test_summary_as_table_csv_json_and_xlsx(runner, good, tmp_path):
    db = tmp_path / "s.db"
    invoke(runner, "load", good, "--store", db)
    table = invoke(runner, "summary", "--store", db)
    assert table.exit_code == 0
    assert "6 units, 3 pairings, 2 flows" in table.stdout
    assert "donation money" in table.stdout and "6594" in table.stdout  # a label: the table is for people
    chinese = invoke(runner, "--lang", "zh", "summary", "--store", db).stdout
    assert "6 个单位，3 个结对，2 条流动" in chinese and "捐款" in chinese and "受帮扶方" in chinese
    assert "donation" not in chinese and "helped" not in chinese

    rows = list(csv.DictReader(io.StringIO(invoke(runner, "summary", "-s", db, "-f", "csv").stdout.lstrip("\ufeff"))))
    assert {
        "record": "pairing",
        "kind": "",
        "side": "",
        "level": "government",
        "mode": "",
        "unit_of_measure": "",
        "count": "1",
        "amount": "",
    } in rows
    assert sum(int(r["count"]) for r in rows if r["record"] == "unit") == 6

    document = json.loads(invoke(runner, "summary", "-s", db, "--format", "json").stdout)
    assert document["totals"] == {"units": 6, "pairings": 3, "flows": 2}
    early = json.loads(invoke(runner, "summary", "-s", db, "-f", "json", "--as-of", "2017-12-31").stdout)
    assert early["totals"]["pairings"] == 2

    out = tmp_path / "summary.xlsx"
    written = invoke(runner, "summary", "-s", db, "--output", out)
    assert written.exit_code == 0
    ws = openpyxl.load_workbook(out)["summary"]
    assert ws["A2"].value == "record" and ws.freeze_panes == "A3"
    assert ws.max_row == 2 + len(rows)


def test_imports_lists_the_history(runner, good, tmp_path):
    db = tmp_path / "s.db"
    invoke(runner, "load", good, "--store", db)
    invoke(runner, "load", good, "--store", db, "--replace")
    invoke(runner, "load", good, "--store", db, "--author", "王芳")
    rows = json.loads(invoke(runner, "imports", "-s", db, "-f", "json").stdout)
    assert [r["source"] for r in rows] == [str(good)] * 3
    assert rows[0]["units"] == 6 and rows[1]["removed"] == 0
    assert rows[0]["author"] == getpass.getuser() and rows[2]["author"] == "王芳"


def test_store_errors_are_one_line_and_exit_1(runner, good, tmp_path):
    missing = invoke(runner, "summary", "--store", tmp_path / "nope.db")
    assert missing.exit_code == 1
    assert "does not exist" in missing.stderr and "Traceback" not in missing.output
    assert not (tmp_path / "nope.db").exists()
    nowhere = invoke(runner, "load", good, "--store", tmp_path / "no" / "such" / "s.db")
    assert nowhere.exit_code == 1 and "Store error" in nowhere.stderr


def test_a_table_cannot_go_to_a_file(runner, good, tmp_path):
    db = tmp_path / "s.db"
    invoke(runner, "load", good, "--store", db)
    result = invoke(runner, "summary", "-s", db, "-o", tmp_path / "x.txt")
    assert result.exit_code == 2 and "format" in result.output


def test_demo_loads_the_sample_again_and_again(runner, tmp_path):
    db = tmp_path / "demo.db"
    first = invoke(runner, "demo", "--store", db)
    assert first.exit_code == 0, first.output
    assert f"loaded {SAMPLE}" in first.stdout.replace("\n", "") and "Pairings" in first.stdout
    with SqliteStore(db) as store:
        counts = store.snapshot().counts()
    assert counts["units"] > 100 and counts["pairings"] > 50
    second = invoke(runner, "demo", "--store", db)
    assert second.exit_code == 0
    with SqliteStore(db) as store:
        assert store.snapshot().counts() == counts
        assert len(store.imports()) == 2


def test_the_console_script_runs_in_a_real_process(good, bad, tmp_path):
    script = Path(sys.executable).with_name("pairnet")
    db = tmp_path / "s.db"
    loaded = subprocess.run([script, "load", good, "--store", db], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded " in loaded.stdout and "writing pairs" in loaded.stderr  # the progress bar
    failed = subprocess.run([script, "check", bad, "--store", db], capture_output=True, text=True)
    assert failed.returncode == 2
    assert "无名氏" in failed.stderr and "Traceback" not in failed.stderr
    summary = subprocess.run([script, "summary", "--store", db, "-f", "json"], capture_output=True, text=True)
    assert json.loads(summary.stdout)["totals"]["units"] == 6
