"""pairnet.tables: CSV, XLSX, JSON and terminal tables, and formula neutralisation."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import json

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import pairnet.tables as tables
from pairnet.graph.model import Kind
from pairnet.tables import neutralise, render, to_csv, to_json, to_rich, to_xlsx

ROWS = [
    {"name": "高峰村", "kind": Kind.VILLAGE, "pairings": 2, "start": dt.date(2017, 3, 1), "ids": ("a", "b")},
    {"name": '=HYPERLINK("http://x")', "kind": Kind.TOWNSHIP, "pairings": 0, "start": None, "ids": ()},
    {"name": "\t+1", "kind": "park", "pairings": -3, "start": None, "ids": ("c",)},
    {"name": " @SUM(A1)", "kind": "park", "pairings": 1, "start": None, "ids": ()},
    {"name": "\r-2", "kind": "park", "pairings": 1, "start": None, "ids": ()},
]
COLUMNS = ["name", "kind", "pairings", "start", "ids"]


def test_doctests_pass():
    assert doctest.testmod(tables).failed == 0


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", " =1", "\t=1", "\r=1", "\n+1", "  \t@x"])
def test_neutralise_prefixes_formula_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["张家港市", "a=b", "1-2", "", None, -5, 2.5, True])
def test_neutralise_leaves_other_values(value):
    assert neutralise(value) == value


def test_csv_has_bom_header_and_neutralised_cells():
    data = to_csv(ROWS, COLUMNS)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == COLUMNS
    assert parsed[1] == ["高峰村", "village", "2", "2017-03-01", "a;b"]
    assert [r[0] for r in parsed[2:]] == ['\'=HYPERLINK("http://x")', "'\t+1", "' @SUM(A1)", "'\r-2"]
    # A negative number is a number, not a formula: it stays as it is.
    assert parsed[3][2] == "-3"


def test_csv_column_order_and_missing_keys():
    parsed = list(csv.reader(io.StringIO(to_csv([{"a": 1}, {"b": 2}]).decode("utf-8-sig"))))
    assert parsed == [["a", "b"], ["1", ""], ["", "2"]]


def test_xlsx_header_frozen_widths_types_and_neutralised():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(ROWS, COLUMNS, sheet="gaps")))
    ws = book["gaps"]
    assert [c.value for c in ws[1]] == COLUMNS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value == "高峰村"
    assert ws["C2"].value == 2 and ws["C4"].value == -3
    assert ws["D2"].value.date() == dt.date(2017, 3, 1)
    assert ws["E2"].value == "a;b"
    # XML turns the carriage return into a line feed; the apostrophe stays in front.
    assert [ws[f"A{r}"].value for r in range(3, 7)] == [
        '\'=HYPERLINK("http://x")',
        "'\t+1",
        "' @SUM(A1)",
        "'\r-2",
    ]  # kept as written (the old writer turned \r into \n)
    assert ws.max_row == 6
    # The name column is wider than the pairings column because its content is; a
    # three-character Chinese name counts as six cells, wider than "name".
    widths = {col: ws.column_dimensions[col].width for col in "ABC"}
    assert widths["A"] > widths["C"]
    only_cjk = openpyxl.load_workbook(io.BytesIO(to_xlsx([{"n": "沿河土家族自治县"}])))
    assert only_cjk.active.column_dimensions["A"].width >= 16


def test_xlsx_drops_control_characters_instead_of_failing():
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx([{"a": "x\x01y"}]))).active
    assert ws["A2"].value == "xy"


def test_json_keeps_values_and_column_order():
    data = json.loads(to_json(ROWS, ["pairings", "name", "start", "ids"]))
    assert list(data[0]) == ["pairings", "name", "start", "ids"]
    assert data[0] == {"pairings": 2, "name": "高峰村", "start": "2017-03-01", "ids": ["a", "b"]}
    assert data[1]["name"] == '=HYPERLINK("http://x")'
    assert "高峰村".encode() in to_json(ROWS)


def test_rich_table_shows_every_row():
    console = Console(width=200, record=True)
    console.print(to_rich(ROWS, COLUMNS, title="gaps"))
    text = console.export_text()
    assert "高峰村" in text and "gaps" in text and "a;b" in text
    assert len(to_rich(ROWS, COLUMNS).rows) == len(ROWS)


def test_render_dispatches_and_rejects_unknown_format():
    assert render(ROWS, "csv", COLUMNS) == to_csv(ROWS, COLUMNS)
    assert render(ROWS, "json") == to_json(ROWS)
    assert render(ROWS, "xlsx")[:2] == b"PK"
    with pytest.raises(ValueError, match="unknown format"):
        render(ROWS, "pdf")


def test_empty_rows_still_have_a_header():
    assert to_csv([], ["a", "b"]).decode("utf-8-sig") == "a,b\r\n"
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx([], ["a"]))).active
    assert ws["A1"].value == "a" and ws.max_row == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=1, max_size=5))
def test_csv_cells_round_trip_and_never_start_a_formula(texts):
    rows = [{"name": text} for text in texts]
    parsed = list(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig"), newline="")))
    cells = [row[0] if row else "" for row in parsed[1:]]
    assert cells == [neutralise(text) for text in texts]
    for cell in cells:
        assert not cell.lstrip(" \t\r\n").startswith(("=", "+", "-", "@"))
