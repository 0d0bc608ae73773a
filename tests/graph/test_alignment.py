"""Alignment (five-in-one consistency) on literal graphs."""

from pairnet.graph.alignment import alignment
from tests.support.analysis_graphs import D, county_pair, pairing

TOWNSHIPS = [pairing("t1", "E1", "W1", "township"), pairing("t2", "E2", "W2", "township")]


def test_no_pairings():
    r = alignment(county_pair())
    assert (r["pairings"], r["ratio"], r["levels"], r["rows"]) == (0, None, [], [])


def test_all_aligned():
    G = county_pair([*TOWNSHIPS, pairing("v1", "e11", "w11", "village"), pairing("v2", "e21", "w21", "village")])
    r = alignment(G, levels=["village"], as_of=D(2018, 12, 31))
    assert (r["aligned"], r["misaligned"], r["ratio"], r["rows"]) == (2, 0, 1.0, [])


def test_a_village_pair_whose_townships_are_not_paired():
    G = county_pair([*TOWNSHIPS, pairing("v1", "e11", "w11", "village"), pairing("v2", "e11", "w21", "village")])
    r = alignment(G, levels=["village"])
    assert (r["aligned"], r["misaligned"], r["ratio"]) == (1, 1, 0.5)
    assert r["rows"] == [
        {
            "pairing_id": "v2",
            "level": "village",
            "helper": "善港村",
            "helped": "乙村",
            "helper_parent": "杨舍镇",
            "helped_parent": "团结街道",
            "status": "parents_not_paired",
            "helper_id": "e11",
            "helped_id": "w21",
        }
    ]


def test_per_level_and_not_comparable():
    G = county_pair(
        [
            *TOWNSHIPS,
            pairing("v1", "e11", "w11", "village"),
            pairing("ev", "ent", "w12", "enterprise_village"),
            pairing("c", "E", "W", "government"),
        ]
    )
    r = alignment(G)
    levels = {row["level"]: row for row in r["levels"]}
    assert list(levels) == ["government", "township", "village", "enterprise_village"]
    # The enterprise sits under the city: it has no township to compare with 中界镇.
    assert (levels["enterprise_village"]["not_comparable"], levels["enterprise_village"]["ratio"]) == (1, None)
    # Townships are aligned because their counties are paired at the government level.
    assert (levels["township"]["aligned"], levels["township"]["ratio"]) == (2, 1.0)
    assert levels["village"]["ratio"] == 1.0


def test_ended_parent_pairing_breaks_alignment_and_boundary_change_moves_the_parent():
    pairs = [pairing("t2", "E2", "W2", "township", end=D(2018, 12, 31)), pairing("v", "e21", "w22", "village")]
    G = county_pair(pairs)
    # 2018: w22 lies under its predecessor township 团结街道 (W2), paired with 塘桥镇 (E2).
    assert alignment(G, levels=["village"], as_of=D(2018, 12, 31))["aligned"] == 1
    assert alignment(G, levels=["village"], as_of=D(2019, 6, 1))["misaligned"] == 1
    r = alignment(G, levels=["village"], as_of=D(2023, 1, 1))
    assert r["rows"][0]["helped_parent"] == "祐溪街道"


def test_within_limits_to_the_helped_side_below_a_unit():
    G = county_pair([*TOWNSHIPS, pairing("v1", "e11", "w11", "village"), pairing("v2", "e11", "w21", "village")])
    assert alignment(G, levels=["village"], within="W1")["pairings"] == 1
