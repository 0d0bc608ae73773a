"""The map views without a browser: structure, figures, escaping, no external resources,
and the /maps routes of the API over a real SQLite store."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.graph.errors import InvalidInput, NotFound
from pairnet.graph.model import Dataset, Level, Pairing, Unit
from pairnet.graph.network import active_pairings, build_network
from pairnet.graph.targets import select_targets
from pairnet.i18n import set_language, use_language
from pairnet.maps import five_in_one, gap_view, map_html, national_view, render, style, to_html, unit_view
from pairnet.maps.national import POOR_VILLAGES, coverage_color
from pairnet.store.store import open_store
from tests.support.maps_data import (
    GAOFENG,
    HELPED,
    HELPER,
    HOSTILE,
    hostile_dataset,
    national_dataset,
    pair_dataset,
    programs_dataset,
)


@pytest.fixture(scope="module")
def G():
    return build_network(pair_dataset())


class _Page(HTMLParser):
    """Every start tag of a page with its attributes, and the text of each script."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@pytest.mark.parametrize(
    "name", ["style", "layout", "views", "gaps", "national", "render", "routing", "labels", "panel", "find"]
)
def test_examples_in_docstrings_run(name):
    result = doctest.testmod(importlib.import_module(f"pairnet.maps.{name}"))
    assert result.attempted > 0 and result.failed == 0


def test_five_in_one_has_both_trees_in_bands_and_sides(G):
    view = five_in_one(G, HELPER, HELPED, expand=["all"])
    nodes = {n["id"]: n for n in view.network.nodes}
    assert len(nodes) == G.number_of_nodes() == 72 and view.collapsed == []
    assert len(view.network.edges) == 23
    for node in nodes.values():
        side = G.nodes[node["id"]]["side"]
        assert (node["x"] < 0) == (side == "helper")
    county, township, village = nodes[HELPED], nodes["520627110"], nodes[GAOFENG]
    assert county["y"] < township["y"] < village["y"]
    assert [b["label"] for b in view.boxes][:4] == [label for _band, label in style.BANDS[:4]]
    assert view.network.options["physics"]["enabled"] is False


def test_five_in_one_shows_only_the_helper_units_of_the_program(G):
    view = five_in_one(G, HELPER, HELPED)
    shown = {n["id"] for n in view.network.nodes}
    hidden = set(G.nodes) - shown
    assert hidden and all(G.nodes[n]["side"] == "helper" for n in hidden)
    assert sum(item["count"] for item in view.collapsed) == len(hidden)
    assert {f["label"]: f["value"] for f in view.figures}["helper units without pairings in this program"] == str(
        len(hidden)
    )
    # Each collapsed group expands by its parent: exactly its units come back.
    for item in view.collapsed:
        opened = {n["id"] for n in five_in_one(G, HELPER, HELPED, expand=[item["expand"]]).network.nodes}
        assert len(opened - shown) >= item["count"]
    # No hidden unit pairs with a unit of the helped tree.
    helped_tree = {n for n in G.nodes if G.nodes[n]["side"] == "helped"}
    for unit in hidden:
        assert not {p.helped_id for p in active_pairings(G, unit)} & helped_tree


def test_five_in_one_figures_colours_and_marks(G):
    view = five_in_one(G, HELPER, HELPED, expand=["all"])
    figures = {f["label"]: f["value"] for f in view.figures}
    assert figures["deeply poor villages paired"] == "10/12"
    assert figures["townships paired (helped side)"] == "3/4"
    assert figures["pairings shown"] == "23"
    red = [n for n in view.network.nodes if n["color"]["background"] == style.WARNING_COLOR]
    # two deeply poor villages, the last township on each side, one school
    assert len(red) == 5 and all(n["unpaired"] for n in red)
    deeply_poor = [n for n in view.network.nodes if G.nodes[n["id"]]["unit"].poverty == "deeply_poor"]
    assert deeply_poor and {n["shape"] for n in deeply_poor} == {"diamond"}
    edge = next(e for e in view.network.edges if e["to"] == GAOFENG)
    assert edge["color"]["color"] == style.LEVEL_COLORS[Level.VILLAGE] and edge["dashes"] is False
    dashed = [e for e in view.network.edges if e["dashes"]]
    assert dashed and all(e["dashes"] in style.MODE_DASHES.values() for e in dashed)
    legend = [item["label"] for item in view.legend]
    assert style.LEVEL_LABELS[Level.ENTERPRISE_VILLAGE] in legend and style.MODE_LABELS["state_enterprise"] in legend


