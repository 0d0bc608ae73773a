"""Gaps on literal graphs: statuses, parents, sorting and filtering."""

import pytest

from pairnet.graph.gaps import gaps
from tests.support.analysis_graphs import D, county_pair, pairing, unit

DEEP = {"kind": "village", "side": "helped", "poverty": "deeply_poor"}


def test_no_targets_no_gaps():
    assert gaps(county_pair(), kind="school") == []


def test_all_covered_no_gaps():
    G = county_pair(
        [
            pairing("p1", "e11", "w11", "village"),
            pairing("p2", "e12", "w21", "village"),
            pairing("p3", "e21", "w22", "village"),
        ]
    )
    assert gaps(G, **DEEP, as_of=D(2018, 12, 31)) == []


def test_none_covered_every_target_is_a_gap_with_code_and_parents():
    rows = gaps(county_pair(), **DEEP, as_of=D(2018, 12, 31), sort="code")
    assert [r["id"] for r in rows] == ["w21", "w22", "w11"]
    first = rows[0]
    assert first == {
        "id": "w21",
        "code": "520627001201",
        "name": "乙村",
        "kind": "village",
        "township": "团结街道",
        "county": "沿河土家族自治县",
        "parents": "沿河土家族自治县 / 团结街道",
        "poverty": "deeply_poor",
        "status": "never_paired",
        "through": None,
        "last_end": None,
        "next_start": None,
        "pairings": 0,
        "assumed": [],
    }


def test_statuses_ended_not_started_partner_not_valid():
    G = county_pair(
        [
            pairing("p1", "e11", "w11", "village", start=D(2017, 1, 1), end=D(2017, 12, 31)),
            pairing("p1b", "e12", "w11", "village", start=D(2016, 1, 1), end=D(2016, 12, 31)),
            pairing("p2", "e12", "w21", "village", start=D(2019, 1, 1)),
            pairing("p3", "gone", "w22", "village"),
        ],
        extra_units=[unit("gone", "village", "旧村", "helper", "E1", valid_to=D(2017, 12, 31))],
    )
    rows = {r["id"]: r for r in gaps(G, **DEEP, as_of=D(2018, 12, 31))}
    assert (rows["w11"]["status"], rows["w11"]["last_end"], rows["w11"]["pairings"]) == ("ended", "2017-12-31", 2)
    assert (rows["w21"]["status"], rows["w21"]["next_start"]) == ("not_yet_started", "2019-01-01")
    assert rows["w22"]["status"] == "partner_not_valid"
    only_ended = gaps(G, **DEEP, as_of=D(2018, 12, 31), status="ended")
    assert [r["id"] for r in only_ended] == ["w11"]
    assert [r["status"] for r in gaps(G, **DEEP, as_of=D(2018, 12, 31), sort="status")] == [
        "ended",
        "not_yet_started",
        "partner_not_valid",
    ]


def test_levels_decide_what_covers():
    G = county_pair([pairing("p", "ent", "w11", "enterprise_village")])
    assert "w11" not in [r["id"] for r in gaps(G, **DEEP)]
    assert "w11" in [r["id"] for r in gaps(G, **DEEP, levels=["village"])]


def test_a_unit_valid_only_part_of_the_time_and_the_boundary_change():
    G = county_pair([pairing("t1", "E1", "W1", "township"), pairing("t2", "E2", "W2", "township")])
    assert gaps(G, kind="township", side="helped", as_of=D(2018, 12, 31)) == []
    rows = gaps(G, kind="township", side="helped", as_of=D(2023, 1, 1))
    assert [(r["name"], r["status"], r["parents"]) for r in rows] == [("祐溪街道", "never_paired", "沿河土家族自治县")]
    village = gaps(G, **DEEP, within="W2", as_of=D(2018, 12, 31), sort="id")
    assert [(r["id"], r["township"]) for r in village] == [("w21", "团结街道"), ("w22", "团结街道")]


def test_bad_sort_or_status_is_refused():
    with pytest.raises(ValueError, match="sort must be one of"):
        gaps(county_pair(), sort="size")
    with pytest.raises(ValueError, match="status must be among"):
        gaps(county_pair(), status="lost")
