"""Report-ready exports (``pairnet.tables.to_titled_xlsx``): what a cooperation office
forwards without rework, and lists of units, pairings and flows that load back into an
empty store as the same records, in Chinese and in English."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.i18n import set_language
from pairnet.store.store import open_store
from tests.support.api import SAMPLE, client_for

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(autouse=True)
def english_afterwards():
    """The CLI sets the language of the process; leave the tests' default behind."""
    yield
    set_language("en")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("exports") / "sample.db"
    loaded = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert loaded.exit_code == 0, loaded.output
    return str(path)


def pairnet(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def _records(path: str) -> dict[str, list[dict[str, object]]]:
    """Every record of a store, without its provenance (which names the file it came from)."""
    with open_store(path) as store:
        dataset = store.snapshot()
    return {
        kind: sorted(
            (record.model_dump(exclude={"source"}) for record in getattr(dataset, kind)), key=lambda r: str(r["id"])
        )
        for kind in ("units", "pairings", "flows")
    }


def test_gaps_in_chinese_are_a_report_ready_sheet(sample, tmp_path):
    target = tmp_path / "缺口.xlsx"
    pairnet(
        "--lang", "zh", "gaps", "--county", "沿河县", "--kind", "村", "--as-of", "2018年12月31日",
        "-o", str(target), "-s", sample,
    )  # fmt: skip
    workbook = load_workbook(target)
    sheet = workbook.worksheets[0]
    title = sheet["A1"].value
    assert "沿河土家族自治县" in title and "2018-12-31" in title and "全部结对层级" in title
    assert sheet["A1"].font.bold
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["编号", "编码", "名称", "类型"] and "状态" in header and "最近结束日期" in header
    last = sheet.cell(2, len(header)).column_letter
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:{last}{sheet.max_row}"
    assert sheet.max_row > 2
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert {row[header.index("状态")] for row in rows} == {"从未结对"}  # the label, not never_paired
    assert {row[header.index("类型")] for row in rows} == {"村"}
    about = dict(workbook["说明"].iter_rows(values_only=True))
    assert about["问题"] == title and about["行数"] == sheet.max_row - 2
    assert about["数据版本"]  # the store's version stamp
    assert about["生成方式"].startswith("pairnet --lang zh gaps --county 沿河县 --kind 村 --as-of 2018年12月31日")


def test_coverage_shares_are_percent_cells(sample, tmp_path):
    target = tmp_path / "coverage.xlsx"
    pairnet(
        "coverage", "--county", "520627", "--poverty", "deeply_poor", "--as-of", "2018-12-31",
        "--by", "township", "-o", str(target), "-s", sample,
    )  # fmt: skip
    sheet = load_workbook(target).worksheets[0]
    assert sheet["A1"].value.startswith("Coverage of deeply poor village (helped) below 沿河土家族自治县")
    header = [cell.value for cell in sheet[2]]
    share = header.index("share") + 1
    cells = [sheet.cell(n, share) for n in range(3, sheet.max_row + 1)]
    assert cells[-1].value == 1.0 and all(cell.number_format == "0.0%" for cell in cells)
    assert sheet.cell(sheet.max_row, header.index("group") + 1).value == "total"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_units_pairings_and_flows_load_back_as_the_same_records(sample, tmp_path, language):
    with open_store(sample) as store:
        client = client_for(store)
        files = []
        for listing in ("units", "pairings", "flows"):
            response = client.get(f"/{listing}", params={"format": "xlsx", "lang": language})
            assert response.status_code == 200, response.text
            files.append(tmp_path / f"{listing}.xlsx")
            files[-1].write_bytes(response.content)
    sheet = load_workbook(files[1]).worksheets[0]
    header = [cell.value for cell in sheet[2]]
    assert ("帮扶方" in header) == (language == "zh")  # the input format's Chinese names in Chinese
    start = header.index("开始日期" if language == "zh" else "start") + 1
    starts = [sheet.cell(n, start) for n in range(3, sheet.max_row + 1) if sheet.cell(n, start).value is not None]
    assert starts and all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in starts)
    empty = str(tmp_path / "empty.db")
    for file in files:  # units first: the pairings and flows name them
        pairnet("--lang", language, "load", str(file), "--store", empty)
    assert _records(empty) == _records(sample)


def test_the_cli_pairings_file_loads_back_like_the_apis(sample, tmp_path):
    from_cli = tmp_path / "pairings.xlsx"
    pairnet("--lang", "zh", "pairings", "-o", str(from_cli), "-s", sample)
    with open_store(sample) as store:
        response = client_for(store).get("/pairings", params={"format": "xlsx", "lang": "zh"})
    cli_sheets = _cells(from_cli.read_bytes())
    api_sheets = _cells(response.content)
    assert cli_sheets["pairings"] == api_sheets["pairings"]
    empty = str(tmp_path / "empty.db")
    units = tmp_path / "units.xlsx"
    with open_store(sample) as store:
        units.write_bytes(client_for(store).get("/units", params={"format": "xlsx"}).content)
    pairnet("load", str(units), "--store", empty)
    pairnet("load", str(from_cli), "--store", empty)
    assert _records(empty)["pairings"] == _records(sample)["pairings"]


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in workbook}


