"""``pairnet check`` / ``load --dry-run`` diffs, ``--format json``, and ``pairnet imports revert``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.store.sqlite_store import SqliteStore
from tests.support.writes import BASE_UNITS, content_digest, write_sheet


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("PAIRNET_STORE", raising=False)
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def loaded(runner, tmp_path):
    db = tmp_path / "s.db"
    base = write_sheet(tmp_path / "base", "units", BASE_UNITS)
    assert invoke(runner, "load", base, "--store", db).exit_code == 0
    return db, base


def test_check_and_dry_run_show_the_diff_and_json_is_the_api_document(runner, loaded, tmp_path):
    db, base = loaded
    renamed = [row if row[0] != "520627111" else [*row[:2], "甘溪乡", *row[3:]] for row in BASE_UNITS]
    write_sheet(base, "units", [row for row in renamed if row[0] != "320582100"])
    table = invoke(runner, "check", base, "--replace", "--store", db)
    assert table.exit_code == 0, table.output
    assert "name: “甘溪镇” → “甘溪乡”" in table.stdout and "removed unit 320582100" in table.stdout
    assert "needs --yes" in table.stdout
    chinese = invoke(runner, "--lang", "zh", "check", base, "--replace", "--store", db).stdout
    assert "修改 单位 520627111：名称: “甘溪镇” → “甘溪乡”" in chinese and "删除 单位 320582100" in chinese
    assert "--replace 将删除" in chinese and "条记录中的 2 条（超过 10%）" in chinese
    document = json.loads(invoke(runner, "load", base, "--replace", "--dry-run", "-f", "json", "--store", db).stdout)
    assert document["dry_run"] is True and document["source"] == str(base)
    assert document["diff"]["sheets"]["units"]["counts"] == {"new": 0, "changed": 1, "removed": 1, "unchanged": 3}
    with SqliteStore(db) as store:
        assert len(store.imports()) == 1


def test_revert_needs_yes_restores_and_refuses_with_dependants(runner, loaded, tmp_path):
    db, base = loaded
    with SqliteStore(db) as store:
        before = content_digest(store.snapshot(), with_provenance=True)
    villages = write_sheet(
        tmp_path / "v", "units", [BASE_UNITS[0], ["520627110001", "village", "高峰村", "helped", "520627110"]]
    )
    assert invoke(runner, "load", villages, "--store", db, "--author", "王芳").exit_code == 0
    rows = json.loads(invoke(runner, "imports", "-f", "json", "-s", db).stdout)
    first, added = rows[0]["import_id"], rows[1]["import_id"]
    assert rows[1]["author"] == "王芳"
    refused = invoke(runner, "imports", "revert", first, "--yes", "--store", db)
    assert refused.exit_code == 2 and added in refused.stderr and "Traceback" not in refused.output
    unconfirmed = invoke(runner, "imports", "revert", added, "--store", db)
    assert unconfirmed.exit_code == 2 and "Nothing was written" in unconfirmed.stderr
    done = invoke(runner, "imports", "revert", added, "--yes", "--store", db)
    assert done.exit_code == 0, done.output
    with SqliteStore(db) as store:
        assert content_digest(store.snapshot(), with_provenance=True) == before
        assert store.imports()[-1].source == f"revert:{added}"
    missing = invoke(runner, "imports", "revert", "nope", "--yes", "--store", db)
    assert missing.exit_code == 2 and "no import 'nope'" in missing.stderr