def test_as_of_before_the_pairings_shows_no_pairing(G):
    view = five_in_one(G, HELPER, HELPED, as_of=dt.date(2016, 12, 31))
    assert view.network.edges == [] and all(G.nodes[n["id"]]["side"] == "helped" for n in view.network.nodes[1:])
    assert {f["label"]: f["value"] for f in view.figures}["deeply poor villages paired"] == "0/12"
    assert "as of 2016-12-31" in to_html(view)


def test_unit_view_follows_the_chain_and_the_depth(G):
    view = unit_view(G, GAOFENG)
    ids = {n["id"] for n in view.network.nodes}
    assert ids == {GAOFENG, "520627110", HELPED, "320582400201", "320582400", HELPER}
    part_of = [e for e in view.network.edges if e.get("title") == "part of"]
    assert [(e["from"], e["to"]) for e in part_of] == [(GAOFENG, "520627110"), ("520627110", HELPED)]
    # a poor village's enterprise helps other poor villages: they are two hops away
    poor = next(n for n in G.nodes if G.nodes[n]["unit"].poverty == "poor")
    near = {n["id"] for n in unit_view(G, poor, depth=1).network.nodes}
    far = {n["id"] for n in unit_view(G, poor, depth=2).network.nodes}
    others = {n for n in G.nodes if G.nodes[n]["unit"].poverty == "poor"} - {poor}
    assert others and not others & near and others <= far
    with pytest.raises(NotFound):
        unit_view(G, "no-such-unit")


def test_gap_view_groups_every_target_by_township(G):
    view = gap_view(G, HELPED)
    captions = [b["label"] for b in view.boxes]
    assert captions[0] == "中界镇 (4/4 paired)" and captions[3] == "西部乡3 (2/4 paired)"
    assert len(captions) == 5  # four townships and the units directly under the county
    villages = [n for n in G.nodes if G.nodes[n]["kind"] == "village" and G.nodes[n]["side"] == "helped"]
    shown = {n["id"] for n in view.network.nodes}
    assert set(villages) <= shown
    red = [n for n in view.network.nodes if n["unpaired"]]
    figures = {f["label"]: f["value"] for f in view.figures}
    assert figures["targets without a partner"] == str(len(red)) == "4"
    assert all(n["size"] > 10 for n in red)
    one = gap_view(G, "520627110")
    assert len(one.boxes) == 1 and {n["id"] for n in one.network.nodes} >= {GAOFENG}


def test_national_view_aggregates_and_caps_the_nodes():
    data = national_dataset()
    city = next(u.id for u in data.units if u.kind == "city" and u.side == "helped")
    idle = Unit(id="idle", kind="county", name="无结对县", side="helped", parent_id=city)
    G = build_network(data.model_copy(update={"units": (*data.units, idle)}))
    view = national_view(G)
    assert len(view.network.nodes) == 24  # 2 sides × 2 provinces × 2 cities × 3 counties; not the idle one
    figures = {f["label"]: f["value"] for f in view.figures}
    assert figures["counties shown (with pairings or poor villages)"] == "24 of 25"
    assert figures["poor villages paired"] == "26/48"
    assert sum(e["value"] for e in view.network.edges) == 12 + 26  # county pairs + village pairs
    colours = {n["id"]: n["color"]["background"] for n in view.network.nodes}
    helped = [n["id"] for n in view.network.nodes if G.nodes[n["id"]]["side"] == "helped"]
    assert colours[helped[0]] == "#59a14f" and set(colours[h] for h in helped[1:]) == {"#f2c45a"}
    cities = national_view(G, max_nodes=20)
    assert len(cities.network.nodes) == 8 and cities.title.endswith("prefectures")
    provinces = national_view(G, max_nodes=5)
    assert len(provinces.network.nodes) == 4
    assert sum(e["value"] for e in provinces.network.edges) == 38


