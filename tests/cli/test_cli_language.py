"""The CLI in the reader's language: --lang, PAIRNET_LANG, the locale; options that take what
files take; and ``pairnet demo`` into the store the next commands read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.cli.common import choice_option
from pairnet.graph.model import Kind, Poverty
from pairnet.i18n import set_language
from pairnet.i18n.catalog import LOCALE_DIR
from pairnet.i18n.choices import metavar

UNITS = """编码,名称,类型,方向,上级
520627,沿河土家族自治县,县,西部,
,高峰村,乡村,,沿河土家族自治县
"""


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("PAIRNET_STORE", "PAIRNET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    yield CliRunner()
    set_language("en")  # the CLI sets the language of the process; leave the tests' default


def invoke(runner, *args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def test_help_follows_lang_then_pairnet_lang_then_locale(runner):
    chinese = invoke(runner, "--help", env={"LANG": "zh_CN.UTF-8"})
    assert "规划和核查多层级结对帮扶网络" in chinese.output and "Plan and audit" not in chinese.output
    assert "写入此文件" in invoke(runner, "summary", "--help", env={"LANG": "zh_CN.UTF-8"}).output
    english = invoke(runner, "--lang", "en", "--help", env={"LANG": "zh_CN.UTF-8"})
    assert "Plan and audit" in english.output and "规划" not in english.output
    by_env = invoke(runner, "--help", env={"PAIRNET_LANG": "zh", "LANG": "en_US.UTF-8"})
    assert "规划和核查" in by_env.output
    assert "Plan and audit" in invoke(runner, "--help", env={"LANG": "C.UTF-8"}).output
    wrong = invoke(runner, "--lang", "fr", "--help")
    assert wrong.exit_code == 2 and "fr" in wrong.output


def test_problems_and_refusals_are_in_chinese(runner, tmp_path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    db = tmp_path / "s.db"
    result = invoke(runner, "--lang", "zh", "load", tmp_path / "units.csv", "--store", db)
    assert result.exit_code == 2
    assert "1 个问题" in result.output and "位置" in result.output and "应为" in result.output
    assert "未写入任何内容。" in result.output and "Nothing was written" not in result.output
    missing = invoke(runner, "--lang", "zh", "summary", "--store", tmp_path / "nope.db")
    assert missing.exit_code == 1 and "不存在" in missing.output and "数据库错误" in missing.output


@pytest.mark.parametrize("day", ["2018-12-31", "2018/12/31", "2018年12月31日"])
def test_as_of_takes_every_date_form_files_take(runner, tmp_path, day):
    db = tmp_path / "demo.db"
    assert invoke(runner, "demo", "--store", db).exit_code == 0
    result = invoke(runner, "summary", "--as-of", day, "--store", db)
    assert result.exit_code == 0, result.output
    assert "as of 2018-12-31" in result.output


def test_an_impossible_date_says_no_such_day(runner, tmp_path):
    english = invoke(runner, "--lang", "en", "summary", "--as-of", "2018-02-30", "--store", tmp_path / "x.db")
    assert english.exit_code == 2 and "no such day" in english.output
    chinese = invoke(runner, "--lang", "zh", "summary", "--as-of", "2018年2月30日", "--store", tmp_path / "x.db")
    assert chinese.exit_code == 2 and "没有这一天" in chinese.output


def test_demo_loads_into_the_default_store_and_says_what_next(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    demo = invoke(runner, "--lang", "zh", "demo")
    assert demo.exit_code == 0, demo.output
    assert (tmp_path / "pairnet.db").exists()
    assert "接下来输入" in demo.output and "coverage --county 520627" in demo.output
    assert "--store" not in demo.output.split("接下来输入")[1]  # the default store: no flag needed
    coverage = invoke(runner, "coverage", "--county", "520627")
    assert coverage.exit_code == 0, coverage.output


def test_demo_leaves_a_store_with_other_data_alone(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "units.csv").write_text("编码,名称,类型,方向\n520627,沿河土家族自治县,县,西部\n", encoding="utf-8")
    assert invoke(runner, "load", "units.csv").exit_code == 0
    refused = invoke(runner, "--lang", "en", "demo")
    assert refused.exit_code == 2 and "units.csv" in refused.output and "--store pairnet-demo.db" in refused.output
    elsewhere = invoke(runner, "--lang", "en", "demo", "--store", "pairnet-demo.db")
    assert elsewhere.exit_code == 0 and "coverage --county 520627 --store pairnet-demo.db" in elsewhere.output


def test_the_installed_command_reads_the_locale_and_compiles_on_first_use(tmp_path):
    cache = tmp_path / "cache"
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8", "PAIRNET_CACHE_DIR": str(cache), "COLUMNS": "200"}
    pairnet = Path(sys.executable).parent / "pairnet"
    result = subprocess.run([str(pairnet), "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "规划和核查多层级结对帮扶网络" in result.stdout
    shipped = (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "pairnet.mo").exists()
    assert shipped or [p.name[:6] for p in cache.rglob("*.mo")] == ["zh_CN-"]


# A command as the analyses declare theirs: enum options read by pairnet.cli.common.choice_option.
pick_tool = typer.Typer()
KindsOption = Annotated[list[Kind], typer.Option("--kind", parser=choice_option(Kind), metavar=metavar(Kind))]
PovertyOption = Annotated[Poverty | None, typer.Option("--poverty", parser=choice_option(Poverty))]


@pick_tool.command()
def pick(kind: KindsOption, poverty: PovertyOption = None) -> None:
    typer.echo(f"{[k.value for k in kind]} {poverty.value if poverty else None}")


def test_enum_options_take_the_words_files_take(runner):
    chosen = runner.invoke(pick_tool, ["--kind", "村", "--kind", "township", "--poverty", "深度贫困村"])
    assert chosen.exit_code == 0, chosen.output
    assert chosen.output.strip() == "['village', 'township'] deeply_poor"
    wrong = runner.invoke(pick_tool, ["--kind", "vilage"])
    assert wrong.exit_code == 2 and "nearest: village" in wrong.output
