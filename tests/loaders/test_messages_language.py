"""A planner reads what is wrong with a file in the chosen language: every loader problem
comes from the catalog, located (file, sheet, row, column, value) as in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.graph import InvalidInput
from pairnet.i18n import set_language, use_language
from pairnet.loaders import read_dataset
from tests.loaders.test_bad_input import CASES

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


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _problems(builder, folder: Path, language: str):
    folder.mkdir()
    path = builder(folder)
    with use_language(language), pytest.raises(InvalidInput) as caught:
        read_dataset(path)
    return caught.value.problems


@pytest.mark.parametrize(("builder", "_where", "_words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_kind_of_bad_input_is_described_in_chinese_at_the_same_place(tmp_path, builder, _where, _words):
    english = _problems(builder, tmp_path / "en", "en")
    chinese = _problems(builder, tmp_path / "zh", "zh")
    located = [(p.file, p.sheet, p.row, p.column, p.value) for p in english]
    assert [(p.file, p.sheet, p.row, p.column, p.value) for p in chinese] == located
    for zh, en in zip(chinese, english, strict=True):
        assert _CJK.search(zh.message) and zh.message != en.message, (zh.message, en.message)
        assert not en.expected or _CJK.search(zh.expected or "") or zh.expected == en.expected, zh.expected


def test_a_missing_or_unknown_column_is_named_as_a_chinese_reader_writes_it(tmp_path):
    pairings = tmp_path / "pairings.csv"
    pairings.write_text("受帮扶方,颜色\n甲村,红\n", encoding="utf-8")
    result = runner.invoke(app, ["--lang", "zh", "check", str(pairings), "--store", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "缺少列 帮扶方 helper" in result.output and "未知的列" in result.output and "结对层级 level" in result.output