def test_the_program_filter_offers_each_program_of_the_pairings_drawn():
    data = pair_dataset()
    programs = ["携手奔小康", "万企帮万村", None]
    pairings = tuple(p.model_copy(update={"program": programs[i % 3]}) for i, p in enumerate(data.pairings))
    G = build_network(data.model_copy(update={"pairings": pairings}))
    view = five_in_one(G, HELPER, HELPED)
    assert {e["program"] for e in view.network.edges if "level" in e} == {"携手奔小康", "万企帮万村", ""}
    with use_language("zh"):
        filters = {field: choices for field, _caption, choices in render._filters(view)}
    assert filters["program"] == [("", "（无项目）"), ("万企帮万村", "万企帮万村"), ("携手奔小康", "携手奔小康")]
    # One program: nothing to choose.
    single = five_in_one(build_network(pair_dataset()), HELPER, HELPED)
    assert "program" not in {field for field, _caption, _choices in render._filters(single)}


def test_a_unit_paired_through_one_program_knows_how_it_looks_as_a_gap():
    G = build_network(programs_dataset())
    view = five_in_one(G, HELPER, HELPED)
    nodes = {n["id"]: n for n in view.network.nodes}
    covered = {n_id: n["coveredBy"] for n_id, n in nodes.items() if "coveredBy" in n}
    # What pairnet.graph says: the programs of the active pairings of each paired target.
    for unit_id, programs in covered.items():
        assert programs == sorted({p.program or "" for p in active_pairings(G, unit_id)})
        assert nodes[unit_id]["status"] == "paired" and nodes[unit_id]["target"]
    only_wanqi = [i for i, programs in covered.items() if programs == ["万企帮万村"]]
    assert only_wanqi
    node = nodes[only_wanqi[0]]
    assert node["gapColor"]["background"] == style.WARNING_COLOR != node["color"]["background"]
    assert node["gapTitle"].endswith("gap: paired only through 万企帮万村, not ticked")
    # The panel's rows: every poor village paired now, with the programs that pair it.
    listed = {row["id"]: row["programs"] for row in view.program_gaps}
    assert listed and all(listed[i] == covered[i] for i in listed)


def test_the_national_view_knows_each_places_coverage_per_set_of_programs():
    G = build_network(programs_dataset())
    view = national_view(G)
    node = next(n for n in view.network.nodes if n["id"] == HELPED)
    # Every program ticked: the place as drawn.
    assert node["statusWith"]["|万企帮万村|携手奔小康|"] == node["status"]
    assert node["fillWith"]["|万企帮万村|携手奔小康|"] == node["color"]["background"]
    # One program ticked: the poor villages with an active pairing of it, as pairnet.graph says.
    targets = select_targets(G, POOR_VILLAGES)
    for program in ("携手奔小康", "万企帮万村"):
        covered = sum(1 for v in targets if any(p.program == program for p in active_pairings(G, v)))
        assert node["fillWith"][program + "|"] == coverage_color(covered / len(targets))
        assert node["statusWith"][program + "|"] == ("gap" if covered < len(targets) else "paired")
    assert node["fillWith"][""] != node["fillWith"]["|万企帮万村|携手奔小康|"]


def test_national_and_unit_views_list_their_selection():
    G = build_network(national_dataset())
    view = national_view(G)
    short = [
        n["id"]
        for n in view.network.nodes
        if any(row[0] == "poor villages paired" and row[1].split("/")[0] != row[1].split("/")[1] for row in n["info"])
    ]
    assert short and [row["id"] for row in view.gaps] == short
    assert view.gaps[0]["reason"].endswith("poor villages paired")
    assert "by=county" in view.list_download and "format=xlsx" in view.list_download
    assert national_view(G, max_nodes=5).list_download.count("by=province") == 1