@pytest.mark.parametrize(
    ("language", "columns", "level"),
    [
        ("zh", ["编号", "帮扶方", "受帮扶方", "结对层级", "开始日期"], "村级"),
        ("en", ["id", "helper", "helped", "level", "start"], "village"),
    ],
)
def test_csv_is_one_header_row_in_the_readers_language(sample, language, columns, level):
    with open_store(sample) as store:
        text = client_for(store).get("/pairings", params={"format": "csv", "lang": language}).content
    assert text.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    lines = text.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert set(columns) <= set(header)  # the first line is the header: no title line
    assert level in {line.split(",")[header.index(columns[3])] for line in lines[1:]}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_csv_lists_load_back_as_the_same_records(sample, tmp_path, language):
    with open_store(sample) as store:
        client = client_for(store)
        for listing in ("units", "pairings", "flows"):
            response = client.get(f"/{listing}", params={"format": "csv", "lang": language})
            assert response.status_code == 200, response.text
            (tmp_path / f"{listing}.csv").write_bytes(response.content)
    header = (tmp_path / "units.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert ("名称" in header.split(",")) == (language == "zh")
    empty = str(tmp_path / "empty.db")
    for listing in ("units", "pairings", "flows"):  # units first: the pairings and flows name them
        pairnet("--lang", language, "load", str(tmp_path / f"{listing}.csv"), "--store", empty)
    assert _records(empty) == _records(sample)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_empty_gap_list_still_has_its_header(sample, tmp_path, fmt):
    target = tmp_path / f"gaps.{fmt}"
    # Every gap of Yanhe in 2018 is a village never paired: none has this status.
    pairnet(
        "--lang", "zh", "gaps", "--county", "520627", "--kind", "村", "--status", "partner_not_valid",
        "--as-of", "2018-12-31", "-o", str(target), "-s", sample,
    )  # fmt: skip
    if fmt == "csv":
        lines = target.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 1 and lines[0].split(",")[:3] == ["编号", "编码", "名称"] and "状态" in lines[0]
        return
    sheet = load_workbook(target).worksheets[0]
    assert "沿河土家族自治县" in sheet["A1"].value
    header = [cell.value for cell in sheet[2]]
    assert header[:3] == ["编号", "编码", "名称"] and "状态" in header and sheet.max_row == 2


@pytest.mark.parametrize(("listing", "column"), [("units", "name"), ("pairings", "helper"), ("flows", "amount")])
def test_an_empty_list_still_has_its_header(sample, listing, column):
    with open_store(sample) as store:
        client = client_for(store)
        params = {"format": "csv", "q": "没有这个单位"} if listing == "units" else {"format": "csv"}
        if listing == "pairings":
            params["active_on"] = "1990-01-01"
        if listing == "flows":
            params["unit"] = "520627110217"
        response = client.get(f"/{listing}", params=params)
    assert response.status_code == 200, response.text
    lines = response.content.decode("utf-8-sig").splitlines()
    assert column in lines[0].split(",")


def test_a_title_that_looks_like_a_formula_stays_text():
    from pairnet.tables import Caption, to_titled_xlsx

    hostile = '=HYPERLINK("http://evil.example","x")范围内的单位 1 个'  # a place's name leads a Chinese title
    data = to_titled_xlsx([{"name": "甲村"}], None, Caption(hostile, "=cmd|' /C calc'!A0"), sheet="units")
    workbook = load_workbook(io.BytesIO(data))
    title = workbook.worksheets[0]["A1"]
    assert title.value == "'" + hostile and title.data_type == "s"
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]


@pytest.mark.parametrize(
    ("language", "names"),
    [
        (
            "zh",
            {"units": ("上级", "上级名称"), "pairings": ("受帮扶方", "受帮扶方名称"), "flows": ("去向", "去向名称")},
        ),
        ("en", {"units": ("parent", "parent name"), "pairings": ("helped", "helped name"), "flows": ("to", "to name")}),
    ],
)
def test_lists_name_the_units_beside_their_ids_and_loading_ignores_the_names(sample, tmp_path, language, names):
    with open_store(sample) as store:
        client = client_for(store)
        units = {u.id: u for u in store.snapshot().units}
        files = []
        for listing, (reference, name) in names.items():
            data = client.get(f"/{listing}", params={"format": "xlsx", "lang": language}).content
            workbook = load_workbook(io.BytesIO(data))
            sheet = workbook.worksheets[0]
            header = [cell.value for cell in sheet[2]]
            assert header.index(name) == header.index(reference) + 1  # the name right after the id
            named = 0
            for row in sheet.iter_rows(min_row=3):
                ref_cell, name_cell = row[header.index(reference)], row[header.index(name)]
                if ref_cell.value is not None:
                    assert name_cell.value == units[str(ref_cell.value)].name
                    named += 1
                    name_cell.value = "乱写的名称"  # a derived column: what it says is never read
            assert named
            files.append(tmp_path / f"{listing}.xlsx")
            workbook.save(files[-1])
        parents = "上级路径" if language == "zh" else "parents"
        unit_rows = load_workbook(files[0]).worksheets[0]
        header = [cell.value for cell in unit_rows[2]]
        ids = header.index("编号" if language == "zh" else "id")
        village = next(row for row in unit_rows.iter_rows(min_row=3, values_only=True) if row[ids] == "520627110217")
        assert village[header.index(parents)] == "贵州省 / 铜仁市 / 沿河土家族自治县 / 中界镇"
    empty = str(tmp_path / "empty.db")
    for file in files:
        pairnet("--lang", language, "load", str(file), "--store", empty)
    assert _records(empty) == _records(sample)


def test_the_csv_names_units_beside_their_ids_in_the_readers_language(sample):
    with open_store(sample) as store:
        client = client_for(store)
        for language, (helper, helper_name, helped, helped_name) in {
            "en": ("helper", "helper_name", "helped", "helped_name"),
            "zh": ("帮扶方", "帮扶方名称", "受帮扶方", "受帮扶方名称"),
        }.items():
            text = client.get("/pairings", params={"format": "csv", "lang": language}).content.decode("utf-8-sig")
            header = text.splitlines()[0].split(",")
            assert header[header.index(helper) + 1] == helper_name, language
            assert header[header.index(helped) + 1] == helped_name, language
