"""The API contract (issue 19): unknown parameters refused by name, explicit operation ids,
tags and descriptions, HEAD and OPTIONS on every path, and a Link to the next page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pairnet.api.operations import OPERATIONS, UndocumentedOperation, document
from tests.support.api import client_for, load_sample
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
        ("/units?povety=deeply_poor", "povety", "poverty"),
        ("/analyses/gaps?within=520627&stauts=never_paired", "stauts", "status"),
        ("/pairings?levle=village", "levle", "level"),
        ("/analyses/coverage?county=520627&as-of=2018-12-31", "as-of", "as_of"),
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
    answer = sample_client.get("/units/520627?zzzzzz=1&lang=en")
    assert answer.status_code == 422
    assert "unknown parameter zzzzzz; this route takes: as_of" in answer.json()["detail"]


def test_lang_is_taken_by_every_route(sample_client: TestClient) -> None:
    for path in ("/?", "/units?", "/analyses/coverage?county=520627&", "/maps/?"):
        answer = sample_client.get(f"{path}lang=zh")
        assert answer.status_code == 200, (path, answer.text)


def test_every_operation_has_an_explicit_id_a_tag_and_a_description(sample_client: TestClient) -> None:
    schema = sample_client.get("/openapi.json").json()
    documented = {
        f"{method.upper()} {path}": operation
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
    schema = {"paths": {"/new": {"get": {"responses": {}}}}}
    with pytest.raises(UndocumentedOperation, match="GET /new"):
        document(schema)


@pytest.mark.parametrize(
    "path", ["/", "/units?limit=3", "/units/520627", "/analyses/gaps?within=520627", "/maps/", "/units?format=csv"]
)
def test_head_answers_as_the_get_without_a_body(sample_client: TestClient, path: str) -> None:
    got = sample_client.get(path)
    head = sample_client.head(path)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    for header in ("content-type", "content-length", "etag", "cache-control", "content-disposition", "link"):
        assert head.headers.get(header) == got.headers.get(header), header


def test_head_of_a_missing_unit_is_a_404_without_a_body(sample_client: TestClient) -> None:
    head = sample_client.head("/units/no-such-unit")
    assert head.status_code == 404 and head.content == b""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/imports", "GET, HEAD, OPTIONS, POST"),
        ("/units", "GET, HEAD, OPTIONS"),
        ("/units/520627", "GET, HEAD, OPTIONS"),
        ("/imports/abc/revert", "OPTIONS, POST"),
        ("/people/someone", "DELETE, OPTIONS"),
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
    first = sample_client.get("/units?kind=village&limit=400")
    total = first.json()["total"]
    assert total > 400
    assert first.headers["link"] == '</units?kind=village&limit=400&offset=400>; rel="next"'
    following = sample_client.get("/units?kind=village&limit=400&offset=400")
    assert following.json()["items"][0] != first.json()["items"][0]
    last = sample_client.get(f"/units?kind=village&limit=400&offset={total - 1}")
    assert len(last.json()["items"]) == 1 and "link" not in last.headers


# One request per GET operation of the sample (the key its OPERATIONS entry has).
GET_REQUESTS = {
    "GET /": "/",
    "GET /units": "/units",
    "GET /units/{ref}": "/units/520627",
    "GET /pairings": "/pairings",
    "GET /flows": "/flows",
    "GET /analyses/coverage": "/analyses/coverage?county=520627",
    "GET /analyses/coverage/two-way": "/analyses/coverage/two-way?level=village&helper=320582",
    "GET /analyses/coverage/schools": "/analyses/coverage/schools",
    "GET /analyses/timeline": "/analyses/timeline?year=2018",
    "GET /analyses/gaps": "/analyses/gaps?within=520627",
    "GET /analyses/alignment": "/analyses/alignment",
    "GET /analyses/balance": "/analyses/balance",
    "GET /analyses/recommendations": "/analyses/recommendations?within=520627",
    "GET /analyses/whatif": "/analyses/whatif?withdraw=320582",
    "GET /analyses/flows": "/analyses/flows",
    "GET /analyses/summary": "/analyses/summary",
    "GET /imports": "/imports",
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
    download = sample_client.get("/units?format=csv")
    assert download.headers["content-disposition"].startswith("attachment;")


def _operation(client: TestClient, key: str) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    operation: dict[str, Any] = client.get("/openapi.json").json()["paths"][path][method.lower()]
    return operation
