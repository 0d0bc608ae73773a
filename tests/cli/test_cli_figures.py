"""The README's table of the article's figures: each command, run on the sample as written
there, prints the figure (issue 14.6)."""

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
runner = CliRunner(env={"COLUMNS": "250"})
SEVEN_DIMENSIONS = ("组织领导", "人才支援", "资金支援", "产业合作", "劳务协作", "社会帮扶", "携手奔小康")


def readme_commands() -> dict[str, str]:
    """The command of each row of the README's figures table, by figure."""
    rows = re.findall(r"^\| (F[0-9][^|]*) \| `(pairnet [^`]+)` \|", (ROOT / "README.md").read_text(), re.M)
    return {figure.strip(): command for figure, command in rows}


def amounts(rows):
    return {row["kind"]: row["amount"] for row in rows}


def village_pairings_without_mode(doc):
    return sum(r["count"] for r in doc["pairings"] if r["level"] == "village" and not r["mode"])


CHECKS = {
    "F1": lambda doc: len(doc) == 12 and {r["level"] for r in doc} == {"department"},
    "F2": lambda doc: (
        (doc["helper"]["covered"], doc["helper"]["targets"], doc["helped"]["covered"], doc["full"])
        == (10, 10, 22, True)
    ),
    "F3": lambda doc: village_pairings_without_mode(doc) == 18,
    "F4, F5": lambda doc: len(doc) == 18,
    "F6": lambda doc: len(doc) == 3,
    "F7": lambda doc: (doc["covered"], doc["targets"]) == (50, 50),
    "F8": lambda doc: (
        amounts(doc) == {"funds": 6594, "people_lifted": 9223}
        and next(r for r in doc if r["kind"] == "funds")["projects"] == 63
    ),
    "F9": lambda doc: doc["full"] is True,
    "F10–F17": lambda doc: (
        {"teachers": 34, "students": 214, "workers_placed": 103, "financing": 15000}.items() <= amounts(doc).items()
    ),
    "F18": lambda doc: doc["record"] == "unit" and "发展和改革委员会" in doc["fields"]["note"],
    "F19": lambda doc: all(d in doc["fields"]["agreement"] for d in SEVEN_DIMENSIONS),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("figures") / "sample.db"
    result = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def test_the_table_has_a_command_for_every_figure():
    assert list(readme_commands()) == list(CHECKS)


@pytest.mark.parametrize("figure", list(CHECKS))
def test_the_readme_command_prints_the_figure(store, figure):
    argv = shlex.split(readme_commands()[figure])[1:]
    result = runner.invoke(app, [*argv, "--format", "json", "--store", store])
    assert result.exit_code == 0, result.output
    assert CHECKS[figure](json.loads(result.stdout)), result.stdout[:1000]
