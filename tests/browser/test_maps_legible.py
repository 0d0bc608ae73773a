"""Maps a planner can read on an office laptop, measured in a real browser on the sample:
label sizes and overlaps at 1366×768 and 1920×1080, the gap panel against ``pairnet gaps``,
the filters, the navigation bar and the search across the store. Screenshots go to
``tests/screenshots/``."""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.i18n import use_language
from pairnet.maps import style
from pairnet.maps.panel import status_label
from tests.browser.test_maps_browser import (  # noqa: F401 (fixtures)
    SAMPLE,
    VIEWS,
    Visit,
    browser,
    sample_server,
)

pytestmark = pytest.mark.browser

SCREENS = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
# Before the pairings start, every poor village of the sample is a gap ("not yet started").
EARLY = "2017-01-01"


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, sample_server):  # noqa: F811 (fixtures)
    opened = Visit(browser, sample_server)
    width, height = SCREENS[request.param]
    opened.page.set_viewport_size({"width": width, "height": height})
    opened.name = request.param
    yield opened
    opened.close()


@pytest.fixture
def visit(browser, sample_server):  # noqa: F811 (fixtures)
    opened = Visit(browser, sample_server)
    opened.page.set_viewport_size({"width": 1366, "height": 768})
    yield opened
    opened.close()


def _labels(page) -> list[dict]:
    return page.evaluate("window.pairnetLabels()")


def _assert_legible(labels: list[dict]) -> None:
    assert all(label["fontPx"] >= 12 for label in labels)
    for a, b in combinations(labels, 2):
        apart = (
            a["x"] + a["width"] <= b["x"]
            or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"]
            or b["y"] + b["height"] <= a["y"]
        )
        assert apart, (a["text"], b["text"])


def _zoom(page, factor: float) -> None:
    # vis-network redraws on the next animation frame: wait for that drawing (the labels are
    # placed while it draws), so that what is measured next is the zoomed view, not the last one.
    page.evaluate(
        """(factor) => new Promise((done) => {
            const network = window.pairnetMap.network;
            network.once("afterDrawing", () => requestAnimationFrame(() => done()));
            setTimeout(done, 5000);
            network.moveTo({scale: network.getScale() * factor, animation: false});
        })""",
        factor,
    )


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_visible_label_is_readable_and_apart(screen, name):
    screen.open(VIEWS[name])
    screen.screenshot(f"legible-{name}-{screen.name}")
    if name == "five-in-one":
        # It opens on the townships (see test_the_five_in_one_opens_on_the_named_townships):
        # the whole map is a click away.
        _assert_legible(_labels(screen.page))
        screen.page.click("#view-whole")
        screen.screenshot(f"legible-{name}-{screen.name}-whole")
    fitted = _labels(screen.page)
    assert fitted
    _assert_legible(fitted)
    texts = {label["text"] for label in fitted}
    if name == "five-in-one":
        # Every band caption is readable at fit-to-screen (in the page's language: the browser asks for zh-CN).
        with use_language("zh"):
            captions = dict(style.BANDS)
        assert {captions[band] for band in ("government", "township", "village", "school")} <= texts
    if name == "gaps":
        # So is every township's caption (or, where the box is narrow, its name).
        captions = [label["text"] for label in fitted if label["caption"]]
        assert len(captions) >= 23 and any(text.startswith("中界镇") for text in captions)
    _zoom(screen.page, 3)
    zoomed = _labels(screen.page)
    _assert_legible(zoomed)
    if name in ("five-in-one", "gaps"):
        # Zooming in makes room: names hidden at fit-to-screen appear.
        assert {label["text"] for label in zoomed} - texts
    screen.screenshot(f"legible-{name}-{screen.name}-zoomed")
    screen.assert_clean()


def test_the_five_in_one_opens_on_the_named_townships(screen):
    screen.open(VIEWS["five-in-one"])
    labels = _labels(screen.page)
    _assert_legible(labels)
    townships = screen.page.evaluate(
        "window.pairnetMap.nodes.get({filter: n => n.band === 'township' && n.side === 'helped'}).map(n => n.short)"
    )
    assert len(townships) == 22
    assert set(townships) <= {label["text"] for label in labels if not label["caption"]}
    with use_language("zh"):
        assert dict(style.BANDS)["township"] in {label["text"] for label in labels if label["caption"]}
    # The whole map is smaller; the button brings the townships back.
    scale = screen.page.evaluate("window.pairnetMap.network.getScale()")
    screen.page.click("#view-whole")
    assert screen.page.evaluate("window.pairnetMap.network.getScale()") < scale / 3
    screen.page.click("#view-focus")
    assert screen.page.evaluate("window.pairnetMap.network.getScale()") == pytest.approx(scale)
    screen.assert_clean()