def test_a_unit_view_lists_the_gaps_of_its_township(G):
    view = unit_view(G, GAOFENG, as_of=dt.date(2017, 1, 1))
    township = G.nodes[GAOFENG]["parent_id"]
    expected = gap_view(G, township, as_of=dt.date(2017, 1, 1)).gaps
    assert expected and view.gaps == expected
    assert view.place["id"] == GAOFENG and view.gap_place == G.nodes[township]["name"]
    # A helper unit has no poor villages to list.
    helper_unit = next(n for n in G if G.nodes[n]["side"] == "helper" and G.nodes[n]["kind"] == "village")
    assert unit_view(G, helper_unit).gap_query == {}


@pytest.mark.parametrize("view", ["five-in-one", "unit", "gaps", "national"])
def test_pages_load_nothing_from_elsewhere(G, view):
    settings = {
        "five-in-one": {"helper": HELPER, "helped": HELPED},
        "unit": {"unit_id": GAOFENG},
        "gaps": {"within": HELPED},
        "national": {},
    }[view]
    page = map_html(G, view, **settings)
    parsed = _Page(page)
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "action", "data"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), (tag, attrs)
        assert tag not in ("iframe", "img", "object", "embed")
    assert [t for t, a in parsed.tags if t == "link"] == ["link"]  # the empty data: favicon only
    assert len(parsed.scripts) == 3 and all(a.get("src") is None for t, a in parsed.tags if t == "script")
    vendor = parsed.scripts[1]
    assert "vis-network" in vendor[:200] and "sourceMappingURL" not in vendor
    assert not re.search(r"https?://", page.replace(vendor, ""))
    assert "default-src 'none'" in page and "connect-src 'self'" in page  # the store search only


def test_hostile_names_stay_text():
    G = build_network(hostile_dataset())
    hostile_township = next(
        n for n in G.nodes if G.nodes[n]["name"].startswith(HOSTILE[0]) and G.nodes[n]["kind"] == "township"
    )
    pages = [
        map_html(G, "five-in-one", helper=HELPER, helped=HELPED),
        map_html(G, "gaps", within=hostile_township),
        map_html(G, "unit", unit_id=GAOFENG),
        map_html(G, "national"),
    ]
    for page in pages:
        parsed = _Page(page)
        assert len(parsed.scripts) == 3
        assert not [(t, a) for t, a in parsed.tags if any(k.startswith("on") for k in a)]
        assert not [t for t, _a in parsed.tags if t in ("img", "svg") and _a.get("aria-hidden") != "true"]
        for name in HOSTILE[:3]:
            assert name not in page
        assert "<script>window.__xss" not in page
    assert "&lt;img src=x onerror=" in pages[1]  # the township's name in the heading, as text
    assert "\\u003cimg src=x onerror=" in pages[0]  # and in the node data


def test_views_too_large_for_a_page_are_refused(G):
    with pytest.raises(InvalidInput, match="72 units; a map shows at most 50"):
        five_in_one(G, HELPER, HELPED, max_nodes=50, expand=["all"])
    with pytest.raises(InvalidInput, match="at most 10"):
        gap_view(G, HELPED, max_nodes=10)
    poor = next(n for n in G.nodes if G.nodes[n]["unit"].poverty == "poor")
    capped = unit_view(G, poor, depth=3, max_nodes=6)
    assert len(capped.network.nodes) == 6
    assert {"label": "truncated at", "value": "6 units"} in capped.figures


def test_map_html_rejects_an_unknown_view(G):
    with pytest.raises(ValueError, match="unknown view"):
        map_html(G, "pie-chart")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("maps") / "maps.db"))
    store.write(pair_dataset(), source="generated.xlsx")
    app = create_app(Settings(store=store.uri, read_only=True), store=store)
    with TestClient(app) as client:
        yield client
    store.close()


def test_the_index_links_every_view(client):
    page = client.get("/maps/").text
    hrefs = [a["href"] for t, a in _Page(page).tags if t == "a"]
    assert f"five-in-one?helper={HELPER}&helped={HELPED}" in hrefs
    assert f"gaps?within={HELPED}" in hrefs and "national" in hrefs
    # The workbench's bar links its pages (absolute); the index's own links are relative.
    assert {"/app/", "/app/gaps", "/maps/"} <= {href for href in hrefs if href.startswith("/")}
    for href in (href for href in hrefs if not href.startswith("/")):
        response = client.get(f"/maps/{href}")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        # The network views draw with vis-network; the geographic view is inline SVG.
        drawn_by = '<svg id="map"' if href.startswith("geo") else "vis-network"
        assert 'id="map"' in response.text and drawn_by in response.text


