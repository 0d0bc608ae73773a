"""Balance: helper loads, the most loaded, Gini."""

from pairnet.graph.balance import balance, gini
from tests.support.analysis_graphs import D, county_pair, pairing


def test_gini_edges():
    assert gini([]) is None
    assert gini([0, 0]) == 0.0
    assert gini([2, 2, 2, 2]) == 0.0
    assert gini([0, 0, 0, 4]) == 0.75
    assert gini([1, 2, 3]) == 0.2222


def test_loads_per_level_most_loaded_first():
    G = county_pair(
        [
            pairing("v1", "e11", "w11", "village"),
            pairing("v2", "e11", "w12", "village"),
            pairing("v3", "e11", "w21", "village"),
            pairing("v4", "e21", "w22", "village"),
            pairing("t1", "E1", "W1", "township"),
            pairing("t2", "E1", "W2", "township", end=D(2017, 12, 31)),
        ]
    )
    r = balance(G, as_of=D(2018, 12, 31))
    assert [(row["helper"], row["level"], row["pairings"]) for row in r["rows"]] == [
        ("善港村", "village", 3),
        ("杨舍镇", "township", 1),
        ("南村", "village", 1),
    ]
    levels = {row["level"]: row for row in r["levels"]}
    assert levels["village"] == {"level": "village", "helpers": 2, "pairings": 4, "mean": 2.0, "max": 3, "gini": 0.25}
    assert levels["township"]["pairings"] == 1  # the ended pairing does not count
    assert r["rows"][0]["parents"] == "张家港市 / 杨舍镇"


def test_top_and_within_and_levels():
    G = county_pair(
        [
            pairing("v1", "e11", "w11", "village"),
            pairing("v2", "e11", "w12", "village"),
            pairing("v3", "e21", "w21", "village"),
        ]
    )
    assert [row["helper_id"] for row in balance(G, top=1)["rows"]] == ["e11"]
    assert [row["helper_id"] for row in balance(G, within="E2")["rows"]] == ["e21"]
    assert balance(G, levels=["township"]) == {"as_of": None, "program": None, "levels": [], "rows": []}


def test_ties_are_broken_by_id():
    G = county_pair(
        [
            pairing("v1", "e21", "w11", "village"),
            pairing("v2", "e11", "w12", "village"),
            pairing("v3", "e12", "w21", "village"),
        ]
    )
    assert [row["helper_id"] for row in balance(G)["rows"]] == ["e11", "e12", "e21"]
