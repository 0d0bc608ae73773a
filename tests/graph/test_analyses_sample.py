"""The article's figures (F1–F19 of DOMAIN.md) from the Zhangjiagang–Yanhe sample, through
the analyses of graph/ and the flow roll-ups: read straight from the workbook, no store."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from pairnet.graph.alignment import alignment
from pairnet.graph.balance import balance
from pairnet.graph.coverage import coverage, coverage_timeline
from pairnet.graph.full_coverage import school_coverage, two_way_coverage
from pairnet.graph.gaps import gaps
from pairnet.graph.model import Kind, Level, Ownership, ParkRank
from pairnet.graph.network import build_network
from pairnet.graph.recommend import recommend
from pairnet.graph.rollups import rollup
from pairnet.graph.targets import Hierarchy, select_targets
from pairnet.graph.whatif import whatif
from pairnet.loaders import read_dataset

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
ZJG, YANHE = "320582", "520627"
END_2017, END_2018, END_2023 = dt.date(2017, 12, 31), dt.date(2018, 12, 31), dt.date(2023, 12, 31)
DEEP = {"kind": "village", "side": "helped", "poverty": "deeply_poor", "within": YANHE}
# The article's "10 towns (zones)": the 8 towns and the 2 zones the sample assumes (see its README).
TEN_TOWNS = [
    "320582100",
    "320582101",
    "320582102",
    "320582103",
    "320582104",
    "320582105",
    "320582106",
    "320582107",
    "320582400",
    "320582407",
]


@pytest.fixture(scope="module")
def G():
    return build_network(read_dataset(SAMPLE))


def helper_rows(G, level, as_of=END_2018):
    return balance(G, levels=[level], as_of=as_of)["rows"]


def unit(G, unit_id):
    return G.nodes[unit_id]["unit"]


def test_f7_all_50_deeply_poor_villages_covered_at_the_end_of_2018_and_21_a_year_before(G):
    assert (coverage(G, **DEEP, as_of=END_2018)["covered"], coverage(G, **DEEP, as_of=END_2018)["targets"]) == (50, 50)
    assert coverage(G, **DEEP, as_of=END_2017)["covered"] == 21
    rows = coverage_timeline(G, [END_2017, END_2018], **DEEP)
    assert [(r["covered"], r["share"]) for r in rows] == [(21, 0.42), (50, 1.0)]
    assert gaps(G, **DEEP, as_of=END_2018) == []
    assert len(gaps(G, **DEEP, as_of=END_2017)) == 29


def test_f2_townships_two_way_full_10_of_10_and_22_of_22(G):
    r = two_way_coverage(G, helper_units=TEN_TOWNS, helped_within=YANHE, as_of=END_2018)
    assert (r["helper"]["covered"], r["helper"]["targets"]) == (10, 10)
    assert (r["helped"]["covered"], r["helped"]["targets"]) == (22, 22)
    assert r["full"] is True
    # By default the helper side is what the pairings define: the ten towns, as the article says.
    defined = two_way_coverage(G, helper_within=ZJG, helped_within=YANHE, as_of=END_2018)
    assert (defined["helper"]["covered"], defined["helper"]["targets"], defined["full"]) == (10, 10, True)
    assert defined["helper_set"] == "pairings"
    assert defined["helped_place"] is not None and defined["helped_place"]["name"] == "沿河土家族自治县"
    # Counting every township-level unit of Zhangjiagang, three zones have no partner.
    whole = two_way_coverage(G, helper_within=ZJG, helped_within=YANHE, as_of=END_2018, every_helper=True)
    assert (whole["helper"]["covered"], whole["helper"]["targets"], whole["full"]) == (10, 13, False)
    assert whole["helper_set"] == "within"


def test_the_2023_register_leaves_youxi_street_without_a_township_partner(G):
    rows = gaps(G, kind="township", within=YANHE, levels=["township"], as_of=END_2023)
    assert [(r["name"], r["code"], r["status"]) for r in rows] == [("祐溪街道", "520627004", "never_paired")]
    r = two_way_coverage(G, helper_units=TEN_TOWNS, helped_within=YANHE, as_of=END_2023)
    assert (r["helped"]["covered"], r["helped"]["targets"], r["full"]) == (22, 23, False)
    # In 2018 its villages count under 团结街道, the township it was carved out of.
    by_township = {
        g["group"]: g for g in coverage(G, kind="village", within=YANHE, as_of=END_2018, by="township")["groups"]
    }
    assert "祐溪街道" not in by_township
    later = {g["group"] for g in coverage(G, kind="village", within=YANHE, as_of=END_2023, by="township")["groups"]}
    assert "祐溪街道" in later


def test_f1_twelve_department_pairings(G):
    rows = helper_rows(G, Level.DEPARTMENT)
    assert (len(rows), sum(r["pairings"] for r in rows)) == (12, 12)
    assert (
        coverage(G, kind="department", side="helped", within=YANHE, levels=["department"], as_of=END_2018)["covered"]
        == 12
    )


def test_f3_eighteen_village_pairs_before_the_six_modes(G):
    before_modes = dt.date(2018, 5, 31)
    rows = [r for r in helper_rows(G, Level.VILLAGE, before_modes) if r["kind"] == "village"]
    assert (len(rows), sum(r["pairings"] for r in rows)) == (18, 18)
    assert coverage(G, **DEEP, levels=["village"], as_of=before_modes)["covered"] == 18
    # 善港村 → 高峰村 is among them, aligned with its townships' pairing.
    shangang = next(r for r in rows if r["helper"] == "善港村")
    assert shangang["pairings"] == 1


def test_f4_f5_enterprises_and_villages(G):
    rows = helper_rows(G, Level.ENTERPRISE_VILLAGE)
    ownership = Counter(unit(G, r["helper_id"]).ownership for r in rows)
    assert ownership == {Ownership.STATE: 6, Ownership.PRIVATE: 12}
    deep = coverage(G, **DEEP, levels=["enterprise_village"], as_of=END_2018)["covered"]
    poor = coverage(G, kind="village", poverty="poor", within=YANHE, levels=["enterprise_village"], as_of=END_2018)
    assert (deep, poor["covered"], poor["targets"]) == (16, 2, 2)


def test_f6_parks_co_build_the_yanhe_zone(G):
    rows = helper_rows(G, Level.PARK)
    assert Counter(unit(G, r["helper_id"]).rank for r in rows) == {ParkRank.NATIONAL: 2, ParkRank.PROVINCIAL: 1}
    parks = coverage(G, kind="park", within=YANHE, levels=["park"], as_of=END_2018)
    assert (parks["covered"], parks["targets"]) == (1, 1)


def test_f8_four_level_funds(G):
    funds = {r["kind"]: r for r in rollup(G, kinds=["funds", "people_lifted"])}
    assert (funds["funds"]["amount"], funds["funds"]["unit_of_measure"]) == (6594.0, "万元")
    assert (funds["funds"]["projects"], funds["funds"]["townships"], funds["funds"]["villages"]) == (63, 21, 72)
    assert funds["people_lifted"]["amount"] == 9223.0


def test_f9_school_pairs_and_the_three_full_coverages(G):
    r = school_coverage(G, within=YANHE, as_of=END_2018)
    assert r["full"] is True and (r["schools"]["covered"], r["townships"]["covered"]) == (75, 22)
    rows = helper_rows(G, Level.SCHOOL)
    parents = Counter(G.nodes[G.nodes[r["helper_id"]]["parent_id"]]["kind"] for r in rows)
    assert parents == {Kind.DEPARTMENT: 11, Kind.TOWNSHIP: 51}  # city schools, town schools
    helped_parents = Counter(
        G.nodes[unit(G, s).parent_id]["kind"] for s in select_targets(G, kind="school", within=YANHE)
    )
    assert helped_parents == {Kind.DEPARTMENT: 12, Kind.TOWNSHIP: 63}


def test_f10_to_f17_people_exchanges_and_money(G):
    per_kind = {r["kind"]: r["amount"] for r in rollup(G)}
    assert (per_kind["teachers"], per_kind["trainees"], per_kind["students"]) == (34, 20, 214)  # F10, F11
    assert (per_kind["entrepreneurs_trained"], per_kind["businesses_started"]) == (186, 33)  # F13
    assert (per_kind["experts"], per_kind["technologies"]) == (8, 14)  # F13
    assert per_kind["workers_placed"] == 103  # F15
    assert per_kind["financing"] == 15000  # F16: 1.5 亿元 in 万元
    assert (per_kind["donation_money"], per_kind["donation_money"] + per_kind["donation_goods"]) == (508, 603)  # F17
    directed = {(r["kind"], r["from"]): r["amount"] for r in rollup(G, by=["kind", "from"], years=[2018])}
    assert directed[("cadres_trained", "中共张家港市委组织部")] == 82  # F12
    assert directed[("cadres_seconded", "张家港市")] == 141
    assert directed[("cadres_seconded", "沿河土家族自治县")] == 31
    assert directed[("cadres_trained", "沿河土家族自治县")] == 167
    assert (directed[("visit_batches", "张家港市")], directed[("visits", "张家港市")]) == (146, 1682)  # F14
    assert (directed[("visit_batches", "沿河土家族自治县")], directed[("visits", "沿河土家族自治县")]) == (50, 896)
    meetings = rollup(G, by=["kind", "level"], kinds=["meetings"])
    assert [(r["level"], r["amount"], r["records"]) for r in meetings] == [("government", 4.0, 2)]


def test_f18_f19_organisations_and_assessment(G):
    names = {G.nodes[u]["name"] for u in select_targets(G, kind=["government", "office"])}
    assert {
        "张家港市东西部扶贫协作领导小组",
        "沿河土家族自治县东西部扶贫协作领导小组",
        "沿河土家族自治县驻张家港市东西部扶贫协作办事处",
    } <= names
    agreements = [e for e in G.edges(data="pairing") if e[2].level == Level.GOVERNMENT and e[2].agreement]
    assert all(
        word in agreements[0][2].agreement
        for word in ("组织领导", "人才支援", "资金支援", "产业合作", "劳务协作", "社会帮扶", "携手奔小康")
    )


def test_alignment_balance_recommend_and_whatif_on_the_sample(G):
    levels = {r["level"]: r for r in alignment(G, as_of=END_2018)["levels"]}
    assert levels["township"]["ratio"] == 1.0 and levels["village"]["aligned"] == 18
    assert max(r["pairings"] for r in helper_rows(G, Level.TOWNSHIP)) == 3  # 22 townships over 10 towns
    r = recommend(G, kind="village", poverty="deeply_poor", within=YANHE, as_of=END_2017)
    assert (r["gaps"], r["closed"], r["statement"]) == (29, 29, "All 29 gaps can be closed.")
    for s in r["suggestions"]:
        aligned = any(p.level == Level.TOWNSHIP for p in _pairings_between(G, s, END_2017))
        assert s["aligned"] == aligned
    tight = recommend(
        G,
        kind="village",
        poverty="deeply_poor",
        within=YANHE,
        as_of=END_2017,
        capacity=0,
        capacities={s["helper_id"]: 1 for s in r["suggestions"][:5]},
    )
    assert (tight["closed"], tight["open"]) == (5, 24)
    # If the Development Zone's 善港村 withdraws, 高峰村 loses its only partner.
    w = whatif(G, withdraw=[next(n for n, d in G.nodes(data="name") if d == "善港村")], **DEEP, as_of=END_2018)
    assert [row["name"] for row in w["rows"]] == ["高峰村"] and w["after"]["covered"] == 49


def _pairings_between(G, suggestion, as_of):
    """Active pairings from the helper's township to the target's township."""
    helper_town = Hierarchy(G, as_of).ancestor(suggestion["helper_id"], Kind.TOWNSHIP)
    target_town = G.nodes[suggestion["target_id"]]["parent_id"]
    return [p for _, _, p in G.edges(helper_town, data="pairing") if p.helped_id == target_town and p.active_on(as_of)]
