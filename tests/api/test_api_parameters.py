"""Rules in the schema (issue 19): one `scope` for the root unit of an analysis (its old
names kept, undocumented), strictly ISO dates, and an example on every parameter (arrays
with array examples)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.support.api import client_for, load_sample
from tests.support.stores import sqlite_store


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = sqlite_store(tmp_path_factory.mktemp("parameters"))
    load_sample(store)
    yield client_for(store)
    store.close()


def test_scope_is_the_one_documented_root_and_the_old_names_still_answer(sample_client: TestClient) -> None:
    paths = sample_client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/analyses/coverage", "/api/v1/analyses/gaps", "/api/v1/analyses/alignment"):
        names = {parameter["name"] for parameter in paths[path]["get"]["parameters"]}
        assert "scope" in names and not names & {"county", "township", "within"}, path
    new = sample_client.get("/api/v1/analyses/coverage?scope=520627&as_of=2018-12-31").json()
    for old in ("county", "within"):
        assert sample_client.get(f"/api/v1/analyses/coverage?{old}=520627&as_of=2018-12-31").json() == new
    assert new != sample_client.get("/api/v1/analyses/coverage?as_of=2018-12-31&scope=520627110").json()


def test_scope_with_an_old_name_is_a_422_naming_both(sample_client: TestClient) -> None:
    answer = sample_client.get("/api/v1/analyses/gaps?scope=520627&county=520627&lang=en")
    assert answer.status_code == 422
    named = {item["parameter"] for item in answer.json()["parameters"]}
    assert {"scope", "county"} <= named
    assert "give scope alone" in answer.json()["detail"]
    unknown = sample_client.get("/api/v1/analyses/gaps?scope=no-such-unit")
    assert unknown.status_code == 422 and unknown.json()["parameters"][0]["parameter"] == "scope"


@pytest.mark.parametrize("value", ["0", "2018-12-31T00:00:00", "2018", "2018年12月", "1e3", "2018-1-1"])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/analyses/coverage", "as_of"),
        ("/api/v1/analyses/summary", "as_of"),
        ("/api/v1/units", "as_of"),
        ("/api/v1/pairings", "active_on"),
        ("/api/v1/analyses/timeline", "date"),
        ("/maps/", "as_of"),
        ("/maps/national", "as_of"),
        ("/maps/geo", "as_of"),
    ],
)
def test_a_date_not_in_iso_form_is_a_422_naming_the_parameter(
    sample_client: TestClient, path: str, name: str, value: str
) -> None:
    answer = sample_client.get(path, params={name: value, "lang": "en"})
    assert answer.status_code == 422, answer.text
    (item,) = answer.json()["parameters"]
    assert item["parameter"].split(".")[0] == name and "YYYY-MM-DD" in item["message"]


def test_every_parameter_has_an_example_and_arrays_have_array_examples(sample_client: TestClient) -> None:
    schema = sample_client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                declared = parameter["schema"]
                where = f"{method} {path} {parameter['name']}"
                assert declared.get("examples"), where
                options = [declared, *declared.get("anyOf", [])]
                if any(option.get("type") == "array" for option in options):
                    assert all(isinstance(example, list) for example in declared["examples"]), where
    withdraw = schema["paths"]["/api/v1/analyses/whatif"]["get"]["parameters"]
    assert next(p for p in withdraw if p["name"] == "withdraw")["schema"]["examples"] == [["320582"]]


def test_a_timeline_without_dates_or_years_is_one_row_at_as_of(sample_client: TestClient) -> None:
    rows = sample_client.get("/api/v1/analyses/timeline?scope=520627&as_of=2018-12-31").json()
    assert [row["as_of"] for row in rows] == ["2018-12-31"]
    coverage = sample_client.get("/api/v1/analyses/coverage?scope=520627&as_of=2018-12-31").json()
    assert rows[0]["covered"] == coverage["covered"]


@pytest.mark.parametrize("value", ["320582100212=²", "=3", "320582100212=12345", "320582100212", "a\n=3"])
def test_a_capacity_not_helper_equals_number_is_refused_as_the_schema_says(
    sample_client: TestClient, value: str
) -> None:
    # The schema's pattern is the rule: a superscript digit (which str.isdigit took) is no
    # number, so it is a 422 naming capacity_for rather than an error of int().
    (parameter,) = [
        p
        for p in sample_client.get("/openapi.json").json()["paths"]["/api/v1/analyses/recommendations"]["get"][
            "parameters"
        ]
        if p["name"] == "capacity_for"
    ]
    assert parameter["schema"]["anyOf"][0]["items"]["pattern"] == "^(.+)=([0-9]{1,4})$"
    answer = sample_client.get("/api/v1/analyses/recommendations", params={"capacity_for": value, "scope": "520627"})
    assert answer.status_code == 422, answer.text
    assert [item["parameter"] for item in answer.json()["parameters"]][0].startswith("capacity_for")


def test_a_capacity_with_an_equals_sign_in_the_helper_takes_the_last_one(sample_client: TestClient) -> None:
    params = {"capacity_for": "320582100212=3", "scope": "520627", "as_of": "2017-12-31"}
    assert sample_client.get("/api/v1/analyses/recommendations", params=params).status_code == 200


def test_an_empty_county_of_the_report_is_refused_by_the_schema(sample_client: TestClient) -> None:
    paths = sample_client.get("/openapi.json").json()["paths"]
    (county,) = [p for p in paths["/api/v1/analyses/report"]["get"]["parameters"] if p["name"] == "county"]
    assert county["schema"]["minLength"] == 1
    answer = sample_client.get("/api/v1/analyses/report", params={"county": ""})
    assert answer.status_code == 422 and answer.json()["type"] == "/problems/invalid-request"
    assert answer.json()["parameters"][0]["parameter"] == "county"
