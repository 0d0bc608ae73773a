"""The API answers a question about a place from that place's scoped read, with the whole
store's answer: on the province synthetic set, a sample of counties' analyses over HTTP are
the same documents as those of a server that reads the whole store, and the whole network
is never built for them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pairnet.graph.model import Kind, Level, Side
from pairnet.graph.network import build_network
from pairnet.store.store import Store, open_store
from tests.support.api import client_for
from tests.support.province import copy_of

DAY = "2020-12-31"


@pytest.fixture(scope="module")
def province_store(province_database, tmp_path_factory) -> Iterator[Store]:
    """The province synthetic set (seed 2016, as the benchmarks use) in SQLite: a copy of the
    session's (tests/conftest.py)."""
    with open_store(str(copy_of(province_database, tmp_path_factory.mktemp("province")))) as store:
        yield store


def _questions(G: Any, county: str) -> list[str]:
    """Every analysis URL about ``county`` that takes a place."""
    side = Side.HELPED if G.nodes[county]["unit"].side == Side.HELPED else Side.HELPER
    asked = f"county={county}&side={side.value}&as_of={DAY}"
    urls = [
        f"/analyses/coverage?{asked}&by=township",
        f"/analyses/gaps?{asked}&limit=1000",
        f"/analyses/gaps?{asked}&kind=township",
        f"/analyses/timeline?{asked}&year=2017",
        f"/analyses/alignment?scope={county}&as_of={DAY}",
        f"/analyses/balance?within={county}&as_of={DAY}",
        f"/analyses/flows?scope={county}&by=township&by=year&by=level&by=from&by=to",
        f"/analyses/coverage/schools?scope={county}&as_of={DAY}",
    ]
    partners = sorted(
        {helper for helper, _, level in G.in_edges(county, data="level") if level == Level.GOVERNMENT}
        | {helped for _, helped, level in G.out_edges(county, data="level") if level == Level.GOVERNMENT}
    )
    for partner in partners:
        urls.append(f"/analyses/whatif?{asked}&withdraw={partner}&with_units_under=true")
        helper, helped = (partner, county) if side == Side.HELPED else (county, partner)
        urls.append(f"/analyses/coverage/two-way?scope={helped}&helper_within={helper}&level=township&as_of={DAY}")
    return urls


def test_a_sample_of_counties_answers_over_http_from_scoped_reads_as_from_the_whole_store(province_store, monkeypatch):
    G = build_network(province_store.snapshot())
    counties = sorted(n for n, kind in G.nodes(data="kind") if kind == Kind.COUNTY)
    assert len(counties) > 100
    sample = counties[:: len(counties) // 12]
    urls = [url for county in sample for url in _questions(G, county)]
    # The same places written as names (full, or the township below as a name path): resolved
    # from the store's unit names as on the whole network, an ambiguous one answered by it.
    named = []
    for county in sample:
        name = G.nodes[county]["name"]
        township = G.graph["children"][county][0]
        named += [
            f"/analyses/gaps?county={name}&as_of={DAY}",
            f"/analyses/coverage?scope={name}/{G.nodes[township]['name']}",
        ]
    assert sum("whatif" in url for url in urls) >= 4  # partners are asked about too

    scoped = client_for(province_store)
    scoped_answers = [scoped.get(url) for url in urls]
    assert all(r.status_code == 200 for r in scoped_answers), [r.text for r in scoped_answers if r.status_code != 200]
    # Only scoped networks were built, each a small part of the store's 51,000 units.
    state = scoped.app.state
    assert state.network_cache._view is None
    views = list(state.scoped_views._views.values())
    assert views and all(len(view.network) < 5000 for view in views)
    named_answers = [scoped.get(url) for url in named]
    assert sum(r.status_code == 200 for r in named_answers) > len(sample)

    monkeypatch.setattr("pairnet.api.scoped.PLACES", {})  # a server that reads the whole store for everything
    whole = client_for(province_store)
    for url, answer in zip(urls + named, scoped_answers + named_answers, strict=True):
        expected = whole.get(url)
        assert (expected.status_code, expected.json()) == (answer.status_code, answer.json()), url
    assert whole.app.state.network_cache._view is not None


def test_a_code_at_any_length_and_a_short_name_read_a_scope_and_an_unknown_name_the_whole_store(province_store):
    client = client_for(province_store)
    by_code = client.get(f"/analyses/gaps?county=520627000000&as_of={DAY}")
    by_name = client.get(f"/analyses/gaps?county=沿河县&as_of={DAY}")
    assert by_code.status_code == by_name.status_code == 200
    assert by_name.json() == by_code.json()
    assert client.app.state.network_cache._view is None
    # An unknown name is the whole network's to explain (with the nearest names).
    unknown = client.get(f"/analyses/gaps?county=没有这个县&as_of={DAY}")
    assert unknown.status_code == 422 and client.app.state.network_cache._view is not None
    # A question naming no place is the whole network's.
    assert client.get("/analyses/summary").status_code == 200