def test_long_names_are_shortened_with_the_full_name_on_hover(visit):
    visit.open(VIEWS["five-in-one"])
    long = visit.page.evaluate(
        "window.pairnetMap.nodes.get().filter(n => n.label.length > 9).map(n => [n.label, n.short])"
    )
    assert long
    for full, short in long:
        plain = full.removesuffix("（示例）")
        assert short == plain if len(plain) <= 8 else len(short) == 8 and short == plain[:7] + "…"
    assert any(short.endswith("…") for _full, short in long)
    full, short = long[0]
    title = visit.page.evaluate("(l) => window.pairnetMap.nodes.get({filter: n => n.label === l})[0].title", full)
    assert full in title


def _cli_gaps(store: str, *settings: str) -> list[dict]:
    result = CliRunner().invoke(
        app,
        ["gaps", "--store", store, "--within", "520627", "-p", "deeply_poor", "-p", "poor", *settings, "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["gaps"]  # the rows; beside them, what was asked


def _panel(page) -> list[tuple[str, str, str]]:
    rows = page.locator("#gap-rows li")
    return [
        (
            row.locator(".gap-name").inner_text(),
            row.locator(".gap-code").inner_text().split(" · ")[0].strip(),
            row.locator(".gap-reason").inner_text(),
        )
        for row in rows.all()
    ]


@pytest.mark.parametrize("view", ["gaps", "five-in-one"])
def test_the_gap_panel_lists_what_pairnet_gaps_says(visit, view):
    store = visit.server.store_path
    path = {"gaps": "/maps/gaps?within=520627", "five-in-one": "/maps/five-in-one?helper=320582&helped=520627"}[view]
    for as_of in (EARLY, "2019-12-31"):
        visit.open(f"{path}&as_of={as_of}")
        expected = _cli_gaps(store, "--as-of", as_of)
        panel = _panel(visit.page)
        assert [(n, c) for n, c, _r in panel] == [(g["name"], g["code"]) for g in expected]
        assert visit.page.locator("#gap-count").inner_text() == str(len(expected))
        for (_n, _c, reason), row in zip(panel, expected, strict=True):
            # The browser asks for Chinese: the reason is the status's label, with its date.
            with use_language("zh"):
                assert reason.startswith(status_label(row["status"]))
            if row["next_start"]:
                assert reason == f"尚未开始，下次开始 {row['next_start']}"
    visit.page.select_option("#gap-status", "never_paired")
    never = _cli_gaps(store, "--as-of", "2019-12-31", "--status", "never_paired")
    assert [n for n, _c, _r in _panel(visit.page)] == [g["name"] for g in never]
    visit.open(f"{path}&as_of={EARLY}")
    visit.screenshot(f"legible-{view}-gap-panel")
    href = visit.page.get_attribute("#gap-download", "href")
    assert "/analyses/gaps?" in href and "format=xlsx" in href and f"as_of={EARLY}" in href
    response = visit.page.request.get(href)
    assert response.status == 200 and response.body()[:2] == b"PK"
    visit.assert_clean()


def test_a_gap_says_why_in_its_tooltip(visit):
    visit.open(f"/maps/gaps?within=520627&as_of={EARLY}")
    titles = visit.page.evaluate(
        """() => {
            const data = JSON.parse(document.getElementById('map-data').textContent);
            return data.gaps.map(g => window.pairnetMap.nodes.get(g.id).title);
        }"""
    )
    assert titles and all("缺口: 尚未开始，下次开始 20" in title for title in titles)


def test_filters_hide_units_and_their_labels(visit):
    visit.open(VIEWS["five-in-one"])
    villages = visit.page.evaluate("window.pairnetMap.nodes.get().filter(n => n.band === 'village').length")
    assert villages > 50
    visit.page.uncheck("#filters input[name=band][value=village]")
    hidden = visit.page.evaluate("window.pairnetMap.nodes.get().filter(n => n.hidden).map(n => n.band)")
    assert len(hidden) == villages and set(hidden) == {"village"}
    _zoom(visit.page, 4)
    shown = {label["text"] for label in _labels(visit.page)}
    assert "高峰村" not in shown
    visit.page.uncheck("#filters input[name=side][value=helper]")
    sides = visit.page.evaluate("[...new Set(window.pairnetMap.nodes.get().filter(n => !n.hidden).map(n => n.side))]")
    assert sides == ["helped"]
    visit.screenshot("legible-filters")
    visit.assert_clean()


def test_collapsed_helper_units_are_counted_and_expand(visit):
    visit.open(VIEWS["five-in-one"])
    total = int(visit.page.locator("#collapsed-total").inner_text())
    shown = visit.page.evaluate("window.pairnetMap.nodes.length")
    assert total > 0
    visit.page.click("#collapsed a.expand[data-expand=all]")
    visit.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert visit.page.evaluate("window.pairnetMap.nodes.length") == shown + total
    assert visit.page.locator("#collapsed").count() == 0
    visit.assert_clean()


def test_the_bar_links_back_and_changes_the_date(visit):
    visit.open(VIEWS["gaps"])
    assert visit.page.locator("#place").inner_text() == "沿河土家族自治县 (520627)"
    assert visit.page.get_attribute("#back", "href").endswith("/maps/")
    assert visit.page.input_value("#as-of-date") == "2019-12-31"
    visit.page.fill("#as-of-date", EARLY)
    visit.page.wait_for_url(f"**as_of={EARLY}")
    visit.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert f"截至{EARLY}" in visit.page.locator("#as-of").inner_text()
    visit.page.click("#back")
    assert visit.page.url == visit.server.url + "/maps/"
    visit.assert_clean()


def test_a_map_without_a_date_is_as_of_today(visit):
    visit.open("/maps/gaps?within=520627")
    today = visit.page.evaluate("JSON.parse(document.getElementById('map-data').textContent).today")
    assert visit.page.input_value("#as-of-date") == today
    assert f"截至{today}" in visit.page.locator("#as-of").inner_text()


def test_search_across_the_store_leads_to_the_map_of_a_unit_not_on_this_one(visit):
    visit.open("/maps/gaps?within=520627110&as_of=2019-12-31")
    assert visit.page.evaluate("window.pairnetMap.nodes.get({filter: n => n.label === '善港村'}).length") == 0
    visit.page.fill("#store-query", "善港村")
    visit.page.locator("#store-results a").first.wait_for()
    assert visit.page.locator("#store-results a").first.inner_text().startswith("善港村")
    visit.page.press("#store-query", "Enter")
    visit.page.wait_for_url("**/maps/unit/**")
    visit.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert visit.page.locator("#map-title").inner_text().startswith("单位：善港村")
    assert "as_of=2019-12-31" in visit.page.url
    # A unit on the page is focused instead.
    visit.page.fill("#store-query", "善港村")
    visit.page.locator("#store-results a").first.wait_for()
    visit.page.press("#store-query", "Enter")
    visit.page.locator("#store-results").wait_for(state="hidden")
    selected = visit.page.evaluate(
        "window.pairnetMap.network.getSelectedNodes().map(id => window.pairnetMap.nodes.get(id).label)"
    )
    assert selected == ["善港村"]
    visit.screenshot("legible-store-search")
    visit.assert_clean()


def test_the_unit_and_national_views_list_their_selection_and_download_it(visit):
    # A village's map lists the gaps of its township, as `pairnet gaps --within` that township does.
    visit.open(f"{VIEWS['unit'].split('?')[0]}?as_of={EARLY}")
    expected = _cli_gaps(visit.server.store_path, "--as-of", EARLY)
    township = [g for g in expected if g["township"] == "中界镇"]
    assert township and [(n, c) for n, c, _r in _panel(visit.page)] == [(g["name"], g["code"]) for g in township]
    assert "中界镇" in visit.page.locator("#gaps .gap-of").inner_text()
    visit.screenshot("legible-unit-gap-panel")
    # The national view lists the counties whose poor villages are not all paired.
    visit.open(f"/maps/national?as_of={EARLY}")
    panel = _panel(visit.page)
    assert [(n, c) for n, c, _r in panel] == [("沿河土家族自治县", "520627")]
    assert panel[0][2] == "贫困村已结对 0/52" and visit.page.locator("#gap-status").is_hidden()
    href = visit.page.get_attribute("#gap-download", "href")
    assert "/analyses/coverage?" in href and "by=county" in href and f"as_of={EARLY}" in href
    response = visit.page.request.get(href)
    assert response.status == 200 and response.body()[:2] == b"PK"
    visit.screenshot("legible-national-selection")
    visit.assert_clean()
