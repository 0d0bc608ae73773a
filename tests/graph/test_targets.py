"""Target sets, the hierarchy on a date, and references to units."""

import pytest

from pairnet.graph.errors import InvalidInput, NotFound
from pairnet.graph.targets import Hierarchy, active_edges, resolve_unit, select_targets
from tests.support.analysis_graphs import D, county_pair, network, pairing, unit


def test_selection_by_kind_side_poverty_and_root():
    G = county_pair()
    assert select_targets(G, kind="village", side="helped", poverty="deeply_poor") == ["w11", "w21", "w22"]
    assert select_targets(G, kind="village", within="W1") == ["w11", "w12"]
    assert select_targets(G, kind="township", side="helper") == ["E1", "E2"]
    assert select_targets(G, kind=["village", "enterprise"], side="helper") == ["e11", "e12", "e21", "ent"]


def test_no_targets():
    assert select_targets(county_pair(), kind="school") == []
    assert select_targets(network(), kind="village") == []


def test_a_unit_valid_only_part_of_the_time():
    G = county_pair()
    assert "W3" not in select_targets(G, kind="township", as_of=D(2018, 12, 31))
    assert "W3" in select_targets(G, kind="township", as_of=D(2023, 1, 1))
    assert "W3" in select_targets(G, kind="township")  # no date: every unit counts


def test_a_unit_whose_parent_is_not_yet_valid_is_placed_under_the_predecessor():
    G = county_pair()
    assert Hierarchy(G, D(2018, 12, 31)).chain("w22") == ["W2", "W"]
    assert Hierarchy(G, D(2023, 1, 1)).chain("w22") == ["W3", "W"]
    assert select_targets(G, kind="village", within="W2", as_of=D(2018, 12, 31)) == ["w21", "w22"]
    assert select_targets(G, kind="village", within="W2", as_of=D(2023, 1, 1)) == ["w21"]
    assert select_targets(G, kind="village", within="W3", as_of=D(2023, 1, 1)) == ["w22"]
    row = Hierarchy(G, D(2018, 12, 31)).describe("w22")
    assert (row["township"], row["county"], row["parents"]) == (
        "团结街道",
        "沿河土家族自治县",
        "沿河土家族自治县 / 团结街道",
    )


def test_active_edges_need_dates_and_both_units_valid():
    G = county_pair(
        [
            pairing("p1", "E1", "W1", "township", start=D(2017, 3, 1)),
            pairing("p2", "E2", "W3", "township", start=D(2017, 3, 1)),
            pairing("p3", "E2", "W2", "township", end=D(2017, 12, 31)),
        ]
    )
    assert [p.id for _, _, p in active_edges(G, as_of=D(2018, 12, 31))] == ["p1"]
    assert [p.id for _, _, p in active_edges(G, as_of=D(2017, 6, 1))] == ["p1", "p3"]
    assert [p.id for _, _, p in active_edges(G, as_of=D(2022, 1, 1))] == ["p1", "p2"]
    assert list(active_edges(G, as_of=D(2022, 1, 1), levels=["village"])) == []


def test_resolve_by_id_code_name_and_path():
    G = county_pair()
    assert resolve_unit(G, "W1") == "W1"
    assert resolve_unit(G, "520627110") == "W1"
    assert resolve_unit(G, "中界镇") == "W1"
    assert resolve_unit(G, "沿河土家族自治县/中界镇/高峰村") == "w11"
    with pytest.raises(NotFound):
        resolve_unit(G, "沿河土家族自治县/杨舍镇")


def test_resolve_takes_names_as_people_write_them():
    G = county_pair()
    assert resolve_unit(G, "沿河县/中界镇") == resolve_unit(G, "沿河/中界") == "W1"
    assert resolve_unit(G, "沿河土家族自治县中界镇") == "W1"  # a joined name
    assert resolve_unit(G, "520627110000") == "W1"  # a code with trailing zeros
    with pytest.raises(NotFound, match="nearest: 沿河土家族自治县/中界镇"):
        resolve_unit(G, "中届镇")


def test_an_ambiguous_name_lists_the_candidates():
    G = network(
        [
            unit("a", "township", "中界镇", "helped"),
            unit("v1", "village", "新村", "helped", "a"),
            unit("b", "township", "黑水镇", "helped"),
            unit("v2", "village", "新村", "helped", "b"),
        ]
    )
    with pytest.raises(InvalidInput) as caught:
        resolve_unit(G, "新村")
    assert "中界镇/新村 [v1]" in str(caught.value.problems[0]) and "黑水镇/新村 [v2]" in str(caught.value.problems[0])
    assert resolve_unit(G, "黑水镇/新村") == "v2"
