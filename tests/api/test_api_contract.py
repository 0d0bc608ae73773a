"""The API contract (issue 19): unknown parameters refused by name, explicit operation ids,
tags and descriptions, HEAD and OPTIONS on every path, and a Link to the next page."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pairnet.api.operations import OPERATIONS, UndocumentedOperation, document
from pairnet.api.problems import PROBLEM_TYPES
from pairnet.api.versions import API_PREFIX
from tests.support.api import UNIT_HEADER, client_for, load_sample, upload, write_csv
from tests.support.stores import sqlite_store


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = sqlite_store(tmp_path_factory.mktemp("contract"))
    load_sample(store)
    yield client_for(store)
    store.close()


@pytest.mark.parametrize(
    ("query", "unknown", "nearest"),
    [
        ("/api/v1/units?povety=deeply_poor", "povety", "poverty"),
        ("/api/v1/analyses/gaps?within=520627&stauts=never_paired", "stauts", "status"),
        ("/api/v1/pairings?levle=village", "levle", "level"),
        ("/api/v1/analyses/coverage?county=520627&as-of=2018-12-31", "as-of", "as_of"),
    ],
)
def test_an_unknown_parameter_is_refused_naming_the_nearest(
    sample_client: TestClient, query: str, unknown: str, nearest: str
) -> None:
    answer = sample_client.get(f"{query}&lang=en")
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert f"unknown parameter {unknown}; did you mean {nearest}?" in answer.json()["detail"]
    # Asked again, the answer cache does not serve it either.
    assert sample_client.get(f"{query}&lang=en").status_code == 422


def test_an_unknown_parameter_far_from_any_lists_what_the_route_takes(sample_client: TestClient) -> None:
    answer = sample_client.get("/api/v1/units/520627?zzzzzz=1&lang=en")
    assert answer.status_code == 422
    assert "unknown parameter zzzzzz; this route takes: as_of" in answer.json()["detail"]


def test_lang_is_taken_by_every_route(sample_client: TestClient) -> None:
    for path in ("/api/v1/?", "/api/v1/units?", "/api/v1/analyses/coverage?county=520627&", "/maps/?"):
        answer = sample_client.get(f"{path}lang=zh")
        assert answer.status_code == 200, (path, answer.text)


def test_every_operation_has_an_explicit_id_a_tag_and_a_description(sample_client: TestClient) -> None:
    schema = sample_client.get("/openapi.json").json()
    documented = {
        f"{method.upper()} {path.removeprefix(API_PREFIX) or '/'}": operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert set(documented) == set(OPERATIONS)  # no route undocumented, no entry left over
    ids = [operation["operationId"] for operation in documented.values()]
    assert len(set(ids)) == len(ids)
    assert documented["GET /units"]["operationId"] == "listUnits"
    assert documented["GET /units/{ref}"]["operationId"] == "getUnit"
    assert documented["POST /imports"]["operationId"] == "createImport"
    assert documented["POST /imports/{import_id}/revert"]["operationId"] == "revertImport"
    tags = {tag["name"]: tag["description"] for tag in schema["tags"]}
    for key, operation in documented.items():
        assert operation["operationId"][0].islower() and "_" not in operation["operationId"], key
        assert operation.get("description", "").strip(), f"{key} has no description"
        assert operation["tags"] and all(tags.get(tag) for tag in operation["tags"]), key


def test_a_route_missing_from_the_table_is_refused(sample_client: TestClient) -> None:
    schema: dict[str, Any] = {"paths": {"/new": {"get": {"responses": {}}}}}
    with pytest.raises(UndocumentedOperation, match="GET /new"):
        document(schema)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/units?limit=3",
        "/api/v1/units/520627",
        "/api/v1/analyses/gaps?within=520627",
        "/maps/",
        "/api/v1/units?format=csv",
    ],
)
def test_head_answers_as_the_get_without_a_body(sample_client: TestClient, path: str) -> None:
    got = sample_client.get(path)
    head = sample_client.head(path)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    for header in ("content-type", "content-length", "etag", "cache-control", "content-disposition", "link"):
        assert head.headers.get(header) == got.headers.get(header), header


def test_head_of_a_missing_unit_is_a_404_without_a_body(sample_client: TestClient) -> None:
    head = sample_client.head("/api/v1/units/no-such-unit")
    assert head.status_code == 404 and head.content == b""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/imports", "GET, HEAD, OPTIONS, POST"),
        ("/api/v1/units", "GET, HEAD, OPTIONS"),
        ("/api/v1/units/520627", "GET, HEAD, OPTIONS"),
        ("/api/v1/imports/abc/revert", "OPTIONS, POST"),
        ("/api/v1/people/someone", "DELETE, OPTIONS"),
    ],
)
def test_options_lists_every_method_of_the_path(sample_client: TestClient, path: str, allowed: str) -> None:
    answer = sample_client.options(path)
    assert answer.status_code == 204
    assert answer.headers["allow"] == allowed
    # A method the path lacks is a 405 with the same full list.
    assert sample_client.put(path).headers["allow"] == allowed


def test_options_of_no_path_is_a_404(sample_client: TestClient) -> None:
    assert sample_client.options("/no-such-path").status_code == 404


def test_a_page_links_to_the_next_one_until_the_last(sample_client: TestClient) -> None:
    first = sample_client.get("/api/v1/units?kind=village&limit=400")
    total = first.json()["total"]
    assert total > 400
    assert first.headers["link"] == '</api/v1/units?kind=village&limit=400&offset=400>; rel="next"'
    following = sample_client.get("/api/v1/units?kind=village&limit=400&offset=400")
    assert following.json()["items"][0] != first.json()["items"][0]
    last = sample_client.get(f"/api/v1/units?kind=village&limit=400&offset={total - 1}")
    assert len(last.json()["items"]) == 1 and "link" not in last.headers


# One request per GET operation of the sample (the key its OPERATIONS entry has).
GET_REQUESTS = {
    "GET /": "/api/v1/",
    "GET /units": "/api/v1/units",
    "GET /units/{ref}": "/api/v1/units/520627",
    "GET /pairings": "/api/v1/pairings",
    "GET /flows": "/api/v1/flows",
    "GET /analyses/coverage": "/api/v1/analyses/coverage?county=520627",
    "GET /analyses/coverage/two-way": "/api/v1/analyses/coverage/two-way?level=village&helper=320582",
    "GET /analyses/coverage/schools": "/api/v1/analyses/coverage/schools",
    "GET /analyses/timeline": "/api/v1/analyses/timeline?year=2018",
    "GET /analyses/gaps": "/api/v1/analyses/gaps?within=520627",
    "GET /analyses/alignment": "/api/v1/analyses/alignment",
    "GET /analyses/balance": "/api/v1/analyses/balance",
    "GET /analyses/recommendations": "/api/v1/analyses/recommendations?within=520627",
    "GET /analyses/whatif": "/api/v1/analyses/whatif?withdraw=320582",
    "GET /analyses/flows": "/api/v1/analyses/flows",
    "GET /analyses/summary": "/api/v1/analyses/summary",
    "GET /imports": "/api/v1/imports",
    "GET /maps/": "/maps/",
    "GET /maps/search": "/maps/search?q=520627",
    "GET /maps/five-in-one": "/maps/five-in-one?helper=320582&helped=520627",
    "GET /maps/unit/{ref}": "/maps/unit/520627",
    "GET /maps/gaps": "/maps/gaps?within=520627",
    "GET /maps/national": "/maps/national",
    "GET /maps/geo": "/maps/geo",
}


@pytest.mark.parametrize(("key", "url"), GET_REQUESTS.items())
def test_the_schema_documents_the_etag_exactly_where_answers_carry_one(
    sample_client: TestClient, key: str, url: str
) -> None:
    operation = _operation(sample_client, key)
    answer = sample_client.get(url)
    assert answer.status_code == 200, answer.text
    documented = "ETag" in operation["responses"]["200"].get("headers", {})
    assert documented == ("etag" in answer.headers) == OPERATIONS[key].etag
    if documented:
        assert "304" in operation["responses"]
        assert any(parameter["name"] == "If-None-Match" for parameter in operation["parameters"])
        again = sample_client.get(url, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304 and again.content == b""


def test_downloads_and_pages_have_their_headers_documented(sample_client: TestClient) -> None:
    headers = _operation(sample_client, "GET /units")["responses"]["200"]["headers"]
    assert {"ETag", "Cache-Control", "Content-Disposition", "Link"} <= set(headers)
    summary = _operation(sample_client, "GET /analyses/summary")["responses"]["200"]["headers"]
    assert "Link" not in summary  # one answer, no pages
    download = sample_client.get("/api/v1/units?format=csv")
    assert download.headers["content-disposition"].startswith("attachment;")


def _operation(client: TestClient, key: str) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    if not path.startswith(("/maps", "/problems")):
        path = API_PREFIX + path
    operation: dict[str, Any] = client.get("/openapi.json").json()["paths"][path][method.lower()]
    return operation


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("/api/v1/units?povety=deeply_poor", "povety"),  # unknown
        ("/api/v1/units?limit=5&limit=6", "limit"),  # repeated
        ("/api/v1/units?limit=0", "limit"),  # out of range
        ("/api/v1/analyses/coverage?county=no-such-unit", "county"),  # names no unit
        ("/api/v1/analyses/coverage?county=520627&within=520627", "county"),  # exclusive with within
    ],
)
def test_a_request_error_is_one_type_with_its_parameters(sample_client: TestClient, query: str, parameter: str) -> None:
    answer = sample_client.get(query)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["type"] == "/problems/invalid-request"
    assert "problems" not in body  # nothing located in a file
    assert parameter in [item["parameter"] for item in body["parameters"]]
    assert {item["location"] for item in body["parameters"]} == {"query"}
    assert "sheet" not in body["parameters"][0]


def test_an_invalid_file_is_invalid_input_with_located_problems(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    store = sqlite_store(tmp_path_factory.mktemp("contract-import"))
    try:
        client = client_for(store)
        units = write_csv(tmp_path / "units.csv", UNIT_HEADER, [["u1", "", "hamlet", "某村", "helped", "", ""]])
        answer = upload(client, units)
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert body["type"] == "/problems/invalid-input"
        assert "parameters" not in body
        assert body["problems"] and body["problems"][0]["row"] == 2 and body["problems"][0]["column"] == "kind"
    finally:
        store.close()


def test_an_error_without_located_problems_has_no_lists(sample_client: TestClient) -> None:
    body = sample_client.get("/api/v1/units/no-such-unit").json()
    assert body["type"] == "/problems/not-found"
    assert "problems" not in body and "parameters" not in body


@pytest.mark.parametrize(
    "query", ["/api/v1/units?povety=1", "/api/v1/units/no-such-unit", "/api/v1/imports/abc/revert"]
)
def test_a_problem_type_opens_its_page(sample_client: TestClient, query: str) -> None:
    answer = sample_client.post(query) if query.endswith("revert") else sample_client.get(query)
    slug = answer.json()["type"].rsplit("/", 1)[-1]
    page = sample_client.get(answer.json()["type"] + "?lang=en")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f"<h1>{slug}</h1>" in page.text and escape(PROBLEM_TYPES[slug][1]) in page.text
    assert '<a href="/problems">' in page.text


def test_every_problem_type_has_a_page_and_the_index_links_them(sample_client: TestClient) -> None:
    index = sample_client.get("/problems").text
    for slug in PROBLEM_TYPES:
        assert sample_client.get(f"/problems/{slug}").status_code == 200
        assert f'href="/problems/{slug}"' in index
    missing = sample_client.get("/problems/no-such-type")
    assert missing.status_code == 404 and missing.json()["type"] == "/problems/not-found"
