"""Bad input: each kind is reported with its file, sheet, row and column, and an import of
it through ``pairnet.imports.import_file`` leaves the store file byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pairnet.graph import InvalidInput
from pairnet.imports import import_file
from pairnet.loaders import read_dataset
from pairnet.store.store import open_store
from tests.support.loader_files import CHINESE, ENGLISH, copy, write_csv, write_folder, write_json, write_xlsx


def edited(edit: Callable[[dict], None], sheets=ENGLISH, name="pairs.xlsx"):
    """A builder of a workbook with ``edit`` applied to a copy of ``sheets``."""

    def build(folder: Path) -> Path:
        changed = copy(sheets)
        edit(changed)
        return write_xlsx(folder / name, changed)

    return build


def raw(name: str, data: bytes):
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def truncated(folder: Path) -> Path:
    whole = write_xlsx(folder / "whole.xlsx", ENGLISH).read_bytes()
    return raw("pairs.xlsx", whole[: len(whole) // 2])(folder)


def macro_workbook(folder: Path) -> Path:
    path = write_xlsx(folder / "pairs.xlsm", ENGLISH)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    return path


def renamed_macro_workbook(folder: Path) -> Path:
    return macro_workbook(folder).rename(folder / "pairs.xlsx")


def set_cell(sheet: str, row: int, column: int, *values):
    """Set cells from ``column`` on in spreadsheet row ``row`` (the header is row 1)."""

    def edit(sheets):
        sheets[sheet][row - 1][column : column + len(values)] = values

    return edit


def append_row(sheet: str, row: list):
    return lambda sheets: sheets[sheet].append(row)


def codes_in_a_cycle(sheets):
    sheets["units"][4][4] = "520627110"  # the county's parent is its own township
    sheets["units"][5][0] = "520627110"


def names_in_a_cycle(sheets):
    sheets["units"][2][4] = "善港村"  # the zone inside its own village, and the village in the zone
    sheets["units"][3][4] = "经济技术开发区"


def ambiguous_village(sheets):
    sheets["units"][5][0] = "520627110"
    sheets["units"][6][0] = "520627110201"
    sheets["units"].append(["520627110202", "高峰村", "village", "", "520627110", "poor"])


def drop_column(sheet: str, column: int):
    def edit(sheets):
        for row in sheets[sheet]:
            del row[column]

    return edit


def undecodable(folder: Path) -> Path:
    path = write_csv(folder / "units.csv", ENGLISH["units"])
    path.write_bytes(path.read_bytes() + ",高峰村,village,helped,,".encode() + b"\xff\xff\r\n")
    return path


# (case, builder, (file, sheet, row, column), words the message must hold)
CASES = [
    ("missing column", edited(drop_column("pairings", 1)), ("pairs.xlsx", "pairings", 1, "helped"), "missing column"),
    ("unknown column", edited(set_cell("units", 1, 5, "爸爸")), ("pairs.xlsx", "units", 1, "爸爸"), "unknown column"),
    (
        "unknown kind",
        edited(set_cell("units", 7, 2, "hamlet")),
        ("pairs.xlsx", "units", 7, "kind"),
        "unknown unit kind",
    ),
    (
        "bad date",
        edited(set_cell("pairings", 2, 4, "2018-02-30")),
        ("pairs.xlsx", "pairings", 2, "start"),
        "no such day",
    ),
    ("text for a date", edited(set_cell("pairings", 3, 5, "明年")), ("pairs.xlsx", "pairings", 3, "end"), "not a date"),
    (
        "start after end",
        edited(set_cell("pairings", 3, 4, "2021-01-01")),
        ("pairs.xlsx", "pairings", 3, "end"),
        "start is after end",
    ),
    (
        "duplicate id",
        edited(append_row("units", ["", "高峰村", "village", "", "沿河土家族自治县/中界镇", ""])),
        ("pairs.xlsx", "units", 8, "id"),
        "duplicate unit id",
    ),
    (
        "unknown parent",
        edited(set_cell("units", 6, 4, "赤水河县")),
        ("pairs.xlsx", "units", 6, "parent"),
        "unknown reference",
    ),
    (
        "unknown helper",
        edited(set_cell("pairings", 2, 0, "张家港市/锦丰镇/善港村")),
        ("pairs.xlsx", "pairings", 2, "helper"),
        "no unit named 善港村 lies under",
    ),
    ("ambiguous name", edited(ambiguous_village), ("pairs.xlsx", "pairings", 2, "helped"), "520627110202"),
    (
        "self-pairing",
        edited(set_cell("pairings", 3, 1, "320582")),
        ("pairs.xlsx", "pairings", 3, "helped"),
        "paired with itself",
    ),
    (
        "level inconsistent with kinds",
        edited(set_cell("pairings", 3, 2, "township")),
        ("pairings.xlsx", "pairings", 3, "level"),
        "does not fit county → county",
    ),
    (
        "no level fits",
        edited(set_cell("pairings", 2, 1, "520627", "")),
        ("pairs.xlsx", "pairings", 2, "level"),
        "none fits village → county",
    ),
    ("hierarchy cycle by codes", edited(codes_in_a_cycle), ("pairs.xlsx", "units", None, "parent"), "cycle"),
    ("hierarchy cycle by names", edited(names_in_a_cycle), ("pairs.xlsx", "units", 3, "parent"), "cycle"),
    (
        "non-numeric amount",
        edited(set_cell("flows", 2, 1, "五百万")),
        ("pairs.xlsx", "flows", 2, "amount"),
        "not a number",
    ),
    (
        "year out of range",
        edited(set_cell("flows", 2, 3, "1800")),
        ("pairs.xlsx", "flows", 2, "year"),
        "greater than or equal to 1949",
    ),
    (
        "negative population",
        edited(lambda s: (s["units"][0].append("population"), s["units"][6].append("-5"))),
        ("pairs.xlsx", "units", 7, "population"),
        "greater than or equal to 0",
    ),
    (
        "bad yes/no",
        edited(lambda s: (s["units"][0].append("placeholder"), s["units"][2].append("也许"))),
        ("pairs.xlsx", "units", 3, "placeholder"),
        "not yes or no",
    ),
    (
        "unknown mode in Chinese headers",
        edited(set_cell("结对", 2, 3, "文明"), CHINESE),
        ("pairs.xlsx", "结对", 2, "结对方式"),
        "unknown pairing mode",
    ),
    (
        "value without a header",
        edited(lambda s: s["flows"][1].extend(["", "", "多余"])),
        ("pairs.xlsx", "flows", 2, None),
        "column I, which has no header",
    ),
    ("empty xlsx", raw("pairs.xlsx", b""), ("pairs.xlsx", None, None, None), "the file is empty"),
    ("empty csv", raw("units.csv", b"\xef\xbb\xbf\r\n"), ("units.csv", None, None, None), "the file is empty"),
    ("empty sheet", edited(lambda s: s["flows"].clear()), ("pairs.xlsx", "flows", None, None), "the sheet is empty"),
    (
        "PDF renamed .xlsx",
        raw("pairs.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("pairs.xlsx", None, None, None),
        "not an xlsx workbook",
    ),
    (
        "text renamed .xlsx",
        raw("pairs.xlsx", "帮扶方,受帮扶方\n善港村,高峰村\n".encode()),
        ("pairs.xlsx", None, None, None),
        "not an xlsx workbook",
    ),
    ("truncated xlsx", truncated, ("pairs.xlsx", None, None, None), "truncated"),
    ("macro workbook", macro_workbook, ("pairs.xlsm", None, None, None), ".xlsm"),
    ("macros inside .xlsx", renamed_macro_workbook, ("pairs.xlsx", None, None, None), "macros"),
    ("undecodable csv", undecodable, ("units.csv", None, None, None), "not UTF-8"),
    ("unsupported type", raw("pairs.pdf", b"%PDF-1.7"), ("pairs.pdf", None, None, None), "unsupported file type"),
    (
        "csv of no known sheet",
        lambda f: write_csv(f / "名单.csv", ENGLISH["units"]),
        ("名单.csv", None, None, None),
        "cannot tell which sheet",
    ),
    (
        "invalid json",
        raw("pairs.json", b'{"units": [{"name": "x",}]}'),
        ("pairs.json", None, None, None),
        "not valid JSON",
    ),
    (
        "json item not an object",
        raw("pairs.json", '{"units": [["高峰村"]]}'.encode()),
        ("pairs.json", "units", 1, None),
        "not an object",
    ),
    (
        "folder without sheets",
        lambda f: write_folder(f / "empty", {"readme": [["x"]]}),
        ("empty", None, None, None),
        "no units.csv",
    ),
]


def _only(problems, file, sheet, row, column, words):
    matching = [p for p in problems if words in p.message or words in (p.expected or "")]
    assert matching, [str(p) for p in problems]
    located = [(p.file, p.sheet, p.row, p.column) for p in matching]
    wanted = (file, sheet, row, column)
    if row is None and sheet == "units" and column == "parent":  # a cycle is reported where it closes
        assert any(loc[:2] == wanted[:2] and loc[3] == column and loc[2] in {5, 6} for loc in located), located
    else:
        assert wanted in located, located
    return matching


@pytest.mark.parametrize(("builder", "where", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_where_it_is(tmp_path, builder, where, words):
    path = builder(tmp_path)
    file, sheet, row, column = where
    if file == "pairings.xlsx":  # read under another source name: problems carry that name
        with pytest.raises(InvalidInput) as caught:
            read_dataset(path, source="pairings.xlsx")
    else:
        with pytest.raises(InvalidInput) as caught:
            read_dataset(path)
    for problem in _only(caught.value.problems, file, sheet, row, column, words):
        assert problem.expected, problem


def test_there_are_at_least_fifteen_distinct_kinds():
    assert len({words for *_, words in CASES}) >= 15


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_import_leaves_the_store_byte_for_byte_unchanged(tmp_path):
    db = tmp_path / "pairnet.db"
    with open_store(str(db)) as store:
        report = import_file(store, write_xlsx(tmp_path / "pairs.xlsx", ENGLISH))
    assert report.counts == {"units": 6, "pairings": 2, "flows": 1}
    before = _digest(db)
    for number, (name, builder, *_) in enumerate(CASES):
        folder = tmp_path / f"case{number}"
        folder.mkdir()
        with open_store(str(db)) as store:
            version = store.version()
            with pytest.raises(InvalidInput):
                import_file(store, builder(folder))
            assert store.version() == version, name
        assert _digest(db) == before, name
        assert not db.with_name(db.name + "-wal").exists() or db.with_name(db.name + "-wal").stat().st_size == 0, name


def test_json_and_csv_problems_name_the_user_header(tmp_path):
    sheets = copy(CHINESE)
    sheets["结对"][2][0] = "张家湾"
    with pytest.raises(InvalidInput) as caught:
        read_dataset(write_json(tmp_path / "pairs.json", sheets))
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [("结对", 2, "帮扶方")]
    with pytest.raises(InvalidInput) as caught:
        read_dataset(write_folder(tmp_path / "csv", sheets, "gbk"), source="csv")
    assert [(p.file, p.sheet, p.row, p.column) for p in caught.value.problems] == [("csv", "结对.csv", 3, "帮扶方")]
