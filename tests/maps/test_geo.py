"""The geographic view and the maps index without a browser: the committed boundaries, the
counties of 铜仁市 written by ``pairnet viz geo`` with the coverage colours of pairnet.graph,
unmatched boundaries listed, bad input refused clearly, and the /maps/geo and /maps/ routes."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.graph.coverage import coverage
from pairnet.graph.model import Dataset, Unit
from pairnet.graph.network import build_network
from pairnet.maps.geo import boundaries, geo_html, geo_view
from pairnet.maps.national import coverage_color
from pairnet.maps.places import place_rows
from pairnet.maps.style import MUTED_COLOR
from pairnet.store.store import open_store
from tests.support.api import client_for, load_sample

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
TONGREN_COUNTIES = {
    "碧江区",
    "万山区",
    "江口县",
    "玉屏侗族自治县",
    "石阡县",
    "思南县",
    "印江土家族苗族自治县",
    "德江县",
    "沿河土家族自治县",
    "松桃苗族自治县",
}
PATH = re.compile(r'<path id="(county-[^"]+)" class="[^"]*" d="([^"]+)" fill="([^"]+)"')
runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("geo") / "sample.db"
    result = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


@pytest.mark.parametrize("name", ["geo", "places"])
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(f"pairnet.maps.{name}"))
    assert result.attempted > 0 and result.failed == 0


def test_the_committed_boundaries_are_compact_matched_and_licensed():
    folder = resources.files("pairnet.maps").joinpath("data")
    assert len(folder.joinpath("china-counties.json.gz").read_bytes()) < 5_000_000
    assert "MIT License" in folder.joinpath("china-counties.LICENSE").read_text(encoding="utf-8")
    source = boundaries()
    assert len(source["counties"]) == 3252  # the package's 3,253 features, one of them without a shape
    codes = Counter(f["code"] for f in source["counties"] if f["code"])
    assert len(codes) > 2800 and max(codes.values()) == 1  # a register county has one boundary at most
    unmatched = {u["name"] for u in source["unmatched"]}
    assert len(unmatched) >= 1 and {"盘县", "中西区"} <= unmatched  # renamed 2017 (盘州市); 香港, outside the register
    assert sum(1 for f in source["counties"] if f["code"] is None) == len(source["unmatched"])


def test_viz_geo_tongren_shows_ten_real_counties_with_coverage_colours(sample_store, tmp_path):
    output = tmp_path / "tongren.html"
    result = runner.invoke(
        app, ["viz", "geo", "--within", "铜仁市", "--as-of", "2019-12-31", "-o", str(output), "--store", sample_store]
    )
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    paths = PATH.findall(page)
    assert len(paths) == 10 and {i for i, _d, _f in paths} == {
        f"county-5206{n:02d}" for n in (2, 3, 21, 22, 23, 24, 25, 26, 27, 28)
    }
    assert TONGREN_COUNTIES <= set(re.findall(r'<text class="label"[^>]*>([^<]+)</text>', page))
    assert all(len(d.split()) > 40 for _i, d, _f in paths)  # real outlines, not boxes
    with open_store(sample_store) as store:
        G = build_network(store.snapshot())
    expected = coverage(G, kind="village", side="helped", within="520627", as_of=dt.date(2019, 12, 31))
    fills = {i: f for i, _d, f in paths}
    assert fills.pop("county-520627") == coverage_color(expected["share"]) != MUTED_COLOR
    assert set(fills.values()) == {MUTED_COLOR}
    assert f"{expected['covered']}/{expected['targets']}" in page
    assert 'href="gaps?within=520627"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing to fetch


def test_an_unmatched_boundary_is_listed_not_hidden(tmp_path):
    G = build_network(
        Dataset(
            units=(
                Unit(id="52", code="52", kind="province", name="贵州省", side="helped"),
                Unit(id="5202", code="5202", kind="city", name="六盘水市", side="helped", parent_id="52"),
            )
        )
    )
    view = geo_view(G, "5202")
    assert [u["name"] for u in view.unmatched] == ["盘县"]
    drawn = [c for c in view.counties if c["code"] is None]
    assert [c["name"] for c in drawn] == ["盘县"] and drawn[0]["fill"] == MUTED_COLOR and drawn[0]["d"]
    page = geo_html(view)
    assert re.search(r'<ul id="unmatched">\s*<li>盘县', page)
    assert "boundaries not in the register" in page


def test_viz_geo_refuses_bad_input_clearly(sample_store, tmp_path):
    output = tmp_path / "bad.html"
    bad_measure = runner.invoke(
        app, ["viz", "geo", "--within", "5206", "--measure", "schools", "-o", str(output), "--store", sample_store]
    )
    assert bad_measure.exit_code == 2 and "measure" in bad_measure.output and "deeply_poor" in bad_measure.output
    township = runner.invoke(
        app, ["viz", "geo", "--within", "沿河土家族自治县/中界镇", "-o", str(output), "--store", sample_store]
    )
    assert township.exit_code == 2 and "2, 4 or 6 digits" in township.output
    assert "Traceback" not in bad_measure.output + township.output and not output.exists()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("geo-api") / "sample.db"))
    load_sample(store)
    with client_for(store) as client:
        yield client
    store.close()


def test_maps_geo_route(client):
    page = client.get("/maps/geo", params={"within": "铜仁市", "measure": "deeply_poor", "as_of": "2019-12-31"})
    assert page.status_code == 200 and len(PATH.findall(page.text)) == 10
    assert "deeply poor villages" in page.text and "50/50" in page.text
    bad = client.get("/maps/geo", params={"within": "5206", "measure": "nope"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert "measure" in bad.text and "Traceback" not in bad.text
    assert client.get("/maps/geo", params={"within": "nowhere"}).status_code == 404


def test_the_index_lists_places_by_code_with_their_coverage(client):
    page = client.get("/maps/").text
    rows = re.findall(r'<td class="code">([^<]+)</td>\s*<td class="name">([^<]+?) <span', page)
    codes = [code for code, _name in rows]
    assert codes == sorted(codes) and codes[:3] == ["52", "5206", "520627"]
    yanhe = re.search(r'<tr class="county" data-search="520627 沿河土家族自治县">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"(\d+)/(\d+)", yanhe)[1] == ("50", "50")  # deeply poor villages, all dates
    assert 'id="place-filter"' in page and 'href="gaps?within=520627"' in page and 'href="geo?within=520627"' in page
    county = client.get("/maps/geo", params={"within": "520627"})  # a county: among its prefecture's
    fills = {i: f for i, _d, f in PATH.findall(county.text)}
    assert len(fills) == 10 and fills.pop("county-520627") != MUTED_COLOR and set(fills.values()) == {MUTED_COLOR}


def _index_figures(page: str) -> dict[str, list[tuple[str, str]]]:
    rows = re.findall(r'<tr class="\w+" data-search="(\S*) [^"]*">(.*?)</tr>', page, re.S)
    return {code: re.findall(r"(\d+)/(\d+)", row) for code, row in rows}


def test_the_index_is_as_of_today_unless_told_and_searches_the_store(client, sample_store):
    today = dt.date.today()
    page = client.get("/maps/").text
    assert f'id="as_of" name="as_of" type="date" value="{today.isoformat()}"' in page
    with open_store(sample_store) as store:
        G = build_network(store.snapshot())

    def expected(day: dt.date) -> dict[str, list[tuple[str, str]]]:
        return {
            row["code"]: [(str(f["covered"]), str(f["targets"])) for f in row["figures"].values() if f]
            for row in place_rows(G, as_of=day)
        }

    assert _index_figures(page) == expected(today)
    # Before the first pairing nothing is covered: the figures are those of the date shown.
    early = client.get("/maps/", params={"as_of": "2017-01-01"}).text
    assert 'value="2017-01-01"' in early and _index_figures(early) == expected(dt.date(2017, 1, 1))
    assert _index_figures(early) != _index_figures(page)
    # The links carry only a date asked for; the store search is the map pages' search.
    assert 'href="gaps?within=520627"' in page and 'href="gaps?within=520627&amp;as_of=2017-01-01"' in early
    assert 'id="store-query"' in page and "connect-src 'self'" in page
    found = client.get("/maps/search", params={"q": "高峰村"}).json()
    assert found and found[0]["name"] == "高峰村"


def test_place_rows_match_graph_coverage(sample_store):
    with open_store(sample_store) as store:
        G = build_network(store.snapshot())
    rows = {r["code"]: r for r in place_rows(G)}
    expected = coverage(G, kind="village", poverty="deeply_poor", side="helped", within="520627")
    assert rows["520627"]["figures"]["deeply_poor"] == {k: expected[k] for k in ("covered", "targets", "share")}
    assert rows["52"]["kind"] == "province" and rows["5206"]["kind"] == "city"
