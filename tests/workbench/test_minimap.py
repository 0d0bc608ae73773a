"""The unit page's small map (pairnet.workbench.minimap) on the sample: the parent chain, a line
per partner in the maps' colours, the maps' fills for paired units and gaps, a count of the
partners beyond what fits, and an SVG in the page with no script."""

from __future__ import annotations

import datetime as dt

import pytest

from pairnet.graph.model import Dataset, Pairing, Unit
from pairnet.graph.network import build_network
from pairnet.maps import style
from pairnet.service import listings
from pairnet.workbench.minimap import MAX_PARTNERS, minimap
from tests.support.api import client_for, load_sample
from tests.support.pages import parse
from tests.support.stores import sqlite_store

DAY = dt.date(2017, 12, 31)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    store = sqlite_store(tmp_path_factory.mktemp("minimap"))
    load_sample(store)
    dataset = store.snapshot()
    yield store, dataset, build_network(dataset)
    store.close()


def test_a_gap_is_red_below_its_parents_and_each_partner_has_a_line(sample):
    _store, dataset, G = sample
    unit = G.nodes["520627110"]["unit"]  # 中界镇: its one township pairing starts after the day
    pairings = listings.pairings(dataset, unit=unit.id)
    drawn = minimap(G, unit, pairings, DAY)
    names = [node.name for node in drawn["nodes"]]
    assert names[:4] == ["贵州省", "铜仁市", "沿河土家族自治县", "中界镇"] and drawn["nodes"][3].strong
    assert drawn["nodes"][3].fill == style.WARNING_COLOR
    assert len(drawn["lines"]) == len({p.helper_id for p in pairings}) and drawn["helped"] == 0
    assert [(line["color"], line["dashes"]) for line in drawn["lines"]] == [("#9a9a9a", "3 3")]  # not active yet
    paired = minimap(G, unit, pairings, dt.date(2019, 6, 30))
    assert paired["nodes"][3].fill == style.SIDE_COLORS[unit.side]
    assert [line["color"] for line in paired["lines"]] == [style.LEVEL_COLORS[pairings[0].level]]


def test_partners_beyond_what_fits_are_counted():
    count = MAX_PARTNERS + 3
    units = [Unit(id="county", kind="county", name="帮扶县", side="helper")]
    units += [Unit(id=f"v{i}", kind="village", name=f"村{i}", side="helped", poverty="poor") for i in range(count)]
    pairings = [Pairing(id=f"p{i}", helper_id="county", helped_id=f"v{i}", level="village") for i in range(count)]
    G = build_network(Dataset(units=tuple(units), pairings=tuple(pairings), flows=()))
    drawn = minimap(G, units[0], pairings, DAY)
    assert drawn["helped"] == count and len(drawn["lines"]) == MAX_PARTNERS
    assert [item["text"] for item in drawn["more"]] == ["and 3 more"]
    assert {node.shape for node in drawn["nodes"][1:]} == {"triangle"}  # poor villages, as the maps draw them


def test_the_unit_page_holds_the_svg_linking_to_the_full_map_and_no_script(sample):
    store, _dataset, _G = sample
    html = client_for(store).get("/app/units/520627110217", params={"as_of": DAY.isoformat()}).text
    link = parse(html).find("a", class_="minimap")
    assert link.attrs["href"] == "/maps/unit/520627110217?as_of=2017-12-31"
    assert link.find("svg").attrs["role"] == "img" and link.find("title").text.startswith("Map of 高峰村")
    assert "<script" not in html.split('<h2 id="map">')[1]
