"""Scoped reads answer as the whole store does: on the province synthetic set, every county's
questions (coverage, gaps, timeline, alignment, balance, flows, what-if, school and two-way
coverage) give the same documents from the county's scoped read as from the whole network,
on SQLite and on Neo4j.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from pairnet.graph.model import Dataset, Kind, Level, Side, Unit
from pairnet.graph.network import build_network
from pairnet.graph.targets import Hierarchy
from pairnet.service import CoverageBy, RollupKey, analyses, question, scope, unit_id
from pairnet.service.scoped import network_for, place_ids
from pairnet.store.store import Store, open_store
from tests.support.province import copy_of
from tests.support.stores import neo4j_store

DAY = dt.date(2020, 12, 31)


@pytest.fixture(scope="module")
def province_store(province_database, tmp_path_factory) -> Iterator[Store]:
    """The province synthetic set (seed 2016, as the benchmarks use) in SQLite: a copy of the
    session's (tests/conftest.py)."""
    with open_store(str(copy_of(province_database, tmp_path_factory.mktemp("province")))) as store:
        yield store


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def stores(request, province_store, tmp_path_factory) -> Iterator[Store]:
    """A store of each kind holding the province set."""
    if request.param == "sqlite":
        yield province_store
        return
    store = neo4j_store(tmp_path_factory.mktemp("neo4j"))
    try:
        store.write(province_store.snapshot(), source="province")
        yield store
    finally:
        store.erase()
        store.close()


def _answers(G: nx.MultiDiGraph, county: str, resolve: Any) -> dict[str, Any]:
    """Every question about ``county`` that takes a place, as JSON documents."""
    unit: Unit = G.nodes[resolve(county)]["unit"]
    side = Side.HELPED if unit.side == Side.HELPED else Side.HELPER
    asked = question(G, county=county, side=side, as_of=DAY, resolve=resolve)
    root = scope(G, county=county, resolve=resolve)
    partners = sorted(
        {helper for helper, _, level in G.in_edges(root, data="level") if level == Level.GOVERNMENT}
        | {helped for _, helped, level in G.out_edges(root, data="level") if level == Level.GOVERNMENT}
    )
    found = {
        "coverage": analyses.coverage(G, asked, by=CoverageBy("township")),
        "gaps": analyses.gaps(G, asked),
        "township-gaps": analyses.gaps(
            G, question(G, county=county, side=side, kind=[Kind.TOWNSHIP], as_of=DAY, resolve=resolve)
        ),
        "timeline": analyses.timeline(G, asked, years=[2017]),
        "alignment": analyses.alignment(G, within=root, levels=None, as_of=DAY),
        "balance": analyses.balance(G, within=root, levels=None, as_of=DAY, top=None),
        "flows": analyses.flows(
            G, by=[RollupKey(key) for key in ("township", "year", "level", "from", "to")], within=root
        ),
        "schools": analyses.school_coverage(G, within=root, as_of=DAY),
    }
    for partner in partners:
        withdrawn = [unit_id(G, "withdraw", partner, resolve)]
        found[f"whatif-{partner}"] = analyses.whatif(G, asked, withdraw=withdrawn, with_units_under=True)
        helper, helped = (partner, root) if side == Side.HELPED else (root, partner)
        found[f"two-way-{partner}"] = analyses.two_way_coverage(
            G,
            level=Level.TOWNSHIP,
            helper_within=unit_id(G, "helper_within", helper, resolve),
            helped_within=unit_id(G, "within", helped, resolve),
            helper_units=None,
            as_of=DAY,
        )
    return {name: answer.document() for name, answer in found.items()}


@pytest.fixture(scope="module")
def whole_answers(province_store) -> dict[str, dict[str, Any]]:
    """Every county's answers on the whole network (SQLite's; the parity tests show Neo4j's
    snapshot is the same), computed once for both stores."""
    whole = build_network(province_store.snapshot())
    counties = sorted(n for n, kind in whole.nodes(data="kind") if kind == Kind.COUNTY)
    assert len(counties) > 100  # the province set: Guizhou and its eastern partners
    return {county: _answers(whole, county, lambda ref: ref) for county in counties}


