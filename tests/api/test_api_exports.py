"""Downloads: every list and analysis as CSV and XLSX, read back with csv and openpyxl;
file names; formula cells neutralised; JSON stays the default."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from pairnet.store.store import open_store
from tests.support.api import AUTH, EXPORTS, UNIT_HEADER, XLSX, client_for, load_sample, upload, write_csv


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("exports") / "sample.db"))
    load_sample(store)
    yield client_for(store)
    store.close()


def _json_rows(client, url: str) -> int:
    """How many rows the download of ``url`` should have, from its JSON answer."""
    body = client.get(url).json()  # a page's total counts every row, whatever its limit
    if isinstance(body, list):
        return len(body)
    if "total" in body:
        return body["total"]
    if "groups" in body:
        return len(body["groups"]) + 1  # and the total row
    if "suggestions" in body:
        return len(body["suggestions"]) + len(body["unassigned"])
    if "helper" in body and "helped" in body:
        return 2
    if "by_stage" in body:
        return 3 + len(body["by_stage"])
    if "totals" in body:
        return len(body["units"]) + len(body["pairings"]) + len(body["flows"])
    return len(body["rows"])


@pytest.mark.parametrize(("url", "name"), EXPORTS)
def test_csv_download(client, url, name):
    response = client.get(f"{url}&format=csv" if "?" in url else f"{url}?format=csv")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="{name}.csv"' in response.headers["content-disposition"]
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == _json_rows(client, url)
    assert rows, url


@pytest.mark.parametrize(("url", "name"), EXPORTS)
def test_xlsx_download(client, url, name):
    response = client.get(f"{url}&format=xlsx" if "?" in url else f"{url}?format=xlsx")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == XLSX
    assert f'filename="{name}.xlsx"' in response.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value and sheet["A1"].font.bold  # the title row: what was counted
    header = [cell.value for cell in sheet[2]]
    assert header and all(header)
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
    assert sheet.max_row - 2 == _json_rows(client, url)
    about = [tuple(row) for row in workbook["About"].iter_rows(values_only=True)]
    assert about[0] == ("question", sheet["A1"].value)
    assert about[-1] == ("Produced by", f"{response.url.path}?{response.url.query.decode()}")


def test_csv_matches_the_json_answer(client):
    page = client.get("/units", params={"kind": "township", "side": "helped", "limit": 1000}).json()
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/units?kind=township&side=helped&format=csv").content.decode("utf-8-sig"))
        )
    )
    assert [r["id"] for r in rows] == [u["id"] for u in page["items"]]
    assert [r["name"] for r in rows] == [u["name"] for u in page["items"]]
    assert rows[0]["parent"] == page["items"][0]["parent_id"]  # the input format's column names


def test_json_is_the_default_and_an_unknown_format_is_422(client):
    assert client.get("/units").headers["content-type"] == "application/json"
    assert client.get("/units", params={"format": "json"}).json()["total"] > 0
    response = client.get("/units", params={"format": "pdf"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_downloads_carry_the_etag_and_answer_304(client):
    first = client.get("/analyses/gaps?kind=township&side=helped&format=xlsx")
    etag = first.headers["etag"]
    again = client.get("/analyses/gaps?kind=township&side=helped&format=xlsx", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/analyses/gaps?kind=township&side=helped&format=csv").headers["etag"] != etag


def test_formula_cells_are_neutralised(store, tmp_path):
    client = client_for(store)
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"]
    rows = [["h-county", "", "county", "测试县", "helped", "", ""]]
    rows += [[f"h-{i}", "", "village", name, "helped", "h-county", "poor"] for i, name in enumerate(hostile)]
    assert upload(client, write_csv(tmp_path / "units.csv", UNIT_HEADER, rows), headers=AUTH).status_code == 200
    text = client.get("/units", params={"kind": "village", "format": "csv"}).content.decode("utf-8-sig")
    names = [r["name"] for r in csv.DictReader(io.StringIO(text))]
    assert sorted(names) == sorted("'" + h for h in hostile)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/units", params={"kind": "village", "format": "xlsx"}).content)
    )
    sheet = book.worksheets[0]
    column = [cell.value for cell in sheet[2]].index("name")  # row 1 is the title
    cells = [row[column].value for row in sheet.iter_rows(min_row=3)]
    assert sorted(cells) == sorted("'" + h for h in hostile)
    assert all(row[column].data_type == "s" for row in sheet.iter_rows(min_row=3))
    # JSON keeps the names as they are: nothing evaluates them.
    assert sorted(u["name"] for u in client.get("/units", params={"kind": "village"}).json()["items"]) == sorted(
        hostile
    )


def test_downloaded_lists_load_again_into_an_empty_store(client, tmp_path):
    with open_store(str(tmp_path / "copy.db")) as copy_store:
        target = client_for(copy_store)
        for name in ("units", "pairings", "flows"):
            path = tmp_path / f"{name}.csv"
            path.write_bytes(client.get(f"/{name}", params={"format": "csv"}).content)
            response = upload(target, path)
            assert response.status_code == 200, response.text[:500]
        for name in ("units", "pairings", "flows"):
            original = client.get(f"/{name}", params={"limit": 1000}).json()["items"]
            copy = target.get(f"/{name}", params={"limit": 1000}).json()["items"]
            assert [_without_source(item) for item in copy] == [_without_source(item) for item in original]


def _without_source(item: dict) -> dict:
    return {key: value for key, value in item.items() if key != "source"}


def test_a_workbook_drops_the_control_characters_a_title_repeats(client):
    # The title repeats what was asked (stage, program): a control character there, which no
    # XLSX cell may hold, is left out rather than failing the download with a 500.
    response = client.get(
        "/api/v1/analyses/gaps", params={"stage": "初\x1f中", "program": "扶\x07贫", "format": "xlsx"}
    )
    assert response.status_code == 200, response.text[:300]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    title = workbook.worksheets[0]["A1"].value
    assert "初中" in title and "扶贫" in title
    assert not any(ord(c) < 32 for c in title)
    produced_by = [row for row in workbook["About"].iter_rows(values_only=True)][-1][1]
    assert "\x1f" not in produced_by and "%1F" in produced_by
