"""Coverage, two-way coverage, the three school coverages and the timeline, on literal graphs."""

import json

from pairnet.graph.coverage import coverage, coverage_timeline
from pairnet.graph.full_coverage import school_coverage, two_way_coverage
from tests.support.analysis_graphs import D, county_pair, network, pairing, unit

DEEP = {"kind": "village", "side": "helped", "poverty": "deeply_poor"}


def test_no_targets_gives_no_share():
    r = coverage(county_pair(), kind="school", as_of=D(2018, 12, 31), by="township")
    assert (r["targets"], r["covered"], r["share"], r["groups"]) == (0, 0, None, [])


def test_none_covered():
    r = coverage(county_pair(), **DEEP, as_of=D(2018, 12, 31))
    assert (r["targets"], r["covered"], r["uncovered"], r["share"]) == (3, 0, 3, 0.0)


def test_all_covered_and_json_ready():
    G = county_pair(
        [
            pairing("p1", "e11", "w11", "village"),
            pairing("p2", "e12", "w21", "village"),
            pairing("p3", "ent", "w22", "enterprise_village"),
        ]
    )
    r = coverage(G, **DEEP, as_of=D(2018, 12, 31), by="township")
    assert (r["covered"], r["targets"], r["share"]) == (3, 3, 1.0)
    assert json.loads(json.dumps(r)) == r
    # Only village-level pairings: the enterprise pairing no longer counts.
    assert coverage(G, **DEEP, levels=["village"], as_of=D(2018, 12, 31))["covered"] == 2


def test_ended_and_future_pairings_do_not_cover():
    G = county_pair(
        [
            pairing("p1", "e11", "w11", "village", start=D(2017, 3, 1), end=D(2017, 12, 31)),
            pairing("p2", "e12", "w21", "village", start=D(2019, 1, 1)),
        ]
    )
    assert coverage(G, **DEEP, as_of=D(2017, 6, 30))["covered"] == 1
    assert coverage(G, **DEEP, as_of=D(2018, 6, 30))["covered"] == 0
    assert coverage(G, **DEEP, as_of=D(2019, 6, 30))["covered"] == 1
    assert coverage(G, **DEEP)["covered"] == 2  # no date: every pairing counts


def test_a_partner_not_valid_on_the_date_does_not_cover():
    G = county_pair(
        [pairing("p", "e11", "w11", "village")],
        extra_units=[unit("gone", "village", "旧村", "helper", "E1", valid_to=D(2017, 12, 31))],
    )
    G2 = county_pair(
        [pairing("p", "gone", "w11", "village")],
        extra_units=[unit("gone", "village", "旧村", "helper", "E1", valid_to=D(2017, 12, 31))],
    )
    assert coverage(G, **DEEP, as_of=D(2018, 1, 1))["covered"] == 1
    assert coverage(G2, **DEEP, as_of=D(2017, 12, 31))["covered"] == 1
    assert coverage(G2, **DEEP, as_of=D(2018, 1, 1))["covered"] == 0


def test_breakdown_by_township_places_units_under_the_predecessor_before_a_boundary_change():
    G = county_pair([pairing("p1", "e11", "w22", "village")])
    before = coverage(G, **DEEP, as_of=D(2018, 12, 31), by="township")
    assert [(g["group"], g["covered"], g["targets"]) for g in before["groups"]] == [
        ("中界镇", 0, 1),
        ("团结街道", 1, 2),
    ]
    after = coverage(G, **DEEP, as_of=D(2023, 1, 1), by="township")
    assert [(g["group"], g["covered"], g["targets"]) for g in after["groups"]] == [
        ("中界镇", 0, 1),
        ("团结街道", 0, 1),
        ("祐溪街道", 1, 1),
    ]
    assert [g["code"] for g in after["groups"]] == ["520627110", "520627001", "520627009"]
    by_county = coverage(G, **DEEP, as_of=D(2023, 1, 1), by="county")["groups"]
    assert [(g["group"], g["covered"], g["targets"]) for g in by_county] == [("沿河土家族自治县", 1, 3)]


def test_units_without_a_parent_of_the_kind_group_under_none():
    G = network([unit("x", "village", "孤村", "helped")])
    assert coverage(G, kind="village", by="township")["groups"][0]["group"] == "(none)"


