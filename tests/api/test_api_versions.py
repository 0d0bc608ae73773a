"""The version scheme (issue 19): the JSON API under /api/v1, the unversioned paths kept as
deprecated aliases for one release, the pages unversioned, and the versions named."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import version

import pytest
from fastapi.testclient import TestClient

from pairnet.api.versions import API_PREFIX, API_VERSION
from tests.support.api import client_for, load_sample
from tests.support.stores import sqlite_store


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = sqlite_store(tmp_path_factory.mktemp("versions"))
    load_sample(store)
    yield client_for(store)
    store.close()


def test_the_schema_documents_the_api_under_its_version_and_the_pages_without(sample_client: TestClient) -> None:
    schema = sample_client.get("/openapi.json").json()
    assert schema["info"]["version"] == API_VERSION == "1.0"
    assert schema["info"]["x-package-version"] == version("pairnet")
    paths = set(schema["paths"])
    assert {"/api/v1/", "/api/v1/units", "/api/v1/analyses/gaps", "/api/v1/imports"} <= paths
    assert {"/maps/", "/problems", "/problems/{name}"} <= paths
    # The aliases are served but not documented: a generated client knows one way only.
    assert not any(path.startswith(("/units", "/analyses", "/imports", "/people", "/flows")) for path in paths)
    assert "/" not in paths


@pytest.mark.parametrize("path", ["/units?kind=county", "/analyses/gaps?within=520627", "/units/520627", "/"])
def test_an_unversioned_path_is_a_deprecated_alias_of_the_same_answer(sample_client: TestClient, path: str) -> None:
    old = sample_client.get(path)
    new = sample_client.get(API_PREFIX + path)
    assert old.status_code == new.status_code == 200
    assert old.json() == new.json()
    assert old.headers["deprecation"] == "true"
    assert f'<{API_PREFIX}{path}>; rel="successor-version"' in old.headers["link"]
    assert "deprecation" not in new.headers


def test_an_alias_keeps_the_next_page_link_beside_its_successor(sample_client: TestClient) -> None:
    old = sample_client.get("/units?kind=village&limit=400")
    links = old.headers.get_list("link")
    assert '</units?kind=village&limit=400&offset=400>; rel="next"' in links
    assert '</api/v1/units?kind=village&limit=400>; rel="successor-version"' in links


def test_pages_stay_unversioned(sample_client: TestClient) -> None:
    for page in ("/maps/", "/problems", "/docs"):
        answer = sample_client.get(page)
        assert answer.status_code == 200 and "deprecation" not in answer.headers, page
    assert sample_client.get("/api/v1/maps/").status_code == 404


def test_the_service_document_names_its_versions(sample_client: TestClient) -> None:
    body = sample_client.get("/api/v1/").json()
    assert body["api_version"] == "1.0" and body["package_version"] == version("pairnet")
    assert "version" not in body
    assert body["data_version"]
    assert body["links"]["units"] == "/api/v1/units"
    assert sample_client.get(body["links"]["units"]).status_code == 200


def test_an_alias_by_name_path_links_its_successor_percent_encoded(sample_client: TestClient) -> None:
    old = sample_client.get("/units/沿河土家族自治县/中界镇?as_of=2018-12-31")
    assert old.status_code == 200
    successor = "/api/v1/units/%E6%B2%BF%E6%B2%B3%E5%9C%9F%E5%AE%B6%E6%97%8F%E8%87%AA%E6%B2%BB%E5%8E%BF/"
    assert old.headers["link"].startswith(f"<{successor}")
    assert old.json() == sample_client.get(old.headers["link"][1:].split(">")[0]).json()
