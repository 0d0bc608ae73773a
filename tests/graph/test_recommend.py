"""Recommendations on literal graphs: alignment, even load, capacities, ties, determinism."""

from pairnet.graph.recommend import AT_CAPACITY, NO_CANDIDATE, recommend
from tests.support.analysis_graphs import D, county_pair, pairing, unit

DEEP = {"kind": "village", "poverty": "deeply_poor"}
COUNTY = pairing("gov", "E", "W", "government")
T1 = pairing("t1", "E1", "W1", "township")


def pairs_of(result):
    return [(s["target_id"], s["helper_id"]) for s in result["suggestions"]]


def test_no_gaps():
    G = county_pair(
        [
            pairing("a", "e11", "w11", "village"),
            pairing("b", "e12", "w21", "village"),
            pairing("c", "e21", "w22", "village"),
        ]
    )
    r = recommend(G, **DEEP)
    assert (r["gaps"], r["closed"], r["suggestions"], r["statement"]) == (0, 0, [], "There are no gaps to close.")


def test_aligned_partner_first_then_the_county_partner():
    G = county_pair([COUNTY, T1])
    r = recommend(G, kind="village", poverty="deeply_poor", as_of=D(2018, 12, 31))
    by_target = {s["target_id"]: s for s in r["suggestions"]}
    # 高峰村 (中界镇, paired with 杨舍镇) gets a village of 杨舍镇: aligned.
    assert by_target["w11"]["helper_id"] in {"e11", "e12"} and by_target["w11"]["aligned"] is True
    assert by_target["w11"]["via"] == "杨舍镇" and "partner of 中界镇" in by_target["w11"]["reasons"]
    # 团结街道 has no partner: its villages get helpers via the county's partner, not aligned.
    assert by_target["w21"]["aligned"] is False and by_target["w21"]["via"] == "张家港市"
    assert r["statement"] == "All 3 gaps can be closed."


def test_even_load_spreads_the_pairings():
    G = county_pair([COUNTY, pairing("x", "e11", "w12", "village")])
    r = recommend(G, **DEEP, capacity=2)
    helpers = [s["helper_id"] for s in r["suggestions"]]
    # e11 already carries one pairing: the three gaps go to three different helpers.
    assert sorted(helpers) == ["e11", "e12", "e21"]
    e11 = next(s for s in r["suggestions"] if s["helper_id"] == "e11")
    assert (e11["helper_load"], e11["capacity"], e11["capacity_left"]) == (1, 2, 0)


def test_ties_go_to_the_lower_id_and_results_repeat():
    G = county_pair([T1])
    r = recommend(G, kind="village", within="W1", poverty="deeply_poor")
    assert pairs_of(r) == [("w11", "e11")]
    assert recommend(G, kind="village", within="W1", poverty="deeply_poor") == r


def test_capacities_too_small_to_close_every_gap():
    G = county_pair([COUNTY])
    r = recommend(G, kind="village", poverty=["deeply_poor", "poor"], capacity=1, capacities={"e12": 0, "e21": 0})
    assert (r["gaps"], r["closed"], r["open"]) == (4, 1, 3)
    assert [u["reason"] for u in r["unassigned"]] == [AT_CAPACITY] * 3
    assert r["statement"] == "1 of 4 gaps can be closed; 3 stay open: 3 because every candidate helper is at capacity."
    # The one slot goes to a deeply poor village, not to the poor 甲村.
    assert r["suggestions"][0]["target_id"] != "w12"


def test_no_candidate_without_any_partner():
    G = county_pair([T1])
    r = recommend(G, **DEEP)
    assert {u["target_id"]: u["reason"] for u in r["unassigned"]} == {"w21": NO_CANDIDATE, "w22": NO_CANDIDATE}
    assert r["statement"] == "1 of 3 gaps can be closed; 2 stay open: 2 for want of a candidate helper."
    # A last-resort pool closes them.
    r = recommend(G, **DEEP, helpers_within="E")
    assert r["open"] == 0 and {s["via"] for s in r["suggestions"] if not s["aligned"]} == {"张家港市"}


def test_helpers_not_valid_on_the_date_are_not_suggested():
    late = unit("late", "village", "新村", "helper", "E1", valid_from=D(2020, 1, 1))
    G = county_pair([T1], extra_units=[late])
    assert "late" not in [h for _, h in pairs_of(recommend(G, **DEEP, within="W1", as_of=D(2018, 12, 31)))]


def test_level_and_helper_kinds_for_townships():
    G = county_pair([COUNTY, pairing("t", "E1", "W1", "township")])
    r = recommend(G, kind="township", as_of=D(2018, 12, 31), capacity=1)
    assert pairs_of(r) == [("W2", "E2")] and r["level"] == "township"
    # Enterprises may help villages at the enterprise_village level.
    r = recommend(G, kind="village", poverty="deeply_poor", level="enterprise_village", capacity=3)
    assert {h for _, h in pairs_of(r)} == {"ent"}


def test_the_order_of_the_input_does_not_change_the_suggestions():
    from tests.support.analysis_graphs import county_pair_units, network

    pairs = [COUNTY, T1, pairing("x", "e11", "w12", "village")]
    forward = recommend(network(county_pair_units(), pairs), kind="village", capacity=2)
    backward = recommend(
        network(list(reversed(county_pair_units())), list(reversed(pairs))), kind="village", capacity=2
    )
    assert pairs_of(forward) == pairs_of(backward) and forward["closed"] == 3
