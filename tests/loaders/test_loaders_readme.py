"""The README's "Input format" section: its examples load, match the sample, and its
sample problem message is what the loader says."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from pairnet.graph import InvalidInput
from pairnet.graph.model import Level
from pairnet.loaders import read_dataset
from tests.support.loader_files import write_xlsx

ROOT = Path(__file__).resolve().parents[2]


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Input format\n(.*?)^## ", text, re.S | re.M)
    assert match, "README has no Input format section"
    return match.group(1)


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section(), re.S)


def rows(block: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(block)))


def test_the_english_and_chinese_examples_load_to_the_same_pairing(tmp_path):
    units, pairings, units_zh, pairings_zh = blocks("csv")
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "units.csv").write_text(units, encoding="utf-8")
    (folder / "pairings.csv").write_text(pairings, encoding="utf-8")
    english = read_dataset(folder)
    chinese = read_dataset(write_xlsx(tmp_path / "zh.xlsx", {"单位": rows(units_zh), "结对": rows(pairings_zh)}))
    for dataset in (english, chinese):
        (pairing,) = dataset.pairings
        assert (pairing.helper_id, pairing.helped_id, pairing.level, pairing.start) == (
            "320582100212",
            "520627110217",
            Level.VILLAGE,
            dt.date(2018, 3, 1),
        )
    dump = lambda d: sorted(u.model_dump_json(exclude={"source"}) for u in d.units)  # noqa: E731
    assert dump(english) == dump(chinese)


def test_the_example_units_are_those_of_the_sample():
    sample = {r["id"]: r for r in csv.DictReader((ROOT / "data/zhangjiagang-yanhe/units.csv").open(encoding="utf-8"))}
    for code, name, kind, _side, parent, poverty in rows(blocks("csv")[0])[1:]:
        unit = sample[code]
        assert (unit["name"], unit["kind"], unit["poverty"]) == (name, kind, poverty)
        assert unit["parent"] == parent or not parent
    pairings = list(csv.DictReader((ROOT / "data/zhangjiagang-yanhe/pairings.csv").open(encoding="utf-8")))
    assert any(
        (p["helper"], p["helped"], p["start"]) == ("320582100212", "520627110217", "2018-03-01") for p in pairings
    )


def test_the_mapping_example_works(tmp_path):
    (toml,) = blocks("toml")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(toml, encoding="utf-8")
    units, *_ = blocks("csv")
    workbook = write_xlsx(
        tmp_path / "in.xlsx",
        {
            "units": rows(units),
            "帮扶名单": [["序号", "结对单位", "被结对村"], [1, "善港村", "高峰村"]],
        },
    )
    (pairing,) = read_dataset(workbook, mapping=mapping).pairings
    assert (pairing.helper_id, pairing.helped_id, pairing.source.sheet) == ("320582100212", "520627110217", "帮扶名单")


def test_the_sample_problem_is_the_loaders_message(tmp_path):
    quoted = re.search(r"e\.g\.\n?`([^`]*)`", section(), re.S).group(1)
    units, pairings, units_zh, pairings_zh = blocks("csv")
    bad = rows(pairings_zh)
    bad[1][3] = "2018-02-30"
    with pytest.raises(InvalidInput) as caught:
        read_dataset(write_xlsx(tmp_path / "pairs.xlsx", {"单位": rows(units_zh), "结对": bad}))
    (problem,) = caught.value.problems
    assert str(problem) == " ".join(quoted.split("\n"))
