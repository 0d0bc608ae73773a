"""``pairnet users add/list/revoke`` and the author column of ``pairnet imports``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.imports import import_file
from pairnet.people import find_holder
from pairnet.store.sqlite_store import SqliteStore
from tests.support.api import SAMPLE


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("PAIRNET_STORE", raising=False)
    return CliRunner()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.db"
    with SqliteStore(path) as store:
        import_file(store, SAMPLE)
    return path


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_add_shows_the_token_once_and_keeps_only_its_hash(runner, db):
    added = invoke(runner, "users", "add", "李编辑", "--role", "editor", "--scope", "沿河土家族自治县", "-s", db)
    assert added.exit_code == 0, added.output
    token = added.stdout.strip()
    assert len(token) == 43 and "\n" not in token  # the token alone on stdout, for scripts
    assert "shown only this once" in added.stderr
    with SqliteStore(db) as store:
        (person,) = store.people()
        assert person.scopes == ("520627",) and find_holder(store.people(), token) == person
        assert token not in (person.token_hash + person.token_index)
    listed = invoke(runner, "users", "list", "-s", db, "-f", "json")
    (row,) = json.loads(listed.stdout)
    assert row["name"] == "李编辑" and row["role"] == "editor" and row["revoked_at"] == ""
    assert row["scopes"] == "沿河土家族自治县 (520627)" and token not in listed.stdout


def test_revoke_keeps_the_person_listed(runner, db):
    token = invoke(runner, "users", "add", "王管理", "--role", "admin", "-s", db).stdout.strip()
    revoked = invoke(runner, "users", "revoke", "王管理", "-s", db)
    assert revoked.exit_code == 0 and "Revoked" in revoked.stdout
    (row,) = json.loads(invoke(runner, "users", "list", "-s", db, "-f", "json").stdout)
    assert row["revoked_at"]
    with SqliteStore(db) as store:
        assert find_holder(store.people(), token) is None


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (("users", "add", "甲", "--role", "editor"), "at least one scope"),
        (("users", "add", "甲", "--role", "editor", "--scope", "不存在县"), "不存在县"),
        (("users", "add", "甲", "--role", "admin", "--scope", "520627"), "has no scopes"),
        (("users", "add", "甲", "--role", "boss"), "boss"),
        (("users", "revoke", "nobody"), "nobody"),
    ],
)
def test_bad_input_exits_2_naming_it(runner, db, arguments, expected):
    result = invoke(runner, *arguments, "-s", db)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and "Traceback" not in result.output


def test_imports_show_the_author(runner, db):
    with SqliteStore(db) as store:
        import_file(store, SAMPLE, author="李编辑")
    rows = json.loads(invoke(runner, "imports", "-s", db, "-f", "json").stdout)
    assert [row["author"] for row in rows] == ["", "李编辑"]