def test_routes_resolve_names_codes_and_paths(client):
    by_path = client.get("/maps/unit/沿河土家族自治县/中界镇/高峰村")
    assert by_path.status_code == 200 and "Unit: 高峰村" in by_path.text
    form = client.get("/maps/unit", params={"ref": GAOFENG, "depth": 2}, follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"] == f"unit/{GAOFENG}?depth=2"
    missing = client.get("/maps/gaps", params={"within": "nowhere"})
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert client.get("/maps/unit/" + GAOFENG, params={"depth": 9}).status_code == 422


def test_the_search_finds_units_across_the_store_with_their_map(client):
    found = client.get("/maps/search", params={"q": "高峰"})
    assert found.status_code == 200 and found.headers["content-type"] == "application/json"
    first = found.json()[0]
    assert (first["name"], first["code"], first["href"]) == ("高峰村", GAOFENG, f"unit/{GAOFENG}")
    assert first["parents"].endswith("沿河土家族自治县 / 中界镇")
    assert client.get(f"/maps/{first['href']}").status_code == 200
    assert [u["code"] for u in client.get("/maps/search", params={"q": HELPED}).json()][0] == HELPED
    assert client.get("/maps/search", params={"q": "nowhere-at-all"}).json() == []
    missing = client.get("/maps/search", params={"q": ""})
    assert missing.status_code == 422 and missing.headers["content-type"] == "application/problem+json"


def test_maps_without_a_date_are_as_of_today(client):
    page = client.get("/maps/gaps", params={"within": HELPED}).text
    assert f"as of {dt.date.today().isoformat()}" in page


def test_pages_carry_an_etag(client):
    first = client.get("/maps/gaps", params={"within": HELPED})
    again = client.get("/maps/gaps", params={"within": HELPED}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_cli_writes_one_self_contained_file(tmp_path):
    from typer.testing import CliRunner

    from pairnet.cli import app

    with open_store(str(tmp_path / "cli.db")) as store:
        store.write(pair_dataset(), source="generated.xlsx")
    runner = CliRunner()
    output = tmp_path / "map.html"
    result = runner.invoke(
        app, ["viz", "gaps", "--within", "沿河土家族自治县", "--store", str(tmp_path / "cli.db"), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert '<h1 id="map-title">Gaps: 沿河土家族自治县 (520627)</h1>' in page and "vis-network" in page
    assert '<html lang="en">' in page and "缺口" not in page.split("<script")[0]
    # --lang zh (or PAIRNET_LANG=zh) writes the same map in Chinese, and says so.
    chinese = tmp_path / "map-zh.html"
    for args, env in ((["--lang", "zh"], {}), ([], {"PAIRNET_LANG": "zh"})):
        result = runner.invoke(
            app,
            [*args, "viz", "gaps", "--within", "520627", "--store", str(tmp_path / "cli.db"), "-o", str(chinese)],
            env=env,
        )
        assert result.exit_code == 0, result.output
        written = chinese.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in written and '<h1 id="map-title">缺口：沿河土家族自治县 (520627)</h1>' in written
        assert "Legend" not in written and "图例" in written
        set_language("en")
    missing = runner.invoke(
        app, ["viz", "unit", "nowhere", "--store", str(tmp_path / "cli.db"), "-o", str(tmp_path / "x.html")]
    )
    assert missing.exit_code == 2 and not (tmp_path / "x.html").exists()
    # Today, unless told; --expand shows the helper units without pairings in the program.
    assert f"as of {dt.date.today().isoformat()}" in page
    store_path = str(tmp_path / "cli.db")
    for expand, hidden in (([], True), (["--expand", "all"], False)):
        result = runner.invoke(
            app,
            ["viz", "five-in-one", "--helper", HELPER, "--helped", HELPED, "--store", store_path, "-o", str(output)]
            + expand,
        )
        assert result.exit_code == 0, result.output
        assert ('id="collapsed"' in output.read_text(encoding="utf-8")) is hidden
    bad = runner.invoke(
        app,
        ["viz", "five-in-one", "--helper", HELPER, "--helped", HELPED, "--expand", "nowhere", "--store", store_path],
    )
    assert bad.exit_code == 2 and "nowhere" in bad.output


def test_the_gap_view_places_units_as_graph_does_on_the_date():
    """A village registered under a township created in 2021 is shown, in a 2018 view, under
    the township it then belonged to (graph's date-aware hierarchy), and counted as paired
    only while graph counts it covered (its partner valid on the date)."""
    import datetime as dt

    from pairnet.graph.model import Dataset, Pairing, Unit
    from pairnet.graph.network import build_network

    G = build_network(
        Dataset(
            units=(
                Unit(id="c", kind="county", name="沿河", side="helped"),
                Unit(id="old", kind="township", name="团结街道", side="helped", parent_id="c", successor_ids=("new",)),
                Unit(
                    id="new",
                    kind="township",
                    name="祐溪街道",
                    side="helped",
                    parent_id="c",
                    valid_from=dt.date(2021, 1, 1),
                ),
                Unit(id="v", kind="village", name="某村", side="helped", parent_id="new", poverty="deeply_poor"),
                Unit(id="e", kind="village", name="东村", side="helper", valid_to=dt.date(2018, 6, 30)),
            ),
            pairings=(Pairing(id="p", helper_id="e", helped_id="v", level="village"),),
        )
    )
    early = gap_view(G, "c", as_of=dt.date(2018, 1, 1))
    late = gap_view(G, "c", as_of=dt.date(2018, 12, 31))
    assert [b["label"] for b in early.boxes] == ["团结街道 (1/1 paired)"]
    assert [b["label"] for b in late.boxes] == ["团结街道 (0/1 paired)"]  # the partner is gone
    assert {n["id"] for n in late.network.nodes} == {"old", "v"}


def test_the_tooltip_and_panel_mark_an_assumed_poverty_status():
    """A real village whose poverty status a rule assigned: the map says so."""
    from pairnet.graph.model import Dataset

    village = Unit(id="v", kind="village", name="高峰村", side="helped", poverty="deeply_poor", assumed=("poverty",))
    sourced = Unit(id="w", kind="village", name="黄家洞村", side="helped", poverty="deeply_poor")
    G = build_network(Dataset(units=(village, sourced)))
    with use_language("zh"):
        rows, plain = style.node_info(G, "v"), style.node_info(G, "w")
    kind, assumed = rows[2][1], rows[-1][1]  # the kind row; the last row names what is assumed
    assert "深度贫困村*" in kind and "贫困状况" in assumed and "推定值" in assumed
    assert "*" not in plain[2][1] and len(plain) == len(rows) - 1


def test_the_national_list_names_the_places_a_program_alone_pairs():
    def unit(id_, kind, side, parent=None, poverty=None):
        return Unit(id=id_, kind=kind, name=f"{id_}名", side=side, parent_id=parent, poverty=poverty)

    G = build_network(
        Dataset(
            units=(
                unit("z", "city", "helper"),
                unit("w1", "village", "helper", "z"),
                unit("w2", "village", "helper", "z"),
                unit("y1", "county", "helped"),
                unit("v1", "village", "helped", "y1", "poor"),
                unit("y2", "county", "helped"),
                unit("v2", "village", "helped", "y2", "poor"),
            ),
            pairings=(
                Pairing(id="p1", helper_id="w1", helped_id="v1", level="village", program="甲"),
                Pairing(id="p2", helper_id="w2", helped_id="v2", level="village", program="乙"),
            ),
        )
    )
    with use_language("en"):
        view = national_view(G)
    assert view.gaps == []  # every poor village is paired, by one program or the other
    rows = {row["id"]: row for row in view.program_gaps}
    assert set(rows) == {"y1", "y2"}
    assert rows["y1"]["gapWith"] == {"": True, "甲|": False, "乙|": True, "乙|甲|": False}
    assert rows["y1"]["reasonWith"]["乙|"] == "0/1 poor villages paired"
    figure = view.figures[-1]
    assert figure["value"] == "2/2" and figure["switch"]["with"]["甲|"] == "1/2"