def test_every_county_answers_from_its_scoped_read_as_from_the_whole_store(stores, whole_answers):
    compared = 0
    for county, expected in whole_answers.items():
        partners = [name.removeprefix("whatif-") for name in expected if name.startswith("whatif-")]
        G, resolve = network_for(stores, county, *partners)
        assert len(G) < 5000, county  # a scoped read: the province set holds about 51,000 units
        assert _answers(G, county, resolve) == expected, county
        compared += len(expected)
    assert compared > 8 * len(whole_answers)  # nine questions, and two per partner county


def test_a_code_at_any_length_is_found_with_an_index_and_a_name_reads_the_whole_store(province_store):
    assert place_ids(province_store, ["520627000000", "5206"]) == {"520627000000": "520627", "5206": "5206"}
    assert place_ids(province_store, ["520627", "沿河县"]) is None
    scoped, resolve = network_for(province_store, "520627000000")
    named, by_name = network_for(province_store, "沿河县")
    assert resolve("520627000000") == by_name("沿河县") == "520627"
    assert len(scoped) < len(named) / 10
    asked = [
        question(G, county=ref, as_of=DAY, resolve=r)
        for G, ref, r in ((scoped, "520627000000", resolve), (named, "沿河县", by_name))
    ]
    assert analyses.gaps(scoped, asked[0]).document() == analyses.gaps(named, asked[1]).document()


def _unit(uid: str, kind: str, parent: str | None, **fields: Any) -> Unit:
    return Unit(id=uid, kind=kind, name=uid, side="helped", parent_id=parent, **fields)


def test_a_scoped_read_follows_successors_that_move_units_below_the_place(store):
    """On 2018 the village's parent is a's township t1 (its registered township t2, in county
    b, only begins in 2020 and succeeds t1); a scoped read of a must hold it, from every store
    (Neo4j's look-ups keep the units they read along the way and answer from them)."""
    store.write(
        Dataset(
            units=(
                _unit("a", "county", None),
                _unit("b", "county", None),
                _unit("t1", "township", "a", valid_to=dt.date(2019, 12, 31), successor_ids=("t2",)),
                _unit("t2", "township", "b", valid_from=dt.date(2020, 1, 1)),
                _unit("v", "village", "t2"),
                _unit("w", "village", "b"),
            )
        ),
        source="test",
    )
    whole = build_network(store.snapshot())
    G = build_network(store.snapshot(scope={"a"}))
    assert set(G) == {"a", "b", "t1", "t2", "v"}  # b is t2's parent; w is not needed
    for day in (dt.date(2018, 6, 30), dt.date(2021, 6, 30)):
        for network in (whole, G):
            asked = question(network, county="a", as_of=day)
            assert analyses.gaps(network, asked).document() == analyses.gaps(whole, asked).document()
    # On 2018 the village's parent is t1, which only the successor links tell.
    early = dt.date(2018, 6, 30)
    assert Hierarchy(G, early).chain("v") == Hierarchy(whole, early).chain("v") == ["t1", "a"]


def test_every_store_finds_units_by_id_and_reads_a_scope_with_its_records(store, dataset):
    store.write(dataset, source="small")
    ids = sorted(u.id for u in dataset.units)
    assert [u.id for u in store.units([*reversed(ids), "no-such-unit"])] == ids
    assert store.units([]) == []
    assert store.snapshot(scope=set()) == Dataset()
    whole = store.snapshot()
    # An unknown place has nothing of its own: only the units with successors (and theirs above).
    unknown = store.snapshot(scope={"no-such-unit"})
    assert {u.id for u in whole.units if u.successor_ids} <= {u.id for u in unknown.units}
    assert unknown.pairings == () and unknown.flows == ()
    for root in ids:
        scoped = store.snapshot(scope={root})
        kept = {u.id: u for u in whole.units}
        # The records of a scoped read are the whole snapshot's, with their provenance.
        assert all(kept[u.id] == u for u in scoped.units)
        assert set(scoped.pairings) <= set(whole.pairings) and set(scoped.flows) <= set(whole.flows)
        touching = {p.id for p in whole.pairings if {p.helper_id, p.helped_id} & {root}}
        assert touching <= {p.id for p in scoped.pairings}
