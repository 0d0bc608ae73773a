"""The analysis commands end to end: the sample loaded into a real SQLite store by
``pairnet load``, then each command in each output format."""

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.graph.model import Dataset, Pairing, Unit
from pairnet.i18n import set_language
from pairnet.store.store import open_store

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(autouse=True)
def english_afterwards():
    """The CLI sets the language of the process; leave the tests' default behind."""
    yield
    set_language("en")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "sample.db"
    result = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def run(store, *args, code=0):
    result = runner.invoke(app, [*args, "--store", store])
    assert result.exit_code == code, result.output
    return result


def test_coverage_of_the_deeply_poor_villages_json_and_table(store):
    doc = json.loads(
        run(
            store,
            "coverage",
            "--county",
            "520627",
            "--poverty",
            "deeply_poor",
            "--as-of",
            "2018-12-31",
            "--format",
            "json",
        ).stdout
    )
    assert (doc["covered"], doc["targets"], doc["as_of"]) == (50, 50, "2018-12-31")
    table = run(
        store,
        "coverage",
        "--county",
        "沿河土家族自治县",
        "--poverty",
        "deeply_poor",
        "--as-of",
        "2017-12-31",
        "--by",
        "township",
    ).stdout
    # The title says what it counted and wraps at the table's width: compare its words.
    assert "21 of 50 covered (42.0%)" in " ".join(table.split()) and "中界镇" in table and "total" in table


def test_coverage_takes_chinese_words_and_dates_and_answers_in_chinese(store):
    args = ["coverage", "--county", "沿河县", "--kind", "村", "--poverty", "深度贫困村", "--as-of", "2018年12月31日"]
    chinese = runner.invoke(app, [*args, "--store", store], env={"LANG": "zh_CN.UTF-8", "PAIRNET_LANG": None})
    assert chinese.exit_code == 0, chinese.output
    title = " ".join(chinese.stdout.split())
    assert "沿河土家族自治县" in title and "深度贫困村" in title and "2018-12-31" in title and "50/50" in title
    assert "截至" in title and "覆盖率" in title and "合计" in title and "Coverage" not in title
    english = runner.invoke(app, ["--lang", "en", *args, "--store", store], env={"LANG": "zh_CN.UTF-8"})
    assert english.exit_code == 0, english.output
    title = " ".join(english.stdout.split())
    assert "Coverage of deeply poor village (helped) below 沿河土家族自治县, as of 2018-12-31" in title
    assert "50 of 50 covered" in title
    assert "share" in title and "total" in title and "截至" not in title


def test_an_impossible_day_says_so(store):
    result = run(store, "coverage", "--county", "沿河县", "--as-of", "2018-02-30", code=2)
    assert "no such day" in " ".join(result.output.split())


def test_two_way_and_school_coverage(store):
    doc = json.loads(
        run(
            store,
            "coverage",
            "--two-way",
            "--helper-within",
            "320582",
            "--county",
            "520627",
            "--as-of",
            "2018-12-31",
            "--format",
            "json",
        ).stdout
    )
    assert (doc["helped"]["covered"], doc["helped"]["targets"], doc["helper"]["covered"]) == (22, 22, 10)
    table = run(store, "coverage", "--schools", "--county", "520627", "--as-of", "2018-12-31").stdout
    assert "all three full" in table


