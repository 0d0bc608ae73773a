"""The server's own pages in a real browser asking for Chinese (zh-CN) and for English
(en-US): each page says its language, its visible text is in that language (no English
sentence on a Chinese page, no Chinese on an English one, identifiers aside), it loads
nothing from another host, and a screenshot of each is kept in ``tests/screenshots/``
(``<page>-<locale>.png``) for a person to look at."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_maps_browser import (  # noqa: F401 - fixtures
    SCREENSHOTS,
    LiveServer,
    browser,
    sample_server,
)

pytestmark = pytest.mark.browser

LOCALES = {"zh-CN": "zh-CN", "en-US": "en"}
# The problem pages: the index of every type, and one type's page.
PAGES = {"problems": ("/problems", "h1"), "problem-type": ("/problems/invalid-input", "h1")}
# Three English words in a row: a sentence, not an identifier (invalid-input, Authorization: Bearer).
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _open(browser, server: LiveServer, locale: str, path: str, drawn: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(server.url + path)
    assert response is not None and response.status == 200, path
    page.wait_for_selector(drawn, state="visible")
    return context, page, requests, errors


@pytest.mark.parametrize("locale", list(LOCALES))
@pytest.mark.parametrize("name", list(PAGES))
def test_problem_pages_speak_the_browsers_language(browser, sample_server, name, locale):  # noqa: F811
    path, drawn = PAGES[name]
    context, page, requests, errors = _open(browser, sample_server, locale, path, drawn)
    try:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{locale}.png"), full_page=True)
        assert page.locator("html").get_attribute("lang") == LOCALES[locale]
        text = page.locator("body").inner_text()
        if locale == "zh-CN":
            assert "问题类型" in text or "输入无效" in text
            assert _ENGLISH.findall(text) == []
        else:
            assert "Problem types" in text or "Invalid input" in text
            assert _CHINESE.findall(text) == []
        assert [u for u in requests if not u.startswith(sample_server.url + "/")] == []
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("locale", list(LOCALES))
@pytest.mark.parametrize(
    ("name", "path", "drawn"), [("docs", "/docs", ".opblock-summary-path"), ("redoc", "/redoc", ".api-info h1")]
)
def test_documentation_pages_are_kept_as_screenshots(browser, sample_server, name, path, drawn, locale):  # noqa: F811
    context, page, requests, errors = _open(browser, sample_server, locale, path, drawn)
    try:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{locale}.png"))
        assert "pairnet API" in page.locator("body").inner_text()
        local = (sample_server.url + "/", "data:", "blob:" + sample_server.url + "/")
        assert [u for u in requests if not u.startswith(local)] == []
    finally:
        context.close()
