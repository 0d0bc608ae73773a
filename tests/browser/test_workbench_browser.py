"""The workbench in a real browser, as a planner's office laptop shows it: Debian's chromium
at 1366×768, in Chinese. Every read page opens from a live server on the sample with no
console error, no request to any host but the server, nothing wider than the screen, and no
serious or critical accessibility violation by axe-core (vendored in tests/browser/vendor);
each page's screenshot is kept in ``tests/screenshots/workbench-*.png``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_maps_browser import SCREENSHOTS, LiveServer, browser, sample_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WIDTH, HEIGHT = 1366, 768
PAGES = [
    ("home", "/app/?as_of=2017-12-31", "h1"),
    ("home-since", "/app/?as_of=2018-12-31&since=2017-12-31", ".delta"),
    ("gaps", "/app/gaps?place=中界镇&as_of=2017-12-31", "td.partner"),
    ("units", "/app/units?place=520627&kind=village", "ul[data-facet=township]"),
    ("units-search", "/app/units?q=沿河县", "tbody tr"),
    ("pairings", "/app/pairings?place=520627&as_of=2017-12-31", "ul[data-facet=status]"),
    ("flows", "/app/flows", "ul[data-facet=kind]"),
    ("unit", "/app/units/520627110217?as_of=2017-12-31", "#partners"),
    ("county", "/app/units/520627?as_of=2017-12-31", "#whatif"),
    ("problem", "/app/gaps?place=沿合县", ".problem"),
]


def _axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(("name", "path", "drawn"), PAGES, ids=[p[0] for p in PAGES])
def test_workbench_page_in_chinese_at_1366x768(browser, sample_server, name, path, drawn):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        response = page.goto(sample_server.url + path)
        assert response is not None
        assert response.status == (404 if name == "problem" else 200)
        page.wait_for_selector(drawn, state="attached")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("header nav a").all_inner_texts() == [
            "首页",
            "缺口",
            "单位",
            "结对",
            "资金流",
            "导入",
            "地图",
        ]
        # The style sheet applied (the navigation bar is drawn dark), from the server.
        assert page.locator("header.bar").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(18, 53, 91)"
        # Nothing wider than the laptop's screen: no sideways scrolling.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"workbench-{name}.png"), full_page=True)
        foreign = [u for u in requests if not u.startswith(sample_server.url + "/") and not u.startswith("data:")]
        assert foreign == []
        # The problem page is itself a 404, which the browser logs; nothing else may fail.
        own_status = "status of 404" if name == "problem" else None
        assert [e for e in errors if own_status is None or own_status not in e] == []
        assert _axe_violations(page) == []
    finally:
        context.close()


def test_the_root_sends_a_browser_to_the_workbench(browser, sample_server):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(sample_server.url + "/")
        assert page.url == sample_server.url + "/app/"
        assert page.locator("h1").inner_text().startswith("沿河土家族自治县")
    finally:
        context.close()


@pytest.mark.parametrize("ref", ["520627110", "520627110217", "320582100"], ids=["township", "village", "helper"])
def test_the_unit_page_draws_its_small_map_without_a_script(browser, sample_server, ref):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{sample_server.url}/app/units/{ref}?as_of=2017-12-31")
        drawing = page.locator("a.minimap svg")
        box = drawing.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60  # drawn, at a size
        assert page.locator("a.minimap").get_attribute("href") == f"/maps/unit/{ref}?as_of=2017-12-31"
        # The unit in bold, below its parents, with a line to each partner in the pairings table.
        assert page.locator("a.minimap g.self text").text_content() == page.locator("h1").inner_text()
        partners = {t.strip() for t in page.locator("#partners ~ table tbody tr td:nth-child(3) > a").all_inner_texts()}
        drawn = page.locator("a.minimap g.unit:not(.self) text").all_text_contents()
        parents = page.locator("nav.chain a").all_inner_texts()
        assert set(drawn) == set(parents) | partners
        assert page.locator("a.minimap line.pairing").count() == len(partners)
        assert "中界镇" in page.locator("#minimap-title").text_content() or ref != "520627110"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.locator("#map").scroll_into_view_if_needed()
        page.locator("a.minimap").screenshot(path=str(SCREENSHOTS / f"workbench-unit-map-{ref}.png"))
        assert errors == []
        assert _axe_violations(page) == []
    finally:
        context.close()
