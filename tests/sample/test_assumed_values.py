"""Honesty of the sample (issue 14, item 8): the 52 poverty statuses its README assigns by a
rule (assumption 6) sit on real villages (``placeholder=false``); they come out marked as
assumed in the CLI's JSON and tables, the API (JSON, OpenAPI, exports) and the report XLSX,
and an exported list loads again with its marks."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.imports import import_file
from pairnet.loaders import read_dataset
from pairnet.store.store import open_store
from tests.support.api import client_for

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe"
GAPS = ["gaps", "--county", "520627", "--poverty", "deeply_poor", "--as-of", "2017-12-31"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("honest") / "sample.db")
    with open_store(path) as opened:
        import_file(opened, SAMPLE / "zhangjiagang-yanhe.xlsx")
    return path


def test_the_sample_marks_the_poverty_statuses_of_real_villages_as_assumed():
    for source in (SAMPLE / "zhangjiagang-yanhe.xlsx", SAMPLE):  # the workbook and the CSVs alike
        dataset = read_dataset(source)
        poor = [u for u in dataset.units if u.poverty]
        assert len(poor) == 52 and not any(u.placeholder for u in poor)
        assert {u.assumed for u in poor} == {("poverty",)}
        gaofeng = next(u for u in poor if u.name == "高峰村")
        real_pair = next(p for p in dataset.pairings if p.helped_id == gaofeng.id)
        assert (real_pair.placeholder, real_pair.assumed) == (False, ("start",))  # the month is assumed


def test_cli_json_and_api_carry_the_mark_beside_the_values(store):
    result = CliRunner().invoke(app, [*GAPS, "-f", "json", "--store", store])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["gaps"]
    assert rows and {(row["poverty"], tuple(row["assumed"])) for row in rows} == {("deeply_poor", ("poverty",))}
    with open_store(store) as opened:
        client = client_for(opened)
        page = client.get(
            "/analyses/gaps", params={"within": "520627", "poverty": "deeply_poor", "as_of": "2017-12-31"}
        ).json()
        assert page["items"] == rows
        units = client.get("/units", params={"within": "520627", "poverty": "deeply_poor", "limit": 100}).json()
        assert len(units["items"]) == 50 and {tuple(u["assumed"]) for u in units["items"]} == {("poverty",)}
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
        assert "assumed" in schemas["ListedUnit"]["properties"] and "assumed" in schemas["GapRow"]["properties"]


def test_cli_tables_mark_the_value_and_explain_the_mark(store):
    result = CliRunner().invoke(app, ["--lang", "zh", *GAPS, "--store", store], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "深度贫困村*" in result.stdout and "* 推定值" in result.stdout
    shown = CliRunner().invoke(
        app, ["--lang", "zh", "show", "沿河县/中界镇/高峰村", "--store", store], env={"COLUMNS": "250"}
    )
    assert "poverty: deeply_poor*" in shown.stdout and "2018-03-01*" in shown.stdout


def test_exports_keep_the_mark_and_load_again(store, tmp_path):
    report = tmp_path / "gaps.xlsx"
    result = CliRunner().invoke(app, ["--lang", "zh", *GAPS, "--output", str(report), "--store", store])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(report)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[2]]
    poverty = [row[headers.index("贫困状况")] for row in sheet.iter_rows(min_row=3)]
    assert {(cell.value, cell.font.i) for cell in poverty} == {("深度贫困村", True)}
    about = {row[0].value: row[1].value for row in workbook.worksheets[-1].iter_rows() if row[0].value}
    assert "推定" in about["推定值"]
    with open_store(store) as opened:
        client = client_for(opened)
        params = {"within": "520627110", "poverty": "deeply_poor"}
        for fmt in ("csv", "xlsx"):
            body = client.get("/units", params={**params, "format": fmt}, headers={"Accept-Language": "zh"}).content
            exported = tmp_path / f"units.{fmt}"
            exported.write_bytes(body)
            if fmt == "xlsx":  # in italics there too
                cells = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
                assert any(cell.font.i and cell.value == "深度贫困村" for row in cells.iter_rows() for cell in row)
            again = import_file(opened, exported, confirm=True)
            assert again.summary.written["units"] == 2
            marked = [u for u in opened.snapshot().units if u.parent_id == "520627110" and u.poverty]
            assert {u.assumed for u in marked} == {("poverty",)}
