"""Old Excel workbooks (.xls) and tables in Word documents (.docx) load like .xlsx ones, with
problems located by file, sheet or table, row and column. The .xls fixtures are written by
tests/fixtures/office/make_xls.py; the Word documents are written here with python-docx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from pairnet.graph.errors import InvalidInput
from pairnet.loaders import read_dataset

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "office"
UNITS = [
    ["编码", "名称", "类型", "方向", "上级"],
    ["320582", "张家港市", "县级市", "东部", ""],
    ["520627", "沿河土家族自治县", "县", "西部", ""],
    ["520627110", "中界镇", "镇", "", "沿河县"],
]
PAIRINGS = [["帮扶方", "受帮扶方", "结对层级", "开始日期"], ["张家港市", "沿河县", "市县", "2017年3月"]]


def test_an_xls_workbook_loads_with_its_title_rows_date_cells_and_year_numbers():
    dataset = read_dataset(OFFICE / "pairs.xls")
    assert dataset.counts() == {"units": 6, "pairings": 2, "flows": 0}
    starts = {(p.helper_id, p.helped_id): p.start for p in dataset.pairings}
    assert starts == {("320582100212", "520627110217"): dt.date(2018, 3, 1), ("320582", "520627"): dt.date(2017, 1, 1)}
    gaofeng = next(u for u in dataset.units if u.id == "520627110217")
    assert (gaofeng.parent_id, gaofeng.poverty) == ("520627110", "deeply_poor")


def test_an_xls_problem_names_file_sheet_row_and_column():
    with pytest.raises(InvalidInput) as caught:
        read_dataset(OFFICE / "pairs-bad.xls")
    (problem,) = caught.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("pairs-bad.xls", "结对", 3, "开始日期")
    assert problem.message == "no such day"


def test_a_damaged_xls_is_refused_with_a_message(tmp_path):
    damaged = tmp_path / "pairs.xls"
    damaged.write_bytes((OFFICE / "pairs.xls").read_bytes()[:700])
    with pytest.raises(InvalidInput) as caught:
        read_dataset(damaged)
    assert caught.value.problems[0].message.startswith("not a readable .xls workbook")


def _word(path: Path, tables: list[tuple[str | None, list[list]]]) -> Path:
    document = docx.Document()
    document.add_heading("东西部协作结对情况", level=1)
    for caption, rows in tables:
        if caption:
            document.add_paragraph(caption)
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = str(value)
    document.save(path)
    return path


def test_word_tables_load_one_sheet_per_table_named_by_their_captions(tmp_path):
    path = _word(tmp_path / "情况.docx", [("表1 单位清单", UNITS), ("表2 县级结对关系", [["附：2017年"], *PAIRINGS])])
    dataset = read_dataset(path)
    (pairing,) = dataset.pairings
    assert (pairing.helper_id, pairing.helped_id, pairing.start) == ("320582", "520627", dt.date(2017, 3, 1))
    assert {u.id: u.parent_id for u in dataset.units}["520627110"] == "520627"


def test_a_word_table_problem_names_the_table_row_and_column(tmp_path):
    bad = [PAIRINGS[0], ["张家港市", "沿河县", "市县", "2017年13月"]]
    path = _word(tmp_path / "结对.docx", [("单位表", UNITS[:3]), (None, bad)])  # the second: by the file name
    with pytest.raises(InvalidInput) as caught:
        read_dataset(path)
    problems = [(p.file, p.sheet, p.row, p.column, p.message) for p in caught.value.problems]
    assert ("结对.docx", "表2", 2, "开始日期", "no such month") in problems


def test_a_word_table_without_a_caption_or_telling_name_is_refused(tmp_path):
    path = _word(tmp_path / "附件.docx", [(None, PAIRINGS)])
    path_doc = docx.Document(str(path))
    path_doc.paragraphs[0].text = ""  # no heading either
    path_doc.save(str(path))
    with pytest.raises(InvalidInput) as caught:
        read_dataset(path)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.message) == ("表1", "cannot tell which sheet this table holds")
