"""Flow roll-ups on a literal graph."""

import pytest

from pairnet.graph.rollups import rollup
from tests.support.analysis_graphs import county_pair, flow, pairing

PAIRS = [pairing("v1", "e11", "w11", "village"), pairing("t1", "E1", "W1", "township")]
FLOWS = [
    flow(
        "f1", "funds", 100, unit_of_measure="万元", year=2018, from_id="E", to_id="w11", project="路", pairing_id="v1"
    ),
    flow("f2", "funds", 50.25, unit_of_measure="万元", year=2018, from_id="E", to_id="w12", project="水"),
    flow("f3", "funds", 10, unit_of_measure="万元", year=2017, from_id="E", to_id="W1", project="路"),
    flow("f4", "funds", 7, unit_of_measure="万元", year=2023, from_id="E", to_id="w22", project="桥"),
    flow("f5", "people_lifted", 30, unit_of_measure="人", year=2018, to_id="w11"),
    flow("f6", "visits", 896, unit_of_measure="人次", year=2018, from_id="W", to_id="E"),
]


def G():
    return county_pair(PAIRS, FLOWS)


def test_per_kind_with_distinct_projects_townships_and_villages():
    rows = {r["kind"]: r for r in rollup(G())}
    assert rows["funds"] == {
        "kind": "funds",
        "unit_of_measure": "万元",
        "amount": 167.25,
        "records": 4,
        "projects": 3,
        "townships": 2,
        "villages": 3,
    }
    assert rows["visits"]["amount"] == 896.0 and rows["visits"]["townships"] == 0


def test_per_year_and_township_uses_the_township_of_that_year():
    rows = rollup(G(), by=["kind", "year", "township"], kinds=["funds"])
    assert [(r["year"], r["township"], r["amount"]) for r in rows] == [
        (2017, "中界镇", 10.0),
        (2018, "中界镇", 150.25),
        (2023, "祐溪街道", 7.0),
    ]


def test_per_level_and_pairing_and_filters():
    rows = rollup(G(), by=["level", "pairing"], kinds=["funds"], years=[2018])
    assert [(r["level"], r["pairing"], r["amount"]) for r in rows] == [
        ("village", "善港村 → 高峰村", 100.0),
        (None, None, 50.25),
    ]
    assert [r["amount"] for r in rollup(G(), within="W1", kinds="funds")] == [160.25]


def test_no_flows_and_bad_keys():
    assert rollup(county_pair()) == []
    with pytest.raises(ValueError, match="cannot group flows by colour"):
        rollup(G(), by=["colour"])
