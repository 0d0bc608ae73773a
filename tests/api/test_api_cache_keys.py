"""Cache keys from the validated request (issue 12, B.11): no query can be served another
query's answer, a repeated scalar parameter is a 422 naming it, and, for random pairs of
queries over the list and analysis routes, every cached answer equals the uncached one."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.support.api import client_for, load_sample
from tests.support.stores import sqlite_store

# A request with a cookie is never served from (nor kept in) the answer cache.
UNCACHED = {"Cookie": "pairnet-test=uncached"}


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory) -> TestClient:
    store = sqlite_store(tmp_path_factory.mktemp("cache-keys"))
    load_sample(store)
    yield client_for(store)
    store.close()


def test_an_escaped_ampersand_is_part_of_the_value_not_another_parameter(sample_client):
    client = sample_client
    in_the_value = client.get("/units?limit=12&q=%E9%AB%98%26within%3D520627")
    two_parameters = client.get("/units?limit=12&q=%E9%AB%98&within=520627")
    assert in_the_value.status_code == two_parameters.status_code == 200
    assert in_the_value.headers["etag"] != two_parameters.headers["etag"]
    assert in_the_value.json()["total"] == 0  # no name contains "高&within=520627"
    assert (
        two_parameters.json()["total"]
        == client.get("/units?limit=12&q=%E9%AB%98&within=520627", headers=UNCACHED).json()["total"]
        > 0
    )
    # Asked again in the other order, each still gets its own answer.
    assert client.get("/units?limit=12&q=%E9%AB%98%26within%3D520627").json()["total"] == 0


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("/units?side=helped&side=helper", "side"),
        ("/units?as_of=x&as_of=2017-06-30", "as_of"),
        ("/units?limit=5&limit=6", "limit"),
        ("/analyses/coverage?county=520627&county=520627", "county"),
    ],
)
def test_a_repeated_scalar_parameter_is_refused_naming_it(sample_client, query, parameter):
    for headers in ({}, UNCACHED):  # the cache never answers it either
        answer = sample_client.get(query, headers=headers)
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert body["detail"].startswith(f"{parameter}: given 2 times")
        assert [item["parameter"] for item in body["parameters"]] == [parameter]


def test_list_parameters_may_repeat(sample_client):
    answer = sample_client.get("/analyses/coverage?county=520627&kind=village&kind=township&as_of=2018-12-31")
    assert answer.status_code == 200, answer.text


def test_equal_questions_written_differently_share_one_answer(sample_client):
    first = sample_client.get("/units?within=520627&limit=5&kind=village")
    again = sample_client.get("/units?kind=village&limit=05&within=520627")
    assert first.headers["etag"] == again.headers["etag"] and first.content == again.content


# Routes and values for random questions; each value set mixes valid, invalid and tricky
# ones (an escaped "&", unknown references, repeated parameters).
TEXT = st.sampled_from(["高", "高&within=520627", "高峰", "520627", "", "沿河土家族自治县/中界镇", "no-such"])
REF = st.sampled_from(["520627", "520627110", "沿河土家族自治县/中界镇", "320582", "no-such-unit", "520627&limit=1"])
DATE = st.sampled_from(["2017-06-30", "2018-12-31", "2021-01-01", "x", "2018"])
PARAMETERS = {
    "/units": {
        "kind": st.sampled_from(["village", "township", "county", "hamlet"]),
        "side": st.sampled_from(["helped", "helper"]),
        "within": REF,
        "parent": REF,
        "q": TEXT,
        "as_of": DATE,
        "poverty": st.sampled_from(["deeply_poor", "poor", "none"]),
        "limit": st.sampled_from(["1", "5", "12", "0"]),
        "offset": st.sampled_from(["0", "3", "-1"]),
        "format": st.sampled_from(["json", "csv", "xml"]),
    },
    "/pairings": {
        "level": st.sampled_from(["county", "township", "village", "nope"]),
        "helper": REF,
        "helped": REF,
        "unit": REF,
        "as_of": DATE,
        "limit": st.sampled_from(["1", "7"]),
    },
    "/flows": {"unit": REF, "year": st.sampled_from(["2018", "2019", "1900"]), "limit": st.sampled_from(["2", "9"])},
    "/analyses/coverage": {
        "county": REF,
        "within": REF,
        "kind": st.sampled_from(["village", "township"]),
        "as_of": DATE,
        "level": st.sampled_from(["county", "village"]),
    },
    "/analyses/gaps": {
        "within": REF,
        "kind": st.sampled_from(["village", "township"]),
        "as_of": DATE,
        "limit": st.sampled_from(["3", "12"]),
    },
}


@st.composite
def pairs_of(draw) -> tuple[str, list[tuple[str, str]]]:
    path = draw(st.sampled_from(sorted(PARAMETERS)))
    choices = PARAMETERS[path]
    names = draw(st.lists(st.sampled_from(sorted(choices)), max_size=4))
    return path, [(name, draw(choices[name])) for name in names]


def written(path: str, pairs: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


@st.composite
def confusable_questions(draw) -> tuple[str, str]:
    """Two distinct questions, the second often written to look like the first: the same
    pairs in another order, or two pairs folded into one value with an escaped ``&``."""
    path, pairs = draw(pairs_of())
    how = draw(st.sampled_from(["other", "reordered", "folded"]))
    if how == "reordered":
        other_path, other = path, draw(st.permutations(pairs))
    elif how == "folded" and len(pairs) >= 2:
        (name, value), (second, second_value), *rest = pairs
        other_path, other = path, [(name, f"{value}&{second}={second_value}"), *rest]
    else:
        other_path, other = draw(pairs_of())
    first, second = written(path, pairs), written(other_path, list(other))
    assume(first != second)
    return first, second


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=confusable_questions())
def test_every_cached_answer_equals_the_uncached_one(sample_client, pair):
    client = sample_client
    # Each question asked twice, interleaved, so that one may be served what the other left.
    for question in [*pair, *reversed(pair)]:
        cached = client.get(question)
        uncached = client.get(question, headers=UNCACHED)
        assert cached.status_code == uncached.status_code, question
        assert cached.content == uncached.content, question
        assert cached.headers.get("etag") == uncached.headers.get("etag"), question
