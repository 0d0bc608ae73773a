"""What-if: helpers withdrawing."""

import pytest

from pairnet.graph.errors import NotFound
from pairnet.graph.whatif import whatif
from tests.support.analysis_graphs import D, county_pair, pairing

DEEP = {"kind": "village", "side": "helped", "poverty": "deeply_poor"}
PAIRS = [
    pairing("v1", "e11", "w11", "village"),
    pairing("v2", "e12", "w11", "village"),
    pairing("v3", "e11", "w21", "village"),
    pairing("v4", "e21", "w22", "village"),
]


def test_only_targets_left_with_no_partner_are_listed():
    r = whatif(county_pair(PAIRS), withdraw=["e11"], **DEEP, as_of=D(2018, 12, 31))
    assert [row["id"] for row in r["rows"]] == ["w21"]  # w11 keeps 东村
    assert r["rows"][0]["lost"] == "善港村"
    assert (r["before"]["covered"], r["after"]["covered"], r["after"]["share"]) == (3, 2, 0.6667)
    assert r["pairings_ended"] == 2


def test_a_town_withdrawing_with_its_villages():
    r = whatif(county_pair(PAIRS), withdraw=["E1"], with_units_under=True, **DEEP)
    assert sorted(row["id"] for row in r["rows"]) == ["w11", "w21"]
    assert [u["id"] for u in r["withdrawn"]] == ["E1", "e11", "e12"]
    assert whatif(county_pair(PAIRS), withdraw=["E1"], **DEEP)["rows"] == []


def test_ended_pairings_are_not_lost_again():
    G = county_pair([pairing("v1", "e11", "w11", "village", end=D(2017, 12, 31))])
    r = whatif(G, withdraw=["e11"], **DEEP, as_of=D(2018, 12, 31))
    assert (r["rows"], r["before"]["covered"], r["after"]["covered"]) == ([], 0, 0)


def test_unknown_helper():
    with pytest.raises(NotFound):
        whatif(county_pair(), withdraw=["nobody"])
