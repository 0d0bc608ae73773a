"""A planner reads what is wrong with a file in the chosen language: the loaders' date and
reference problems come from the catalog."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.i18n import set_language

runner = CliRunner(env={"COLUMNS": "400"})  # wide enough that no cell wraps


@pytest.fixture(autouse=True)
def english_afterwards():
    """The CLI sets the language of the process; leave the tests' default behind."""
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh", ("没有这一天", "未知引用：没有单位的编号、代码或名称与之相符", "日期，如 2018-12-31", "未写入任何内容")),
        ("en", ("no such day", "unknown reference: no unit has this id, code or name", "a date such as 2018-12-31")),
    ],
)
def test_a_failed_check_names_the_problems_in_the_chosen_language(tmp_path, language, words):
    units = tmp_path / "units.csv"
    units.write_text("kind,name,parent,valid_from\n村,甲村,不存在县/不存在镇,2018-02-30\n", encoding="utf-8")
    result = runner.invoke(app, ["--lang", language, "check", str(units), "--store", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    for word in words:
        assert word in result.output
