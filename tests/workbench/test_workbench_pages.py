"""The workbench's read pages on the sample, in process: every page and filter, the figures
equal to the service's answers, links that keep the place and day, downloads of what is
shown, Chinese and English, and escaping. The pages read the store's snapshot through the
API's view, so one store kind (SQLite) is enough here; the stores' parity has its own tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from pairnet.graph.model import Kind, Level, Poverty
from pairnet.graph.network import build_network, parent_chain
from pairnet.imports import import_file
from pairnet.service import GapSort, analyses, listings, question
from tests.support.api import client_for, load_sample, tiny_units
from tests.support.pages import Element, parse
from tests.support.stores import sqlite_store

DAY = dt.date(2017, 12, 31)
YANHE = "520627"
ZHONGJIE = "520627110"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """(client, network, dataset) of the sample in a SQLite store, once for the module."""
    store = sqlite_store(tmp_path_factory.mktemp("workbench"))
    load_sample(store)
    dataset = store.snapshot()
    yield client_for(store), build_network(dataset), dataset
    store.close()


def page(client, url: str, *, lang: str = "en", status: int = 200) -> Element:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-language"] == ("zh-CN" if lang == "zh" else "en")
    return parse(response.text)


def body_rows(doc: Element) -> list[Element]:
    return [row for table in doc.find_all("table") for row in table.find("tbody").find_all("tr")]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


# GET / ------------------------------------------------------------------------------------


def test_a_browser_is_sent_to_the_workbench_and_a_tool_gets_json(sample):
    client, _G, _d = sample
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    assert client.get("/", headers={"Accept": "application/json"}).json()["links"]["units"] == "/api/v1/units"
    assert client.get("/").headers["content-type"] == "application/json"  # */* is a tool's
    # The tools' JSON answer is cached: a browser must still be redirected, never served it.
    redirected = client.get("/", headers=browser, follow_redirects=False)
    assert redirected.status_code == 303
    assert redirected.headers["location"] == "/app/"
    assert client.get("/", headers={"Accept": "application/json;q=1, text/html;q=0.5"}).status_code == 200


# Home -------------------------------------------------------------------------------------


def _coverage(G, kind, *, poverty=None, level=None, as_of=DAY):
    asked = question(
        G,
        kind=[kind],
        poverty=[poverty] if poverty else None,
        within=YANHE,
        level=[level] if level else None,
        as_of=as_of,
    )
    return analyses.coverage(G, asked).result


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_shows_the_figures_the_service_answers(sample, lang):
    client, G, _d = sample
    doc = page(client, f"/app/?place={YANHE}&as_of={DAY}", lang=lang)
    shown = {
        li.attrs["data-figure"]: (int(li.find(class_="covered").text), int(li.find(class_="targets").text))
        for li in doc.find("ul", class_="figures").find_all("li")
    }
    two_way = analyses.two_way_coverage(
        G, level=Level.TOWNSHIP, helper_within=None, helped_within=YANHE, helper_units=None, as_of=DAY
    ).result
    schools = analyses.school_coverage(G, within=YANHE, as_of=DAY).result
    expected = {
        "townships": two_way["helped"],
        "villages": _coverage(G, Kind.VILLAGE),
        "deeply_poor": _coverage(G, Kind.VILLAGE, poverty=Poverty.DEEPLY_POOR),
        "enterprise_village": _coverage(G, Kind.VILLAGE, level=Level.ENTERPRISE_VILLAGE),
        "parks": _coverage(G, Kind.PARK, level=Level.PARK),
        "schools": schools["schools"],
    }
    assert shown == {key: (counts["covered"], counts["targets"]) for key, counts in expected.items()}
    assert shown["deeply_poor"] == (21, 50)  # the office's figure for 2017 (issue 16)
    # The per-township table is the service's coverage by township.
    by_township = analyses.coverage(
        G, question(G, kind=[Kind.VILLAGE], within=YANHE, as_of=DAY), by=analyses.CoverageBy("township")
    ).result
    rows = {
        row.attrs["data-township"]: [int(td.text) for td in row.find_all("td", class_="num")]
        for row in doc.find("table").find("tbody").find_all("tr")
    }
    assert rows == {
        group["code"]: [group["covered"], group["targets"], group["uncovered"]] for group in by_township["groups"]
    }
    # Each figure links to its list, on the same place and day.
    link = doc.find("li", **{"data-figure": "deeply_poor"}).find("a").attrs["href"]
    assert link.startswith("/app/gaps?")
    assert query_of(link) == {"place": [YANHE], "as_of": [str(DAY)], "kind": ["village"], "poverty": ["deeply_poor"]}


def test_home_says_what_changed_since_a_second_date(sample):
    client, G, _d = sample
    since = dt.date(2016, 12, 31)
    doc = page(client, f"/app/?place={YANHE}&as_of=2018-12-31&since={since}")
    delta = int(doc.find("li", **{"data-figure": "villages"}).find(class_="delta").text)
    now = _coverage(G, Kind.VILLAGE, as_of=dt.date(2018, 12, 31))["covered"]
    before = _coverage(G, Kind.VILLAGE, as_of=since)["covered"]
    assert delta == now - before != 0


def test_home_names_the_chosen_language(sample):
    client, _G, _d = sample
    zh = page(client, f"/app/?as_of={DAY}", lang="zh")
    assert zh.find("html").attrs["lang"] == "zh-CN"
    assert [a.text for a in zh.find("nav").find_all("a")] == ["首页", "缺口", "单位", "结对", "资金流", "导入", "地图"]
    assert "深度贫困村" in zh.find("ul", class_="figures").text
    # ?lang= wins over the header, and the page's links keep it.
    en = parse(client.get(f"/app/?as_of={DAY}&lang=en", headers={"Accept-Language": "zh"}).text)
    assert en.find("html").attrs["lang"] == "en"
    assert all(query_of(a.attrs["href"])["lang"] == ["en"] for a in en.find("nav").find_all("a"))


def test_every_link_of_the_navigation_keeps_the_place_and_the_day(sample):
    client, _G, _d = sample
    for url in ["/app/", "/app/gaps", "/app/units", "/app/pairings", "/app/flows", f"/app/units/{ZHONGJIE}"]:
        doc = page(client, f"{url}?place=中界镇&as_of={DAY}" if "?" not in url else url)
        links = [a.attrs["href"] for a in doc.find("nav").find_all("a")]
        assert len(links) == 7
        for href in links:
            assert query_of(href) == {"place": ["中界镇"], "as_of": [str(DAY)]}, (url, href)
        picker = doc.find("form", class_="context")
        assert picker.attrs["method"] == "get"
        assert picker.find("input", name="place").attrs["value"] == "中界镇"
        assert picker.find("input", name="as_of").attrs["value"] == str(DAY)


# Gaps -------------------------------------------------------------------------------------


def _gaps(G, *, poverty=None, within=ZHONGJIE):
    asked = question(G, kind=[Kind.VILLAGE], poverty=[poverty] if poverty else None, within=within, as_of=DAY)
    return asked, analyses.gaps(G, asked, sort=GapSort("code")).rows


def test_gap_list_shows_the_service_gaps_in_code_order_with_why_and_partner(sample):
    client, G, _d = sample
    asked, gaps = _gaps(G)
    doc = page(client, f"/app/gaps?place=中界镇&as_of={DAY}")
    rows = body_rows(doc)
    assert [row.attrs["data-id"] for row in rows] == [gap["id"] for gap in gaps][:50]
    codes = [gap["code"] for gap in gaps]
    assert codes == sorted(codes)
    first = rows[0]
    cells = first.find_all("td")
    assert cells[2].text == gaps[0]["parents"]
    assert "never paired" in cells[4].text or "ended" in cells[4].text
    suggestions = {s["target_id"]: s for s in analyses.recommend(G, asked).result["suggestions"]}
    for row, gap in zip(rows, gaps, strict=False):
        partner = row.find("td", class_="partner")
        if gap["id"] in suggestions:
            assert partner.find("a").text == suggestions[gap["id"]]["helper"]
        else:
            assert partner.find_all("a") == []
    assert any(gap["id"] in suggestions for gap in gaps)


def test_gap_filters_pages_and_downloads_of_what_is_shown(sample):
    client, G, _d = sample
    _asked, gaps = _gaps(G, poverty=Poverty.DEEPLY_POOR, within=YANHE)
    assert len(gaps) > 6
    url = f"/app/gaps?place={YANHE}&as_of={DAY}&kind=村&poverty=深度贫困村&offset=3&limit=3"
    doc = page(client, url)
    assert [row.attrs["data-id"] for row in body_rows(doc)] == [gap["id"] for gap in gaps[3:6]]
    assert doc.find("p", class_="count").text.startswith(f"{len(gaps)} gaps")
    download = next(
        a.attrs["href"] for a in doc.find("div", class_="downloads").find_all("a") if "csv" in a.text.lower()
    )
    csv_answer = client.get(download)
    assert csv_answer.status_code == 200
    assert "attachment" in csv_answer.headers["content-disposition"]
    lines = list(csv.DictReader(io.StringIO(csv_answer.content.decode("utf-8-sig"))))
    assert [line["code"] for line in lines] == [gap["code"] for gap in gaps[3:6]]
    xlsx = client.get(download.replace("format=csv", "format=xlsx"))
    assert xlsx.content[:2] == b"PK"
    following = doc.find("a", rel="next").attrs["href"]
    assert query_of(following)["offset"] == ["6"] and query_of(following)["poverty"] == ["deeply_poor"]


def test_gap_statuses_and_levels_filter(sample):
    client, G, _d = sample
    asked = question(G, kind=[Kind.VILLAGE], within=YANHE, level=[Level.ENTERPRISE_VILLAGE], as_of=DAY)
    expected = analyses.gaps(G, asked, sort=GapSort("code")).rows
    doc = page(client, f"/app/gaps?place={YANHE}&as_of={DAY}&level=enterprise_village&limit=1000")
    assert len(body_rows(doc)) == len(expected)
    ended = [gap for gap in expected if gap["status"] == "ended"]
    doc = page(client, f"/app/gaps?place={YANHE}&as_of={DAY}&level=enterprise_village&status=ended&limit=1000")
    assert len(body_rows(doc)) == len(ended)


@pytest.mark.parametrize(
    ("url", "parameter", "status"),
    [
        ("/app/gaps?kind=villag", "kind", 422),
        ("/app/gaps?status=gone", "status", 422),
        ("/app/gaps?place=沿合县", "place", 404),
        ("/app/?as_of=2018-02-30", "as_of", 422),
        ("/app/?since=yesterday", "since", 422),
        ("/app/units?sort=colour", "sort", 422),
        ("/app/units?township=无此镇", "township", 404),
        ("/app/units/no-such-unit", "ref", 404),
        ("/app/flows?year=二〇一八", "year", 422),
        ("/app/gaps?knd=village", "knd", 422),
        ("/app/units?offset=-5", "offset", 422),
    ],
)
def test_bad_input_is_a_page_naming_the_parameter(sample, url, parameter, status):
    client, _G, _d = sample
    doc = page(client, url, status=status)
    problem = doc.find(class_="problem")
    assert problem.find("strong").text == parameter
    assert "Traceback" not in problem.text and "/work/" not in problem.text


def test_an_unknown_parameter_on_a_page_names_the_nearest_one_and_the_api_keeps_json(sample):
    client, _G, _d = sample
    assert "kind" in page(client, "/app/gaps?knd=village", status=422).find(class_="problem").text
    answer = client.get("/units?knd=village")
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"


def test_an_unknown_place_lists_the_nearest_candidates(sample):
    client, _G, _d = sample
    doc = page(client, f"/app/gaps?place=沿合县&as_of={DAY}", status=404)
    assert "沿河土家族自治县" in doc.find(class_="problem").text
    # The problem page keeps what was asked, so the planner corrects it in the picker.
    assert doc.find("form", class_="context").find("input", name="place").attrs["value"] == "沿合县"
    assert all(query_of(a.attrs["href"])["as_of"] == [str(DAY)] for a in doc.find("nav").find_all("a"))


# Tables -----------------------------------------------------------------------------------


def facet(doc: Element, key: str) -> dict[str, int]:
    return {
        query_of(li.find("a").attrs["href"])[key][0]: int(li.find(class_="facet-count").text)
        for li in doc.find("ul", **{"data-facet": key}).find_all("li")
        if li.find_all(class_="facet-count")
    }


def test_unit_table_facets_count_what_the_other_filters_leave(sample):
    client, G, _d = sample
    doc = page(client, f"/app/units?place={YANHE}&kind=village&township={ZHONGJIE}")
    villages = listings.units(G, within=YANHE, parent=None, kind=Kind.VILLAGE)
    in_zhongjie = [u for u in villages if ZHONGJIE in parent_chain(G, u.id)]
    assert doc.find("p", class_="count").text.startswith(f"{len(in_zhongjie)} rows")
    poverty = facet(doc, "poverty")
    assert poverty == {p.value: n for p in Poverty if (n := sum(1 for u in in_zhongjie if u.poverty == p))}
    # The kind facet counts every kind within the other filters (the township's units).
    kinds = facet(doc, "kind")
    assert kinds["village"] == len(in_zhongjie)
    names = [row.find_all("td")[1].text for row in body_rows(doc)]
    assert names == [u.name for u in in_zhongjie][:50]


def test_unit_table_sorts_by_any_column_and_downloads_the_filter(sample):
    client, G, _d = sample
    doc = page(client, f"/app/units?place={ZHONGJIE}&kind=village&sort=name&desc=1")
    names = [row.find_all("td")[1].text for row in body_rows(doc)]
    assert names == sorted(names, reverse=True)
    header = doc.find("th", **{"aria-sort": "descending"})
    assert "sort=name" in header.find("a").attrs["href"] and "desc" not in header.find("a").attrs["href"]
    answer = client.get(f"/app/units?place={YANHE}&kind=village&sort=name&desc=1&format=csv")
    lines = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    total = len(listings.units(G, within=YANHE, kind=Kind.VILLAGE))
    assert len(lines) == total > 50
    assert [line["name"] for line in lines] == sorted((line["name"] for line in lines), reverse=True)
    assert lines[0]["parents"].startswith("贵州省 / 铜仁市 / 沿河土家族自治县 / ")  # names beside the ids


def test_search_ranks_what_people_write_first(sample):
    client, _G, _d = sample
    first = body_rows(page(client, "/app/units?q=沿河县"))[0].find_all("td")
    assert (first[0].text, first[1].text) == (YANHE, "沿河土家族自治县")
    assert body_rows(page(client, "/app/units?q=gaofeng"))[0].find_all("td")[1].text == "高峰村"
    by_code = body_rows(page(client, f"/app/units?q={ZHONGJIE}"))
    assert by_code[0].find_all("td")[0].text == ZHONGJIE
    assert all(row.find_all("td")[0].text.startswith(ZHONGJIE) for row in by_code)
    # The API's list ranks the same way (issue 16, item 8).
    assert client.get("/api/v1/units", params={"q": "沿河县"}).json()["items"][0]["id"] == YANHE


def test_pairing_table_facets_and_names(sample):
    client, G, dataset = sample
    doc = page(client, f"/app/pairings?place={YANHE}&as_of={DAY}&level=village")
    below = listings.below(G, YANHE)
    village = listings.pairings(dataset, level=Level.VILLAGE, units_in=below)
    assert doc.find("p", class_="count").text.startswith(f"{len(village)} rows")
    statuses = facet(doc, "status")
    active = sum(1 for p in village if p.active_on(DAY))
    assert statuses.get("active", 0) == active
    assert sum(statuses.values()) == len(village)
    levels = facet(doc, "level")
    assert levels["village"] == len(village)
    first = body_rows(doc)[0].find_all("td")
    assert first[0].find("a").attrs["href"].startswith("/app/units/")
    assert first[0].find(class_="chain").text  # the helper's parent path beside its name


def test_flow_table_facets_and_filter(sample):
    client, _G, dataset = sample
    doc = page(client, "/app/flows")
    kinds = facet(doc, "kind")
    assert kinds == {k: sum(1 for f in dataset.flows if f.kind.value == k) for k in kinds}
    assert sum(kinds.values()) == len(dataset.flows)
    chosen = next(iter(kinds))
    filtered = page(client, f"/app/flows?kind={chosen}")
    assert filtered.find("p", class_="count").text.startswith(f"{kinds[chosen]} row")


# Unit page --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unit_page_shows_chain_partners_flows_and_whatif(sample, lang):
    client, G, dataset = sample
    doc = page(client, f"/app/units/{YANHE}?as_of={DAY}", lang=lang)
    assert doc.find("h1").text == "沿河土家族自治县"
    chain = [a.text for a in doc.find("nav", class_="chain").find_all("a")]
    assert chain == [G.nodes[p]["unit"].name for p in reversed(parent_chain(G, YANHE))]
    partners = {
        row.attrs["data-pairing"]
        for row in doc.find("table", **{"aria-labelledby": "partners"}).find_all("tr")
        if "data-pairing" in row.attrs
    }
    assert partners == {p.id for p in listings.pairings(dataset, unit=YANHE)}
    helpers = sorted({p.helper_id for p in listings.pairings(dataset, helped=YANHE, active_on=DAY)})
    whatif = analyses.whatif(
        G, question(G, kind=[Kind.VILLAGE], within=YANHE, as_of=DAY), withdraw=helpers, with_units_under=True
    ).result
    text = doc.find("h2", id="whatif").text
    assert text
    paragraph = " ".join(p.text for p in doc.find("main").find_all("p"))
    assert f"{whatif['before']['covered']} → {whatif['after']['covered']}" in paragraph
    map_link = doc.find("a", class_="map").attrs["href"]
    assert map_link == f"/maps/unit/{YANHE}?as_of={DAY}"
    assert client.get(map_link).status_code == 200


def test_unit_page_of_a_gap_shows_its_suggested_partner(sample):
    client, G, _d = sample
    asked, gaps = _gaps(G)
    suggestions = {s["target_id"]: s for s in analyses.recommend(G, asked).result["suggestions"]}
    gap = next(g for g in gaps if g["id"] in suggestions)
    doc = page(client, f"/app/units/{gap['code']}?as_of={DAY}")
    section = doc.find("main")
    assert suggestions[gap["id"]]["helper"] in section.text


def test_unit_page_by_name_path_and_its_flows(sample):
    client, _G, dataset = sample
    flow = next(f for f in dataset.flows if f.to_id)
    doc = page(client, f"/app/units/{flow.to_id}")
    amounts = [
        row.find_all("td")[1].text
        for row in doc.find("table", **{"aria-labelledby": "flows"}).find("tbody").find_all("tr")
    ]
    assert f"{flow.amount:,.2f}" in amounts
    assert page(client, "/app/units/沿河土家族自治县/中界镇").find("h1").text == "中界镇"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_assumed_values_are_marked_on_the_unit_page_and_in_the_tables(sample, lang):
    """高峰村 is real, its poverty status assumed (the sample's assumption 6), and the
    month of its pairing too: both read with a mark, the note explains it."""
    client, G, _d = sample
    doc = page(client, "/app/units/沿河土家族自治县/中界镇/高峰村", lang=lang)
    facts = doc.find("table", class_="facts").text.replace(" ", "")
    assert ("深度贫困村*" if lang == "zh" else "deeplypoor*") in facts
    assert doc.find("abbr", class_="assumed").attrs["title"] == doc.find("p", id="assumed-note").text
    partners = doc.find("table", **{"aria-labelledby": "partners"}).text
    assert "2018-03-01 *" in partners or "2018-03-01*" in partners
    table = page(client, f"/app/units?parent={ZHONGJIE}&poverty=deeply_poor", lang=lang)
    cells = [row.find_all("td") for row in body_rows(table)]
    assert cells and all(any(c.text.startswith(("深度贫困村*", "deeply poor*")) for c in row) for row in cells)
    assert all("assumed" not in cell.text for cell in cells[0] if "*" not in cell.text)
    gaps = page(client, f"/app/gaps?place={YANHE}&poverty=deeply_poor&as_of={DAY}", lang=lang)
    assert gaps.find("p", id="assumed-note").text and "*" in body_rows(gaps)[0].text


# Escaping ---------------------------------------------------------------------------------


def test_a_hostile_unit_name_is_shown_as_text_on_every_page(tmp_path):
    store = sqlite_store(tmp_path)
    hostile = "<script>alert(1)</script>村"
    import_file(store, tiny_units(tmp_path, names=(hostile, "乙村")), replace=True)
    client = client_for(store)
    try:
        for url in [
            "/app/?place=测试县",
            "/app/gaps?place=测试县",
            "/app/units",
            "/app/units?q=script",
            "/app/units/t-village-0",
            "/app/pairings",
            "/app/flows",
            "/app/gaps?place=<script>alert(2)</script>",
        ]:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert "<script>alert" not in response.text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;村" in client.get("/app/gaps?place=测试县").text
        assert parse(client.get("/app/units/t-village-0").text).find("h1").text == hostile
    finally:
        store.close()
