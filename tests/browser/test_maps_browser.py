"""The maps in a real browser: Debian's chromium, driven by Playwright, loading each view
from a live uvicorn server that serves the Zhangjiagang–Yanhe sample.

Each test checks what a person would see (the canvas draws, the legend and figures, a search
finds 高峰村, a click shows a unit's details) and what must not happen (a console error, a
request to any host but the server, a script from a hostile name). Screenshots go to
``tests/screenshots/`` (git-ignored) so that anyone can look at what the browser showed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.maps_data import HOSTILE, hostile_dataset

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
GAOFENG_PATH = "沿河土家族自治县/中界镇/高峰村"
AS_OF = "2019-12-31"
VIEWS = {
    "five-in-one": f"/maps/five-in-one?helper=320582&helped=520627&as_of={AS_OF}",
    "gaps": f"/maps/gaps?within=520627&as_of={AS_OF}",
    "unit": f"/maps/unit/{GAOFENG_PATH}?depth=2&as_of={AS_OF}",
    "national": f"/maps/national?as_of={AS_OF}",
}


def _chromium_or_skip() -> None:
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is required in CI (make test installs it with scripts/system-deps)")
    pytest.skip(f"{CHROMIUM} is not installed (sudo apt-get install chromium fonts-noto-cjk)")


class LiveServer:
    """uvicorn serving the API app for one store file on a free loopback port, in a thread."""

    def __init__(self, store_path: Path):
        self.store_path = str(store_path)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        app = create_app(Settings(store=str(store_path), read_only=True))
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def browser():
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    with open_store(str(path)) as store:
        import_file(store, SAMPLE)
    with LiveServer(path) as server:
        yield server


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    with open_store(str(path)) as store:
        store.write(hostile_dataset(), source="generated.xlsx")
    with LiveServer(path) as server:
        yield server


class Visit:
    """One page in a fresh context, with every console error, dialog and request recorded."""

    def __init__(self, browser, server: LiveServer, *, bypass_csp: bool = False):
        self.server = server
        self.context = browser.new_context(
            viewport={"width": 1600, "height": 1000}, locale="zh-CN", bypass_csp=bypass_csp
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: str) -> None:
        # A page is built on its first request: slow on a busy machine, then cached.
        response = self.page.goto(self.server.url + path, timeout=90_000)
        assert response is not None and response.status == 200, path
        # A selector, not a JS predicate: the page's CSP forbids the eval that polling needs.
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        foreign = [u for u in self.requests if not u.startswith(self.server.url + "/") and not u.startswith("data:")]
        assert foreign == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, sample_server):
    opened = Visit(browser, sample_server)
    yield opened
    opened.close()


def _drawn_pixels(page) -> int:
    """How many pixels of the network canvas are not blank."""
    return page.evaluate(
        """() => {
            const canvas = document.querySelector('#map canvas');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let drawn = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) drawn++;
            }
            return drawn;
        }"""
    )


def _figures(page) -> dict[str, str]:
    labels = page.locator("#figures .figure-label").all_inner_texts()
    values = page.locator("#figures .figure-value").all_inner_texts()
    return {label.rstrip(":"): value for label, value in zip(labels, values, strict=True)}


@pytest.mark.parametrize("name", list(VIEWS))
def test_each_view_draws_with_its_legend_and_figures(visit, name):
    visit.open(VIEWS[name])
    visit.screenshot(name)
    assert _drawn_pixels(visit.page) > 2000
    assert f"截至{AS_OF}" in visit.page.locator("#as-of").inner_text()
    legend = visit.page.locator("#legend .legend-label").all_inner_texts()
    figures = _figures(visit.page)
    if name == "five-in-one":
        assert visit.page.locator("#map-title").inner_text() == "五位一体：张家港市 → 沿河土家族自治县"
        assert figures["深度贫困村已结对"] == "50/50"
        assert figures["乡镇街道已结对（受帮扶方）"] == "22/22"
        # The browser asks for Chinese (locale zh-CN): the legend names the levels as files do.
        assert {"市县", "镇级", "村级", "村企", "园区"} <= set(legend)
    elif name == "gaps":
        assert figures["深度贫困村已结对"] == "50/50"
        assert figures["无结对目标"] == "0"
        assert "已结对" in legend
    elif name == "unit":
        assert visit.page.locator("#map-title").inner_text().startswith("单位：高峰村")
        assert visit.page.evaluate("window.pairnetMap.nodes.get().map(n => n.label)").count("善港村") == 1
    else:
        assert figures["显示的县（有结对或贫困村）"] == "2 / 2"
        assert "节点大小 = 村数" in legend
    visit.assert_clean()


def test_the_index_leads_to_each_view(visit):
    response = visit.page.goto(visit.server.url + "/maps/")
    assert response.status == 200
    visit.page.click("#five-in-one a")
    visit.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert visit.page.locator("#map-title").inner_text().startswith("五位一体：")
    visit.page.go_back()
    visit.page.fill("#ref", GAOFENG_PATH)
    visit.page.click("form[action='./unit'] button")
    visit.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert visit.page.locator("#map-title").inner_text() == "单位：高峰村 (520627110217)"
    visit.assert_clean()


def test_the_index_searches_the_whole_store(visit):
    visit.page.goto(visit.server.url + "/maps/")
    assert visit.page.input_value("#as_of") == dt.date.today().isoformat()
    visit.page.fill("#store-query", "高峰村")
    first = visit.page.locator("#store-results a").first
    assert first.inner_text().startswith("高峰村 · 520627110217")
    visit.screenshot("maps-index-search")
    visit.page.press("#store-query", "Enter")
    visit.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert visit.page.evaluate("window.pairnetMap.nodes.get().some(n => n.label === '高峰村')")
    visit.assert_clean()


@pytest.mark.parametrize("name", ["five-in-one", "gaps"])
def test_search_finds_gaofeng(visit, name):
    visit.open(VIEWS[name])
    visit.page.fill("#search", "高峰村")
    results = visit.page.locator("#search-results button")
    assert results.first.inner_text().startswith("高峰村")
    visit.page.press("#search", "Enter")
    info = visit.page.locator("#info")
    assert info.is_visible() and "高峰村" in info.inner_text() and "中界镇" in info.inner_text()
    selected = visit.page.evaluate(
        "window.pairnetMap.network.getSelectedNodes().map(id => window.pairnetMap.nodes.get(id).label)"
    )
    assert selected == ["高峰村"]
    visit.screenshot(f"{name}-search")
    visit.page.fill("#search", "520627110217")
    assert results.all_inner_texts() == ["高峰村 · 520627110217"]
    visit.assert_clean()


def _node_on_screen(page, label: str) -> tuple[float, float]:
    """Zoom onto the node labelled ``label`` and return its position in the page."""
    point = page.evaluate(
        """(label) => {
            const map = window.pairnetMap;
            const node = map.nodes.get({filter: n => n.label === label})[0];
            map.network.moveTo({position: map.network.getPosition(node.id), scale: 1.5, animation: false});
            return map.network.canvasToDOM(map.network.getPosition(node.id));
        }""",
        label,
    )
    box = page.locator("#map").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def test_clicking_a_unit_shows_its_details(visit):
    visit.open(VIEWS["five-in-one"])
    x, y = _node_on_screen(visit.page, "高峰村")
    visit.page.mouse.move(x, y)
    tooltip = visit.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert "高峰村" in tooltip.inner_text()
    visit.page.mouse.click(x, y)
    info = visit.page.locator("#info")
    assert info.is_visible()
    text = info.inner_text()
    for expected in ("高峰村", "沿河土家族自治县 / 中界镇", "善港村", "zhangjiagang-yanhe.xlsx"):
        assert expected in text
    visit.screenshot("five-in-one-click")
    visit.assert_clean()


def test_hostile_names_run_no_script(browser, hostile_server):
    units = hostile_dataset().units
    township = next(u for u in units if u.kind == "township" and u.side == "helped" and u.name != "中界镇")
    village = next(u for u in units if u.kind == "village" and u.side == "helped" and u.name.startswith(HOSTILE[0]))
    assert township.name.startswith(tuple(HOSTILE))
    # Without the page's Content-Security-Policy, so that the escaping alone is tested: a name
    # that became markup would run its script here.
    opened = Visit(browser, hostile_server, bypass_csp=True)
    try:
        for path in (
            "/maps/five-in-one?helper=320582&helped=520627",
            f"/maps/unit/{village.id}",
            "/maps/gaps?within=520627",
        ):
            opened.open(path)
            opened.page.fill("#search", "<img")
            opened.page.press("#search", "Enter")
            assert opened.page.locator("#search-results button").first.inner_text().startswith(HOSTILE[0])
            assert HOSTILE[0] in opened.page.locator("#info").inner_text()
            x, y = _node_on_screen(opened.page, village.name)
            opened.page.mouse.move(x, y)
            opened.page.locator("div.vis-tooltip").wait_for(state="visible")
            assert village.name in opened.page.locator("div.vis-tooltip").inner_text()
            opened.page.mouse.click(x, y)
            assert opened.page.locator("#info dd").first.inner_text() == village.name
        opened.open(f"/maps/gaps?within={township.id}")
        assert opened.page.locator("#map-title").inner_text() == f"缺口：{township.name} ({township.code})"
        opened.screenshot("hostile")
        assert opened.page.evaluate("typeof window.__xss") == "undefined"
        assert opened.page.locator("img, body > svg, #figures *:not(li):not(span):not(b)").count() == 0
        opened.assert_clean()
    finally:
        opened.close()
