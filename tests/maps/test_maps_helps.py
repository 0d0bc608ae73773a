"""The panel of a helper-side unit's map: what it and the units below it help, by level,
as pairnet.graph's active pairings say; shown on a helper's unit map, not on a helped one's."""

from __future__ import annotations

import datetime as dt
import doctest
from collections import defaultdict

import pytest

from pairnet.graph.network import active_pairings, build_network
from pairnet.graph.targets import TargetSet, select_targets
from pairnet.i18n import use_language
from pairnet.maps import helps, to_html, unit_view
from pairnet.store.store import open_store
from tests.support.api import load_sample

AS_OF = dt.date(2019, 12, 31)


@pytest.fixture(scope="module")
def G(tmp_path_factory):
    with open_store(str(tmp_path_factory.mktemp("helps") / "sample.db")) as store:
        load_sample(store)
        return build_network(store.snapshot())


def test_doctests():
    assert doctest.testmod(helps).failed == 0


def test_the_rows_are_the_helped_units_of_the_helpers_pairings_by_level(G):
    rows = helps.helped_by_level(G, "320582", as_of=AS_OF)
    below = {"320582", *select_targets(G, TargetSet(within="320582"), as_of=AS_OF)}
    expected: dict[str, set[str]] = defaultdict(set)
    for pairing in active_pairings(G, as_of=AS_OF):
        if pairing.helper_id in below:
            expected[pairing.level.value].add(pairing.helped_id)
    assert {row["level"]: row["count"] for row in rows} == {level: len(ids) for level, ids in expected.items()}
    assert all({u["id"] for u in row["units"]} <= expected[row["level"]] for row in rows)
    assert [row["level"] for row in rows][:3] == ["government", "department", "township"]
    schools = next(row for row in rows if row["level"] == "school")
    assert schools["count"] > helps.MAX_LISTED == len(schools["units"])


def test_a_helper_units_map_shows_the_panel_and_a_helped_ones_does_not(G):
    with use_language("zh"):
        page = to_html(unit_view(G, "320582", as_of=AS_OF))
    assert '<section id="helps">' in page and "帮扶对象（按结对级别）" in page and "沿河土家族自治县" in page
    assert unit_view(G, "520627110217", as_of=AS_OF).helps == []
    assert '<section id="helps">' not in to_html(unit_view(G, "520627", as_of=AS_OF))
