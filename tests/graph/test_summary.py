"""pairnet.graph.summary: the counts a planner sees after a load."""

from __future__ import annotations

import datetime as dt

from pairnet.graph.model import Dataset, Flow, Pairing, Unit
from pairnet.graph.network import build_network
from pairnet.graph.summary import summary


def network():
    units = (
        Unit(id="e", kind="county", name="张家港市", side="helper"),
        Unit(id="w", kind="county", name="沿河土家族自治县", side="helped"),
        Unit(id="t1", kind="township", name="杨舍镇", side="helper", parent_id="e"),
        Unit(id="t2", kind="township", name="中界镇", side="helped", parent_id="w"),
        Unit(id="t3", kind="township", name="祐溪街道", side="helped", parent_id="w", valid_from=dt.date(2021, 1, 1)),
        Unit(id="v1", kind="village", name="善港村", side="helper", parent_id="t1"),
        Unit(id="v2", kind="village", name="高峰村", side="helped", parent_id="t2", poverty="deeply_poor"),
    )
    pairings = (
        Pairing(id="p1", helper_id="e", helped_id="w", level="government", start=dt.date(2017, 3, 1)),
        Pairing(id="p2", helper_id="t1", helped_id="t2", level="township", end=dt.date(2020, 12, 31)),
        Pairing(id="p3", helper_id="t1", helped_id="t3", level="township"),
        Pairing(id="p4", helper_id="v1", helped_id="v2", level="village", mode="strong_village"),
        Pairing(id="p5", helper_id="t1", helped_id="v2", level="village", mode="strong_village"),
    )
    flows = (
        Flow(id="f1", kind="funds", amount=6594, unit_of_measure="万元", year=2018),
        Flow(id="f2", kind="funds", amount=100, unit_of_measure="万元", year=2021),
        Flow(id="f3", kind="funds", amount=3, unit_of_measure="项"),
        Flow(id="f4", kind="visits", amount=1682, unit_of_measure="人次", year=2018),
    )
    return build_network(Dataset(units=units, pairings=pairings, flows=flows))


def test_everything_counted_without_a_date():
    result = summary(network())
    assert result["totals"] == {"units": 7, "pairings": 5, "flows": 4}
    assert result["units"] == [
        {"kind": "county", "side": "helper", "count": 1},
        {"kind": "county", "side": "helped", "count": 1},
        {"kind": "township", "side": "helper", "count": 1},
        {"kind": "township", "side": "helped", "count": 2},
        {"kind": "village", "side": "helper", "count": 1},
        {"kind": "village", "side": "helped", "count": 1},
    ]
    assert result["pairings"] == [
        {"level": "government", "mode": None, "count": 1},
        {"level": "township", "mode": None, "count": 2},
        {"level": "village", "mode": "strong_village", "count": 2},
    ]
    assert result["flows"] == [
        {"kind": "funds", "unit_of_measure": "万元", "count": 2, "amount": 6694.0},
        {"kind": "funds", "unit_of_measure": "项", "count": 1, "amount": 3.0},
        {"kind": "visits", "unit_of_measure": "人次", "count": 1, "amount": 1682.0},
    ]


def test_as_of_counts_valid_units_active_pairings_and_flows_so_far():
    before = summary(network(), as_of=dt.date(2016, 6, 30))
    assert before["totals"] == {"units": 6, "pairings": 3, "flows": 1}  # p1 not started, t3 not yet valid
    assert [row["level"] for row in before["pairings"]] == ["township", "village"]
    later = summary(network(), as_of=dt.date(2022, 1, 1))
    assert later["totals"] == {"units": 7, "pairings": 4, "flows": 4}  # p2 ended
    assert {"level": "township", "mode": None, "count": 1} in later["pairings"]
    mid = summary(network(), as_of=dt.date(2019, 1, 1))
    assert mid["flows"][0] == {"kind": "funds", "unit_of_measure": "万元", "count": 1, "amount": 6594.0}


def test_empty_network():
    assert summary(build_network(Dataset())) == {
        "units": [],
        "pairings": [],
        "flows": [],
        "totals": {"units": 0, "pairings": 0, "flows": 0},
    }
