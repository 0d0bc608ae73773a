"""The API's documentation pages and the maps' language in a real browser (Debian's chromium):
``/docs`` and ``/redoc`` draw with no request to any host but the server (they used to load
Swagger UI, ReDoc and fonts from a CDN), and a page follows the browser's language: the descriptions and operation summaries of
``/docs`` and ``/redoc`` are in Chinese for a Chinese browser."""

from __future__ import annotations

import pytest

from tests.browser.test_maps_browser import LiveServer, Visit, browser, sample_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize(
    ("path", "drawn"),
    [("/docs", ".swagger-ui .info .title"), ("/redoc", ".api-info h1")],
)
def test_documentation_pages_draw_offline(browser, sample_server, path, drawn, locale):  # noqa: F811
    visit = Visit(browser, sample_server)
    visit.context.close()
    visit.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=locale)
    page = visit.context.new_page()
    page.set_default_timeout(30_000)
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    page.on("request", lambda r: visit.requests.append(r.url))
    try:
        response = page.goto(sample_server.url + path)
        assert response is not None and response.status == 200
        page.wait_for_selector(drawn, state="visible")
        assert "pairnet API" in page.locator(drawn).first.inner_text()
        # The operations are listed in the browser's language, so the spec was fetched and parsed.
        summary = "列出单位，写明其上级" if locale == "zh-CN" else "List units, with their parents named"
        if path == "/docs":
            page.wait_for_selector(".opblock-summary-path", state="visible")
            page.wait_for_selector(f"text={summary}", state="visible")
        else:
            page.wait_for_selector(f"text={summary}", state="attached")
        # ReDoc searches in a worker made from a blob: of the page itself; nothing else may be fetched.
        local = (sample_server.url + "/", "data:", "blob:" + sample_server.url + "/")
        foreign = [u for u in visit.requests if not u.startswith(local)]
        assert foreign == []
        assert any("/docs/assets/" in u for u in visit.requests)
        assert visit.errors == []
    finally:
        visit.context.close()


@pytest.mark.parametrize(("locale", "expected", "absent"), [("zh-CN", "村级", "village"), ("en-US", "village", "村级")])
def test_map_legend_follows_the_browser_language(browser, sample_server, locale, expected, absent):  # noqa: F811
    visit = Visit(browser, sample_server)
    visit.context.close()
    visit.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=locale)
    visit.page = visit.context.new_page()
    visit.page.on("request", lambda r: visit.requests.append(r.url))
    try:
        visit.open("/maps/five-in-one?helper=320582&helped=520627&as_of=2019-12-31")
        legend = visit.page.locator("#legend .legend-label").all_inner_texts()
        assert expected in legend and absent not in legend
        visit.assert_clean()
    finally:
        visit.context.close()
