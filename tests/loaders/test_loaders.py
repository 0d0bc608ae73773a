"""The loaders on real files: every format and encoding, header aliases, the mapping file,
name-path references, value parsing."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import json

import openpyxl
import pytest

from pairnet.graph import InvalidInput
from pairnet.graph.model import Dataset, Kind, Level, Ownership, Side, Unit, pairing_key, stable_id
from pairnet.loaders import read_dataset
from tests.support.loader_files import CHINESE, ENGLISH, copy, write_csv, write_folder, write_json, write_xlsx

ZONE = stable_id("u", "township", "320582", "经济技术开发区")
SHANGANG = stable_id("u", "village", ZONE, "善港村")
ZHONGJIE = stable_id("u", "township", "520627", "中界镇")
GAOFENG = stable_id("u", "village", ZHONGJIE, "高峰村")


def content(dataset: Dataset) -> dict:
    """The records without provenance, for comparing the same data read from two formats
    (a flow without an id gets one from its file, sheet and row, so flow ids are left out)."""
    return {
        kind: sorted(
            json.dumps(r.model_dump(exclude={"source", *extra}, mode="json"), sort_keys=True)
            for r in getattr(dataset, kind)
        )
        for kind, extra in (("units", ()), ("pairings", ()), ("flows", ("id",)))
    }


def check_sample(dataset: Dataset) -> None:
    units = {u.id: u for u in dataset.units}
    assert set(units) == {"320582", ZONE, SHANGANG, "520627", ZHONGJIE, GAOFENG}
    assert units[GAOFENG].parent_id == ZHONGJIE and units[GAOFENG].side == Side.HELPED
    assert units[GAOFENG].poverty == "deeply_poor" and units[GAOFENG].kind == Kind.VILLAGE
    assert units[SHANGANG].side == Side.HELPER and units[ZONE].parent_id == "320582"
    village, government = sorted(dataset.pairings, key=lambda p: p.start)[::-1]
    assert (village.helper_id, village.helped_id, village.level) == (SHANGANG, GAOFENG, Level.VILLAGE)
    assert village.id == pairing_key(SHANGANG, GAOFENG, Level.VILLAGE, village.program)  # no date in the key
    assert government.level == Level.GOVERNMENT  # inferred from county → county
    assert government.end == dt.date(2020, 12, 31)
    (flow,) = dataset.flows
    assert (flow.kind, flow.amount, flow.year, flow.from_id, flow.to_id) == (
        "donation_money",
        508.0,
        2018,
        "320582",
        "520627",
    )


def test_xlsx_with_english_headers(tmp_path):
    dataset = read_dataset(write_xlsx(tmp_path / "pairs.xlsx", ENGLISH))
    check_sample(dataset)
    gaofeng = next(u for u in dataset.units if u.name == "高峰村")
    assert (gaofeng.source.file, gaofeng.source.sheet, gaofeng.source.row) == ("pairs.xlsx", "units", 7)


def test_chinese_sheets_headers_and_values_read_as_the_english(tmp_path):
    english = read_dataset(write_xlsx(tmp_path / "en.xlsx", ENGLISH))
    chinese = read_dataset(write_xlsx(tmp_path / "zh.xlsx", CHINESE))
    assert content(chinese) == content(english)
    assert chinese.units[0].source.sheet == "单位"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_folder_of_csv_in_each_encoding(tmp_path, encoding):
    folder = write_folder(tmp_path / "yanhe", CHINESE, encoding)
    raw = (folder / "单位.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    dataset = read_dataset(folder, source="yanhe")
    check_sample(dataset)
    assert {(u.source.file, u.source.sheet) for u in dataset.units} == {("yanhe", "单位.csv")}


def test_single_csv_named_after_its_sheet(tmp_path):
    dataset = read_dataset(write_csv(tmp_path / "zhangjiagang-yanhe-units.csv", ENGLISH["units"], "gb18030"))
    assert len(dataset.units) == 6 and not dataset.pairings
    assert dataset.units[0].source.sheet == "units"


def test_json(tmp_path):
    dataset = read_dataset(write_json(tmp_path / "pairs.json", ENGLISH))
    check_sample(dataset)
    assert content(dataset) == content(read_dataset(write_xlsx(tmp_path / "pairs.xlsx", ENGLISH)))


def test_workbook_with_title_rows_native_cells_and_other_sheets(tmp_path):
    sheets = copy(ENGLISH)
    sheets["units"][1][0] = 320582  # a code typed as a number
    sheets["pairings"] = [["张家港—沿河结对帮扶名单（2018）"], [], *sheets["pairings"]]
    sheets["pairings"][3][4] = dt.datetime(2018, 1, 1)
    sheets["pairings"][4][4] = 42795  # 2017-03-01 as an Excel serial number
    sheets["说明"] = [["这一页不是数据"]]
    dataset = read_dataset(write_xlsx(tmp_path / "pairs.xlsx", sheets))
    check_sample(dataset)
    assert sorted(p.source.row for p in dataset.pairings) == [4, 5]


def test_mapping_file_maps_headers_and_sheets(tmp_path):
    sheets = copy(ENGLISH)
    sheets["名单"] = [
        ["序号", "结对单位", "被结对村", "结对层级", "开始日期"],
        [1, "320582", "520627", "", "2017-03-01"],
    ]
    del sheets["pairings"]
    sheets["units"][0][1] = "单位全称"
    path = write_xlsx(tmp_path / "pairs.xlsx", sheets)
    with pytest.raises(InvalidInput) as caught:
        read_dataset(path)  # without the mapping, 单位全称 is unknown
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [
        ("units", 1, "单位全称"),
        ("units", 1, "name"),
    ]
    toml = tmp_path / "mapping.toml"
    toml.write_text(
        '[sheets]\n"名单" = "pairings"\n\n[columns]\n"单位全称" = "name"\n\n'
        '[columns.pairings]\n"结对单位" = "helper"\n"被结对村" = "helped"\n',
        encoding="utf-8",
    )
    from_toml = read_dataset(path, mapping=toml)
    (pairing,) = from_toml.pairings
    assert (pairing.helper_id, pairing.helped_id, pairing.source.sheet) == ("320582", "520627", "名单")
    mapping = {
        "sheets": {"名单": "pairings"},
        "columns": {"单位全称": "name", "pairings": {"结对单位": "helper", "被结对村": "helped"}},
    }
    as_json = tmp_path / "mapping.json"
    as_json.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    assert (
        content(read_dataset(path, mapping=as_json))
        == content(from_toml)
        == content(read_dataset(path, mapping=mapping))
    )


def test_a_bad_mapping_is_reported(tmp_path):
    path = write_xlsx(tmp_path / "pairs.xlsx", ENGLISH)
    with pytest.raises(InvalidInput) as caught:
        read_dataset(path, mapping={"columns": {"村名": "village_name"}, "sheet": {}})
    messages = [p.message for p in caught.value.problems]
    assert any("unknown column" in m for m in messages) and any("'sheet'" in m for m in messages)


def test_references_resolve_against_known_units(tmp_path):
    known = read_dataset(write_xlsx(tmp_path / "units.xlsx", {"units": ENGLISH["units"]}))
    sheets = {
        "pairings": ENGLISH["pairings"],
        "units": [
            ["name", "kind", "parent", "ownership"],
            ["张家港市某国企（示例）", "国企", "张家港市", ""],
            ["善港村", "village", "张家港市/经济技术开发区", ""],  # the same id as a known unit: the file's wins
        ],
    }
    sheets["pairings"] = [*sheets["pairings"], ["张家港市某国企（示例）", "中界镇/高峰村", "", "", "", ""]]
    dataset = read_dataset(write_xlsx(tmp_path / "more.xlsx", sheets), known=known)
    enterprise = next(u for u in dataset.units if u.kind == Kind.ENTERPRISE)
    assert enterprise.ownership == Ownership.STATE and enterprise.side == Side.HELPER
    assert enterprise.parent_id == "320582"
    assert {u.id for u in dataset.units} == {enterprise.id, SHANGANG}
    levels = {p.helper_id: p.level for p in dataset.pairings}
    assert levels[enterprise.id] == Level.ENTERPRISE_VILLAGE and levels[SHANGANG] == Level.VILLAGE


def test_ambiguous_name_lists_every_candidate_with_its_code(tmp_path):
    sheets = copy(ENGLISH)
    sheets["units"][5][0] = "520627110"
    sheets["units"][6][0] = "520627110201"
    sheets["units"].append(["520627110202", "高峰村", "village", "", "520627110", "poor"])
    sheets["pairings"] = sheets["pairings"][:2]
    # Two 高峰村 one code digit apart are near-duplicates: accepted here on purpose.
    with pytest.raises(InvalidInput) as caught:
        read_dataset(write_xlsx(tmp_path / "pairs.xlsx", sheets), allow_near_duplicates=True)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("pairings", 2, "helped")
    assert "ambiguous" in problem.message
    assert "520627110201" in problem.message and "520627110202" in problem.message
    sheets["pairings"][1][1] = "520627110202"  # the code settles it
    fixed = read_dataset(write_xlsx(tmp_path / "fixed.xlsx", sheets), allow_near_duplicates=True)
    assert fixed.pairings[0].helped_id == "520627110202"


def test_a_name_path_may_be_partial_or_start_with_a_code(tmp_path):
    sheets = copy(ENGLISH)
    sheets["pairings"][1][:2] = ["善港村", "520627/中界镇/高峰村"]
    dataset = read_dataset(write_xlsx(tmp_path / "pairs.xlsx", sheets))
    assert {(p.helper_id, p.helped_id) for p in dataset.pairings} >= {(SHANGANG, GAOFENG)}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2018-12-31", dt.date(2018, 12, 31)),
        ("2018/12/31", dt.date(2018, 12, 31)),
        ("2018年12月31日", dt.date(2018, 12, 31)),
        ("2018.1.5", dt.date(2018, 1, 5)),
        ("20181231", dt.date(2018, 12, 31)),
        ("43465", dt.date(2018, 12, 31)),
        ("2018-12-31 00:00:00", dt.date(2018, 12, 31)),
    ],
)
def test_date_formats(tmp_path, cell, expected):
    sheets = copy(ENGLISH)
    sheets["pairings"][1][5] = cell
    dataset = read_dataset(write_folder(tmp_path / "in", sheets))
    assert next(p for p in dataset.pairings if p.level == Level.VILLAGE).end == expected


def test_placeholder_numbers_and_whitespace(tmp_path):
    sheets = copy(ENGLISH)
    sheets["units"][0] += ["placeholder", "population"]
    sheets["units"][6] += ["是", " 1,800 "]
    sheets["units"][3] += ["no", ""]
    sheets["units"][2][1] = "  经济技术开发区 "
    sheets["flows"][1][1] = "6,594.5"
    dataset = read_dataset(write_folder(tmp_path / "in", sheets))
    units = {u.name: u for u in dataset.units}
    assert units["高峰村"].placeholder is True and units["高峰村"].population == 1800
    assert units["善港村"].placeholder is False and units["经济技术开发区"].id == ZONE
    assert dataset.flows[0].amount == 6594.5


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    sheets = copy(CHINESE)
    sheets["单位"][6][2] = "村庄"
    sheets["结对"][1][4] = "2018-02-30"
    sheets["流动"][1][1] = "五百"
    with pytest.raises(InvalidInput) as caught:
        read_dataset(write_xlsx(tmp_path / "pairs.xlsx", sheets))
    where = [(p.file, p.sheet, p.row, p.column, p.value) for p in caught.value.problems]
    assert where == [
        ("pairs.xlsx", "单位", 7, "类型", "村庄"),
        ("pairs.xlsx", "结对", 2, "开始日期", "2018-02-30"),
        ("pairs.xlsx", "流动", 2, "金额", "五百"),
    ]


def test_file_units_replace_known_ones_by_id(tmp_path):
    known = Dataset(units=(Unit(id="520627", kind="county", name="沿河县", side="helped"),))
    dataset = read_dataset(write_xlsx(tmp_path / "pairs.xlsx", ENGLISH), known=known)
    assert next(u for u in dataset.units if u.id == "520627").name == "沿河土家族自治县"


def test_xlsx_is_read_in_read_only_mode(tmp_path, monkeypatch):
    calls = []
    original = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: calls.append(k) or original(*a, **k))
    read_dataset(write_xlsx(tmp_path / "pairs.xlsx", ENGLISH))
    assert calls and calls[0]["read_only"] is True


@pytest.mark.parametrize(
    "name",
    [
        "pairnet.loaders",
        "pairnet.loaders.files",
        "pairnet.loaders.headers",
        "pairnet.loaders.references",
        "pairnet.loaders.values",
    ],
)
def test_docstring_examples_run(name):
    # pytest collects doctests only under graph/; the loaders' examples are run here.
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted and not result.failed
