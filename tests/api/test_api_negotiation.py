"""Formats by content negotiation (issue 19): Accept selects CSV or XLSX on every route that
offers downloads, ?format= wins over it, anything else is a 406 naming what is offered, and
the schema documents each format as its own content."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from fastapi.testclient import TestClient

from pairnet.api.negotiation import Format, accepted, negotiate
from tests.support.api import client_for, load_sample
from tests.support.stores import sqlite_store

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = [
    "/api/v1/units?kind=county",
    "/api/v1/pairings?level=township",
    "/api/v1/flows",
    "/api/v1/analyses/coverage?county=520627",
    "/api/v1/analyses/gaps?within=520627",
    "/api/v1/analyses/summary",
]


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = sqlite_store(tmp_path_factory.mktemp("negotiation"))
    load_sample(store)
    yield client_for(store)
    store.close()


@pytest.mark.parametrize("url", DOWNLOADS)
def test_accept_selects_the_format(sample_client: TestClient, url: str) -> None:
    as_csv = sample_client.get(url, headers={"Accept": CSV})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith(CSV)
    assert as_csv.headers["content-disposition"].startswith("attachment;")
    assert as_csv.text == sample_client.get(url + "&format=csv" if "?" in url else url + "?format=csv").text
    as_xlsx = sample_client.get(url, headers={"Accept": XLSX})
    assert as_xlsx.headers["content-type"] == XLSX
    assert openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).worksheets
    as_json = sample_client.get(url, headers={"Accept": "application/json"})
    assert as_json.headers["content-type"] == "application/json"
    # The answer cache keeps the three apart.
    assert sample_client.get(url, headers={"Accept": CSV}).text == as_csv.text
    assert "Accept" in as_csv.headers["vary"].split(", ")


def test_format_wins_over_accept_and_weights_count(sample_client: TestClient) -> None:
    url = "/api/v1/units?kind=county"
    assert (
        sample_client.get(url + "&format=json", headers={"Accept": CSV}).headers["content-type"] == "application/json"
    )
    weighed = sample_client.get(url, headers={"Accept": "application/json;q=0.5, text/csv"})
    assert weighed.headers["content-type"].startswith(CSV)
    assert sample_client.get(url, headers={"Accept": "*/*"}).headers["content-type"] == "application/json"


@pytest.mark.parametrize("accept", ["text/html", "image/png", "text/csv;q=0"])
def test_an_unoffered_type_is_a_406_listing_what_is_offered(sample_client: TestClient, accept: str) -> None:
    answer = sample_client.get("/api/v1/analyses/summary?lang=en", headers={"Accept": accept})
    assert answer.status_code == 406
    body = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert body["type"] == "/problems/not-acceptable"
    assert f"application/json, {CSV}, {XLSX}" in body["detail"]


def test_the_report_is_a_workbook_only(sample_client: TestClient) -> None:
    url = "/api/v1/analyses/report?county=520627&as_of=2018-12-31"
    assert sample_client.get(url, headers={"Accept": XLSX}).status_code == 200
    refused = sample_client.get(url, headers={"Accept": "application/json"})
    assert refused.status_code == 406 and XLSX in refused.json()["detail"]


def test_the_schema_documents_each_format_with_a_schema_and_the_406(sample_client: TestClient) -> None:
    paths = sample_client.get("/openapi.json").json()["paths"]
    for url in DOWNLOADS:
        operation = paths[url.split("?")[0]]["get"]
        content = operation["responses"]["200"]["content"]
        assert content[CSV]["schema"] == {"type": "string"}
        assert content[XLSX]["schema"] == {"type": "string", "format": "binary"}
        assert "schema" in content["application/json"]
        assert "Content-Disposition" in operation["responses"]["200"]["headers"]
        assert "application/problem+json" in operation["responses"]["406"]["content"]
    report = paths["/api/v1/analyses/report"]["get"]["responses"]
    assert report["200"]["content"] == {XLSX: {"schema": {"type": "string", "format": "binary"}}}


def test_negotiate_reads_weights_and_wildcards() -> None:
    offered = (Format.JSON, Format.CSV, Format.XLSX)
    assert accepted("text/csv;q=0.3, */*;q=bad") == [("text/csv", 0.3), ("*/*", 0.0)]
    assert negotiate(None, offered) is Format.JSON
    assert negotiate("text/*", offered) is Format.CSV
    assert negotiate("application/*;q=0.9, text/csv;q=0.8", offered) is Format.JSON