def test_breakdown_by_level_counts_each_level_alone():
    G = county_pair(
        [
            pairing("p1", "e11", "w11", "village"),
            pairing("p2", "ent", "w11", "enterprise_village"),
            pairing("p3", "ent", "w21", "enterprise_village"),
        ]
    )
    r = coverage(G, **DEEP, by="level")
    assert [(g["group"], g["covered"]) for g in r["groups"]] == [("village", 1), ("enterprise_village", 2)]
    assert r["covered"] == 2


def test_two_way_coverage_of_townships():
    pairs = [
        pairing("t1", "E1", "W1", "township"),
        pairing("t2", "E2", "W2", "township", end=D(2020, 12, 31)),
        pairing("t3", "E2", "W3", "township", start=D(2021, 1, 1)),
    ]
    G = county_pair(pairs)
    r = two_way_coverage(G, helper_within="E", helped_within="W", as_of=D(2018, 12, 31))
    assert (
        r["helper"]["covered"],
        r["helper"]["targets"],
        r["helped"]["covered"],
        r["helped"]["targets"],
        r["full"],
    ) == (2, 2, 2, 2, True)
    # 2023: W2 lost its partner when the pairing ended; W3 is new and paired.
    r = two_way_coverage(G, helper_within="E", helped_within="W", as_of=D(2023, 1, 1))
    assert (r["helped"]["covered"], r["helped"]["targets"], r["full"]) == (2, 3, False)


def test_two_way_coverage_with_no_units_is_not_full():
    assert two_way_coverage(network(), level="park")["full"] is False


def test_three_school_coverages():
    schools = [
        unit("s0", "school", "沿河中学", "helped", "W", stage="senior"),
        unit("s1", "school", "中界小学", "helped", "W1", stage="primary"),
        unit("s2", "school", "团结幼儿园", "helped", "W2", stage="kindergarten"),
        unit("k1", "school", "港城中学", "helper", "E", stage="senior"),
        unit("k2", "school", "杨舍小学", "helper", "E1", stage="primary"),
    ]
    G = county_pair([pairing("a", "k1", "s0", "school"), pairing("b", "k2", "s1", "school")], extra_units=schools)
    r = school_coverage(G, within="W", as_of=D(2018, 12, 31))
    assert (r["schools"]["covered"], r["schools"]["targets"]) == (2, 3)
    assert (r["townships"]["covered"], r["townships"]["targets"]) == (1, 2)
    assert (r["stages"]["covered"], r["stages"]["targets"]) == (2, 3)
    assert [(s["stage"], s["covered"]) for s in r["by_stage"]] == [("kindergarten", 0), ("primary", 1), ("senior", 1)]
    assert r["full"] is False
    G = county_pair(
        [pairing("a", "k1", "s0", "school"), pairing("b", "k2", "s1", "school"), pairing("c", "k2", "s2", "school")],
        extra_units=schools,
    )
    assert school_coverage(G, within="W", as_of=D(2018, 12, 31))["full"] is True


def test_timeline_at_year_ends():
    G = county_pair(
        [
            pairing("p1", "e11", "w11", "village", start=D(2017, 6, 1)),
            pairing("p2", "e12", "w21", "village", start=D(2018, 3, 1), end=D(2019, 12, 31)),
        ]
    )
    rows = coverage_timeline(G, [D(2016, 12, 31), D(2017, 12, 31), D(2018, 12, 31), D(2020, 12, 31)], **DEEP)
    assert [(r["as_of"], r["covered"], r["targets"]) for r in rows] == [
        ("2016-12-31", 0, 3),
        ("2017-12-31", 1, 3),
        ("2018-12-31", 2, 3),
        ("2020-12-31", 1, 3),
    ]


def test_two_way_coverage_of_named_units():
    G = county_pair([pairing("t1", "E1", "W1", "township")])
    r = two_way_coverage(G, helper_units=["E1"], helped_units=["W1", "W3"], as_of=D(2018, 12, 31))
    # W3 is not valid in 2018 and drops out.
    assert (r["helper"]["targets"], r["helped"]["targets"], r["full"]) == (1, 1, True)
    r = two_way_coverage(G, helper_units=["E1", "E2"], helped_within="W", as_of=D(2018, 12, 31))
    assert (r["helper"]["covered"], r["helper"]["targets"], r["full"]) == (1, 2, False)