def test_gaps_show_youxi_street_in_the_2023_register(store):
    out = run(
        store,
        "gaps",
        "--county",
        "520627",
        "--kind",
        "township",
        "--level",
        "township",
        "--as-of",
        "2023-12-31",
        "--format",
        "csv",
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [(r["name"], r["code"], r["status"]) for r in rows] == [("祐溪街道", "520627004", "never_paired")]
    assert (
        "祐溪街道"
        in run(
            store, "gaps", "--county", "520627", "--kind", "township", "--level", "township", "--as-of", "2023-12-31"
        ).stdout
    )
    answer = json.loads(
        run(
            store,
            "gaps",
            "--county",
            "520627",
            "--kind",
            "township",
            "--level",
            "township",
            "--as-of",
            "2018-12-31",
            "--format",
            "json",
        ).stdout
    )
    # No gap, and the answer says of what: Yanhe's helped townships at the township level.
    assert answer["gaps"] == []
    assert answer["asked"]["kind"] == ["township"] and answer["asked"]["side"] == "helped"
    assert answer["asked"]["place"]["code"] == "520627" and answer["asked"]["levels"] == ["township"]
    assert answer["asked"]["as_of"] == "2018-12-31"


def test_gaps_to_xlsx_with_header_frozen_panes_and_widths(store, tmp_path):
    target = tmp_path / "gaps.xlsx"
    run(
        store,
        "gaps",
        "--county",
        "520627",
        "--poverty",
        "deeply_poor",
        "--as-of",
        "2017-12-31",
        "--status",
        "not_yet_started",
        "--output",
        str(target),
    )
    sheet = load_workbook(target).worksheets[0]
    assert sheet["A1"].value.startswith("29 gaps among deeply poor village (helped) below 沿河土家族自治县, as of 2017")
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["id", "code", "name", "kind"] and sheet.freeze_panes == "A3"
    assert sheet.max_row == 2 + 29
    assert sheet.column_dimensions["G"].width > 20  # the parents column is wide enough to read


def test_recommend_alignment_balance_whatif_flows_timeline(store):
    table = run(store, "recommend", "--county", "520627", "--poverty", "deeply_poor", "--as-of", "2017-12-31").stdout
    assert "All 29 gaps can be closed." in table
    doc = json.loads(
        run(
            store,
            "recommend",
            "--county",
            "520627",
            "--poverty",
            "deeply_poor",
            "--as-of",
            "2017-12-31",
            "--capacity",
            "0",
            "--capacity-for",
            "杨舍镇/善港村=2",
            "--format",
            "json",
        ).stdout
    )
    # 善港村 carries no pairing yet at the end of 2017: two slots, and nobody else has any.
    assert (doc["closed"], doc["open"]) == (2, 27) and "27 stay open" in doc["statement"]
    assert {s["helper"] for s in doc["suggestions"]} == {"善港村"}
    doc = json.loads(run(store, "alignment", "--level", "township", "--as-of", "2018-12-31", "--format", "json").stdout)
    assert (doc["aligned"], doc["ratio"]) == (22, 1.0)
    doc = json.loads(
        run(
            store, "balance", "--level", "township", "--within", "320582", "--as-of", "2018-12-31", "--format", "json"
        ).stdout
    )
    assert (doc["levels"][0]["helpers"], doc["levels"][0]["pairings"]) == (10, 22)
    doc = json.loads(
        run(
            store,
            "whatif",
            "--withdraw",
            "杨舍镇/善港村",
            "--county",
            "520627",
            "--poverty",
            "deeply_poor",
            "--as-of",
            "2018-12-31",
            "--format",
            "json",
        ).stdout
    )
    assert [r["name"] for r in doc["rows"]] == ["高峰村"] and doc["after"]["covered"] == 49
    rows = json.loads(run(store, "flows", "--kind", "funds", "--by", "year", "--format", "json").stdout)
    assert sum(r["amount"] for r in rows) == 6594 and [r["year"] for r in rows] == [2017, 2018]
    rows = json.loads(
        run(
            store,
            "timeline",
            "--year",
            "2017",
            "--year",
            "2018",
            "--county",
            "520627",
            "--poverty",
            "deeply_poor",
            "--format",
            "json",
        ).stdout
    )
    assert [(r["as_of"], r["covered"]) for r in rows] == [("2017-12-31", 21), ("2018-12-31", 50)]


def test_cells_that_look_like_formulas_are_neutralised(tmp_path):
    path = str(tmp_path / "evil.db")
    evil = Dataset(
        units=(
            Unit(id="c", kind="county", name="某县", side="helped"),
            Unit(id="v", kind="village", name='=HYPERLINK("http://x")', side="helped", parent_id="c"),
            Unit(id="e", kind="village", name="@SUM(1)", side="helper"),
            Unit(id="m", kind="township", name="[/x]村", side="helped", parent_id="c"),
        ),
        pairings=(Pairing(id="p", helper_id="e", helped_id="v", level="village"),),
    )
    with open_store(path) as opened:
        opened.write(evil, source="evil.json")
    out = run(path, "whatif", "--withdraw", "e", "--within", "c", "--format", "csv").stdout
    assert "'=HYPERLINK" in out and "'@SUM(1)" in out
    target = tmp_path / "w.xlsx"
    run(path, "whatif", "--withdraw", "e", "--within", "c", "--output", str(target))
    values = [c.value for row in load_workbook(target).active.iter_rows(min_row=2) for c in row]
    assert '\'=HYPERLINK("http://x")' in values and "'@SUM(1)" in values
    # In the terminal, names are text, never rich markup.
    assert "[/x]村" in run(path, "gaps", "--within", "c", "--kind", "village", "--kind", "township").stdout


def test_bad_references_and_options_exit_2(store):
    assert "Not found" in run(store, "gaps", "--county", "不存在县", code=2).output
    assert "give one of --county" in run(store, "gaps", "--county", "520627", "--township", "520627110", code=2).output
    assert "HELPER=NUMBER" in run(store, "recommend", "--capacity-for", "oops", code=2).output
    assert "--date or --year" in run(store, "timeline", code=2).output


def test_settings_the_analyses_refuse_are_bad_options(store):
    # An enterprise only ever helps: no pairing could be suggested to it (the API refuses it too).
    refused = " ".join(run(store, "recommend", "--kind", "enterprise", code=2).output.split())
    assert "Invalid value for '--kind'" in refused and "expected one of province, city, county" in refused
    assert "Invalid value for '--by'" in run(store, "coverage", "--by", "colour", code=2).output
