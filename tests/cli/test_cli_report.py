"""``pairnet report``: the county's workbook, in the reader's language, report-ready."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.i18n import set_language, use_language
from pairnet.workbook import Sheet, to_report_xlsx

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
runner = CliRunner(env={"COLUMNS": "250"})
ZH_SHEETS = [
    "乡镇双向覆盖",
    "村",
    "深度贫困村",
    "村企结对",
    "园区",
    "学校",
    "未结对名单",
    "帮扶资金与项目",
    "五位一体",
    "说明",
]


@pytest.fixture(autouse=True)
def english_afterwards():
    """The CLI sets the language of the process; leave the tests' default behind."""
    yield
    set_language("en")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "sample.db"
    result = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def write(store, tmp_path, *args, env=None):
    path = tmp_path / "沿河-2018.xlsx"
    result = runner.invoke(app, [*args, "--store", store, "-o", str(path)], env=env)
    assert result.exit_code == 0, result.output
    return load_workbook(path)


def test_the_report_in_chinese_is_ready_to_forward(store, tmp_path):
    args = ["report", "--county", "沿河土家族自治县", "--as-of", "2018-12-31"]
    book = write(store, tmp_path, *args, env={"LANG": "zh_CN.UTF-8", "PAIRNET_LANG": None})
    assert book.sheetnames == ZH_SHEETS
    for ws in book.worksheets[:-1]:
        title = ws["A1"].value
        assert "沿河土家族自治县" in title and "2018-12-31" in title and "截至" in title, ws.title
        assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:"), ws.title
    poor = book["深度贫困村"]
    assert "深度贫困村" in poor["A1"].value and "已覆盖 50/50（100.0%）" in poor["A1"].value
    assert [c.value for c in poor[2]] == ["分组", "编码", "对象数", "已结对", "未结对", "覆盖率"]
    total = [row for row in poor.iter_rows(min_row=3) if row[0].value == "合计"][0]
    assert (total[2].value, total[3].value, total[5].value, total[5].number_format) == (50, 50, 1, "0.0%")
    gaps = book["未结对名单"]
    assert [c.value for c in gaps[2]][:5] == ["名称", "编码", "乡镇", "贫困状况", "状态"]
    statuses = {row[4].value for row in gaps.iter_rows(min_row=3)}
    assert "从未结对" in statuses and "never_paired" not in statuses
    assert gaps.column_dimensions["A"].width >= 8
    flows = book["帮扶资金与项目"]
    assert [c.value for c in flows[2]][:2] == ["类型", "年份"] and "资金" in {
        r[0].value for r in flows.iter_rows(min_row=3)
    }
    two_way = book["乡镇双向覆盖"]
    assert {row[0].value for row in two_way.iter_rows(min_row=3)} == {"帮扶方", "受帮扶方"}
    about = {row[0].value: row[1] for row in book["说明"].iter_rows() if row[0].value}
    assert about["截至日期"].number_format == "yyyy-mm-dd"
    about = {label: cell.value for label, cell in about.items()}
    assert about["截至日期"] == dt.datetime(2018, 12, 31) and about["深度贫困村"] == "50/50"
    assert about["生成方式"].startswith("pairnet --lang zh report --county 沿河土家族自治县 --as-of 2018-12-31")


def test_the_report_in_english(store, tmp_path):
    args = ["--lang", "en", "report", "--county", "520627", "--as-of", "2018年12月31日"]
    book = write(store, tmp_path, *args)
    assert book.sheetnames[:3] == ["Townships two-way", "Villages", "Deeply poor villages"]
    poor = book["Deeply poor villages"]
    assert "as of 2018-12-31" in poor["A1"].value and "50/50 covered (100.0%)" in poor["A1"].value
    assert [c.value for c in poor[2]][2:] == ["targets", "covered", "uncovered", "share"]


def test_a_county_that_is_not_there_is_a_bad_option(store, tmp_path):
    result = runner.invoke(app, ["report", "--county", "不存在县", "--store", store, "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "--county" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_dates_become_date_cells_and_formulas_stay_text():
    sheet = Sheet(
        "gaps", "title", ["name", "last_end", "share"], [{"name": "=1+1", "last_end": "2017-12-31", "share": 0.5}]
    )
    with use_language("zh"):
        book = load_workbook(io.BytesIO(to_report_xlsx([sheet], figures=[], source="pairnet gaps")))
    row = book["gaps"][3]
    assert row[0].value == "'=1+1" and row[1].value == dt.datetime(2017, 12, 31)
    assert (row[1].number_format, row[2].number_format) == ("yyyy-mm-dd", "0.0%")
    assert [c.value for c in book["gaps"][2]] == ["名称", "最近结束日期", "覆盖率"]
