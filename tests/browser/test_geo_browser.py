"""The geographic view and the maps index in real headless Chromium at 1366×768, served from
the Zhangjiagang–Yanhe sample: real shapes, coverage colours, labels a planner can read
(≥ 12 px, none overlapping), a tooltip with the figures, the drill-down to the gap view, and
not one request outside the server. Screenshots go to ``tests/screenshots/``.
"""

from __future__ import annotations

import pytest

from pairnet.maps.style import MUTED_COLOR
from tests.browser.test_maps_browser import AS_OF, Visit, browser, sample_server  # noqa: F401 (fixtures)
from tests.maps.test_geo import TONGREN_COUNTIES

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
TONGREN = f"/maps/geo?within=铜仁市&as_of={AS_OF}"


@pytest.fixture
def laptop(browser, sample_server):  # noqa: F811 (the imported fixtures)
    opened = Visit(browser, sample_server)
    opened.page.set_viewport_size(LAPTOP)
    yield opened
    opened.close()


def _visible_labels(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#labels text'))
            .filter(t => !t.hasAttribute('hidden'))
            .map(t => { const r = t.getBoundingClientRect();
                        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                                size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a}; })"""
    )


def _assert_legible(labels: list[dict]) -> None:
    for label in labels:
        assert label["size"] >= 12 and label["bottom"] - label["top"] >= 12, label
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            overlap = (
                a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
            )
            assert not overlap, (a["text"], b["text"])


def test_tongren_shows_its_ten_counties_coloured_by_coverage(laptop):
    laptop.open(TONGREN)
    laptop.screenshot("geo-tongren")
    ids = laptop.page.eval_on_selector_all("#shapes path", "ps => ps.map(p => p.id)")
    assert len(ids) == 10 and all(i.startswith("county-5206") for i in ids)
    fills = laptop.page.eval_on_selector_all("#shapes path", "ps => ps.map(p => [p.id, p.getAttribute('fill')])")
    yanhe = dict(fills).pop("county-520627")
    assert yanhe != MUTED_COLOR and all(f == MUTED_COLOR for i, f in fills if i != "county-520627")
    box = laptop.page.locator("#county-520627").bounding_box()
    assert box["width"] > 80 and box["height"] > 80  # a real shape, drawn large enough to click
    labels = _visible_labels(laptop.page)
    assert {lb["text"] for lb in labels} == TONGREN_COUNTIES  # every county named, none overlapping
    _assert_legible(labels)
    laptop.assert_clean()


def test_tooltip_and_drill_down_to_the_gap_view(laptop):
    laptop.open(TONGREN)
    laptop.page.hover("#county-520627")
    tip = laptop.page.locator("#tip")
    assert tip.is_visible() and "沿河土家族自治县 520627" in tip.inner_text()
    figures = laptop.page.locator("#counties td.num").first.inner_text()  # covered/targets
    assert f"已结对: {figures}" in tip.inner_text()
    laptop.page.click("#county-520627")
    laptop.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert laptop.page.url.endswith("/maps/gaps?within=520627")
    assert "沿河土家族自治县" in laptop.page.locator("#map-title").inner_text()
    laptop.assert_clean()


def test_province_and_national_scales_keep_labels_legible(laptop):
    for name, path in (("geo-guizhou", f"/maps/geo?within=52&as_of={AS_OF}"), ("geo-china", "/maps/geo")):
        laptop.open(path)
        laptop.screenshot(name)
        assert laptop.page.locator("#shapes path").count() > (80 if name == "geo-guizhou" else 3000)
        _assert_legible(_visible_labels(laptop.page))
        laptop.page.click("#zoom-in")
        _assert_legible(_visible_labels(laptop.page))
    assert (
        "台北市" in laptop.page.locator("#unmatched").inner_text() or laptop.page.locator("#unmatched li").count() > 100
    )
    laptop.assert_clean()


def test_the_index_lists_places_with_bars_and_filters_them(laptop):
    response = laptop.page.goto(laptop.server.url + "/maps/")
    assert response.status == 200
    codes = laptop.page.eval_on_selector_all("#places tbody tr td.code", "tds => tds.map(t => t.textContent)")
    assert codes == sorted(codes) and {"52", "5206", "520627"} <= set(codes)
    assert laptop.page.locator("#places tr.county .bar span").count() >= 1
    laptop.page.fill("#place-filter", "沿河")
    visible = laptop.page.eval_on_selector_all(
        "#places tbody tr:not([hidden]) td.name", "tds => tds.map(t => t.textContent)"
    )
    assert len(visible) == 1 and visible[0].startswith("沿河土家族自治县")
    assert laptop.page.locator("#place-count").inner_text() == "1"
    laptop.screenshot("maps-index")
    laptop.page.click("#places tr:not([hidden]) a:has-text('地理')")
    laptop.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert laptop.page.locator("#shapes path").count() == 10
    laptop.assert_clean()
