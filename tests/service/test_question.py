"""A question's defaults, scope and errors, as the service resolves them for both doors."""

from __future__ import annotations

import datetime as dt

import pytest

from pairnet.graph.errors import InvalidParameter, NotFound
from pairnet.graph.model import Dataset, Kind, Level, Side, Unit
from pairnet.graph.network import build_network
from pairnet.service import analyses, question, scope


@pytest.fixture
def G():
    return build_network(
        Dataset(
            units=(
                Unit(id="520627", code="520627", kind="county", name="沿河土家族自治县", side="helped"),
                Unit(id="t", code="520627110", kind="township", name="中界镇", side="helped", parent_id="520627"),
                Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="t", poverty="deeply_poor"),
            )
        )
    )


def test_the_defaults_are_helped_villages_today_at_every_level(G):
    asked = question(G)
    assert asked.targets.kind == frozenset({Kind.VILLAGE})
    assert asked.targets.side == Side.HELPED and asked.targets.within is None
    assert asked.levels is None and asked.as_of == dt.date.today()


def test_the_scope_is_resolved_from_a_code_or_a_name_path(G):
    assert question(G, county="520627").targets.within == "520627"
    assert question(G, township="沿河土家族自治县/中界镇", level=[Level.VILLAGE]).targets.within == "t"
    assert scope(G) is None


def test_two_scopes_are_refused_in_each_door_s_words(G):
    with pytest.raises(InvalidParameter) as caught:
        scope(G, county="520627", within="t")
    assert str(caught.value) == "give one of county, township, within, not county and within"
    assert caught.value.spelled(lambda n: f"--{n}").endswith("not --county and --within")


def test_an_unknown_reference_names_its_parameter(G):
    with pytest.raises(NotFound) as caught:
        question(G, township="不存在镇")
    assert caught.value.parameter == "township"


def test_bad_settings_are_invalid_parameters(G):
    with pytest.raises(InvalidParameter, match="capacity_for"):
        analyses.capacities(["{0}{1}"])
    with pytest.raises(InvalidParameter, match="one target kind"):
        analyses.recommend(G, question(G, kind=[Kind.VILLAGE, Kind.SCHOOL]))
    with pytest.raises(InvalidParameter, match="date or year"):
        analyses.timeline(G, question(G))
