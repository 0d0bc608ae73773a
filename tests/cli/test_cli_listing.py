"""``pairnet pairings`` and ``pairnet show`` on the sample, and the titles of coverage and
gap answers, which say what was counted (issue 14.5, 14.6)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet.cli import app

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "sample.db"
    result = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def run(store, *args, code=0):
    result = runner.invoke(app, ["--lang", "en", *args, "--store", store])
    assert result.exit_code == code, result.output
    return result


def test_pairings_of_a_county_name_both_sides_with_codes(store):
    args = ("pairings", "--county", "沿河土家族自治县", "--level", "township", "--as-of", "2018-12-31")
    rows = json.loads(run(store, *args, "--format", "json").stdout)
    assert len(rows) == 22
    zhongjie = [r for r in rows if r["helped"] == "中界镇"]
    assert len(zhongjie) == 1 and zhongjie[0]["helped_code"].startswith("520627")
    assert zhongjie[0]["helper_parents"].endswith("张家港市") and zhongjie[0]["helper_code"].startswith("320582")
    assert {r["level"] for r in rows} == {"township"}
    table = run(store, *args).stdout
    assert "22 pairings of 沿河土家族自治县, active on 2018-12-31" in table and "中界镇" in table


def test_pairings_without_a_date_include_those_that_ended(store):
    args = ("pairings", "--county", "520627", "--level", "township", "--format", "json")
    assert len(json.loads(run(store, *args).stdout)) > 22


def test_show_prints_f19s_seven_dimensions_and_f18s_lead(store):
    pairings = json.loads(run(store, "pairings", "--level", "government", "--format", "json").stdout)
    framework = next(p for p in pairings if p["agreement"] and "考核" in p["agreement"])
    shown = run(store, "show", framework["id"]).stdout
    for dimension in ("组织领导", "人才支援", "资金支援", "产业合作", "劳务协作", "社会帮扶", "携手奔小康"):
        assert dimension in shown
    group = json.loads(run(store, "show", "张家港市东西部扶贫协作领导小组", "--format", "json").stdout)
    assert group["record"] == "unit" and "发展和改革委员会" in group["fields"]["note"]


def test_show_of_nothing_known_is_exit_2(store):
    assert "Traceback" not in run(store, "show", "不存在的村", code=2).output


def test_titles_say_what_was_counted(store):
    # A title wraps at the table's width: compare its words.
    title = " ".join(
        run(store, "coverage", "--county", "520627", "--poverty", "deeply_poor", "--as-of", "2018-12-31").stdout.split()
    )
    assert "deeply poor village (helped) below 沿河土家族自治县, as of 2018-12-31" in title
    assert "50 of 50 covered" in title
    gaps = run(
        store, "gaps", "--county", "520627", "--kind", "township", "--level", "township", "--as-of", "2023-12-31"
    )
    assert "1 gap among township (helped) below 沿河土家族自治县, as of 2023-12-31" in " ".join(gaps.stdout.split())


def test_the_readme_two_way_example_is_two_way_full(store):
    args = ("coverage", "--two-way", "--helper-within", "320582", "--county", "520627", "--as-of", "2018-12-31")
    assert "two-way full coverage" in " ".join(run(store, *args).stdout.split())
    doc = json.loads(run(store, *args, "--format", "json").stdout)
    assert (doc["helper"]["covered"], doc["helper"]["targets"], doc["helped"]["targets"]) == (10, 10, 22)
