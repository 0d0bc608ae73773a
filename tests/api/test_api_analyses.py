"""The analyses over HTTP, on the sample, once per store kind: the same results as the
``graph/`` functions on the store's snapshot, the article's figures, ETags and 304s, and
fresh results after an import."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pairnet.graph.alignment import alignment
from pairnet.graph.balance import balance
from pairnet.graph.coverage import coverage, coverage_timeline
from pairnet.graph.full_coverage import school_coverage, two_way_coverage
from pairnet.graph.gaps import gaps
from pairnet.graph.model import HELPED_KINDS
from pairnet.graph.network import build_network
from pairnet.graph.recommend import recommend
from pairnet.graph.rollups import rollup
from pairnet.graph.summary import summary
from pairnet.graph.whatif import whatif
from tests.support.api import client_for, load_sample, tiny_units, upload
from tests.support.stores import STORE_FACTORIES

END_2017, END_2018 = dt.date(2017, 12, 31), dt.date(2018, 12, 31)
DEEPLY_POOR = {"kind": "village", "side": "helped", "poverty": "deeply_poor", "within": "520627"}


@pytest.fixture(scope="module", params=list(STORE_FACTORIES))
def sample(request, tmp_path_factory):
    store = STORE_FACTORIES[request.param](tmp_path_factory.mktemp(f"analyses-{request.param}"))
    load_sample(store)
    yield client_for(store), build_network(store.snapshot())
    store.close()


def _plain(value):
    """``value`` as the JSON the API sends (dates as ISO strings)."""
    return json.loads(json.dumps(value, default=str))


CASES = [
    (
        "/analyses/coverage?kind=village&poverty=deeply_poor&within=520627&as_of=2018-12-31&by=township",
        lambda G: coverage(G, **DEEPLY_POOR, as_of=END_2018, by="township"),
    ),
    (
        "/analyses/coverage/two-way?as_of=2018-12-31&helper_within=320582&county=520627",
        lambda G: two_way_coverage(G, helper_within="320582", helped_within="520627", as_of=END_2018),
    ),
    (
        "/analyses/coverage/schools?within=520627&as_of=2018-12-31",
        lambda G: school_coverage(G, within="520627", as_of=END_2018),
    ),
    (
        "/analyses/timeline?kind=village&poverty=deeply_poor&within=520627&date=2018-12-31&date=2017-12-31",
        lambda G: coverage_timeline(G, [END_2017, END_2018], **DEEPLY_POOR),
    ),
    (
        "/analyses/alignment?as_of=2018-12-31&level=village&level=township",
        lambda G: alignment(G, levels=["village", "township"], as_of=END_2018),
    ),
    ("/analyses/balance?as_of=2018-12-31&top=5", lambda G: balance(G, as_of=END_2018, top=5)),
    (
        "/analyses/recommendations?kind=village&poverty=deeply_poor&within=520627&as_of=2017-12-31&capacity=1",
        lambda G: recommend(G, **DEEPLY_POOR, as_of=END_2017, capacity=1),
    ),
    (
        "/analyses/whatif?withdraw=320582100212&kind=village&poverty=deeply_poor&within=520627&as_of=2018-12-31",
        lambda G: whatif(G, withdraw=["320582100212"], **DEEPLY_POOR, as_of=END_2018),
    ),
    ("/analyses/flows?by=year&by=kind&kind=funds", lambda G: rollup(G, by=("year", "kind"), kinds=["funds"])),
    ("/analyses/summary?as_of=2018-12-31", lambda G: summary(G, as_of=END_2018)),
]


@pytest.mark.parametrize(("url", "compute"), CASES, ids=[c[0].split("?")[0] for c in CASES])
def test_the_api_gives_what_the_function_gives(sample, url, compute):
    client, network = sample
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.json() == _plain(compute(network))


def test_gaps_are_the_function_rows_paginated(sample):
    client, network = sample
    expected = _plain(gaps(network, **DEEPLY_POOR, as_of=END_2017))
    first = client.get("/analyses/gaps?kind=village&poverty=deeply_poor&within=520627&as_of=2017-12-31&limit=10").json()
    rest = client.get(
        "/analyses/gaps?kind=village&poverty=deeply_poor&within=520627&as_of=2017-12-31&offset=10&limit=1000"
    ).json()
    assert first["total"] == rest["total"] == len(expected)
    assert first["items"] + rest["items"] == expected


def test_the_article_figures(sample):
    client, _ = sample
    covered = client.get("/analyses/coverage?kind=village&poverty=deeply_poor&within=520627&as_of=2018-12-31").json()
    assert (covered["covered"], covered["targets"]) == (50, 50)  # F7
    earlier = client.get("/analyses/coverage?kind=village&poverty=deeply_poor&within=520627&as_of=2017-12-31").json()
    assert earlier["covered"] < 50
    two_way = client.get("/analyses/coverage/two-way?as_of=2018-12-31&county=520627").json()
    assert (two_way["helped"]["covered"], two_way["helped"]["targets"]) == (22, 22)  # F2
    gaps_2023 = client.get("/analyses/gaps?kind=township&side=helped&within=520627&as_of=2023-12-31").json()
    assert [g["name"] for g in gaps_2023["items"]] == ["祐溪街道"]  # the 2021 boundary change


def test_bad_analysis_settings_are_422(sample):
    client, _ = sample
    for url in (
        "/analyses/coverage?by=galaxy",
        "/analyses/gaps?status=lost",
        "/analyses/flows?by=colour",
        "/analyses/recommendations?capacity_for=oops",
        "/analyses/recommendations?capacity_for=no-such-unit=3",
        "/analyses/coverage?county=520627&within=520627",
        "/analyses/whatif",
        "/analyses/timeline?year=1800",
        "/analyses/coverage?within=no-such-unit",
        "/analyses/recommendations?kind=village&kind=school",
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.headers["content-type"].startswith("application/problem+json")


def test_recommendations_are_asked_for_kinds_a_pairing_can_help(sample):
    # Offices, enterprises and social organisations only ever help: the schema does not offer
    # them as targets, and every kind it offers is answered without a pairing level.
    client, _ = sample
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/analyses/recommendations"]["get"]
    (kind,) = [p for p in operation["parameters"] if p["name"] == "kind"]
    offered = next(s["enum"] for s in kind["schema"]["anyOf"] if "enum" in s)
    assert offered == [k.value for k in HELPED_KINDS] and "office" not in offered and "village" in offered
    for target in offered:
        assert client.get(f"/analyses/recommendations?kind={target}").status_code == 200, target
    refused = client.get("/analyses/recommendations?kind=office&lang=en")
    assert refused.status_code == 422
    (problem,) = refused.json()["parameters"]
    assert problem["parameter"] == "kind" and "expected one of province, city" in problem["message"]


def test_etag_and_304(sample):
    client, _ = sample
    url = "/analyses/coverage?kind=village&poverty=deeply_poor&within=520627&as_of=2018-12-31"
    first = client.get(url)
    etag = first.headers["etag"]
    assert client.get(url).headers["etag"] == etag
    cached = client.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    other = client.get(url.replace("2018", "2017"))
    assert other.headers["etag"] != etag


def test_an_import_refreshes_every_analysis(store, tmp_path):
    client = client_for(store)
    url = "/analyses/coverage?kind=village&poverty=deeply_poor"
    before = client.get(url)
    assert before.json()["targets"] == 0
    assert upload(client, tiny_units(tmp_path)).status_code == 200
    after = client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert (after.json()["targets"], after.json()["covered"]) == (2, 0)
    gaps_now = client.get("/analyses/gaps?kind=village").json()
    assert sorted(g["name"] for g in gaps_now["items"]) == ["乙村", "甲村"]
