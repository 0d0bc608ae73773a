"""The program filter recolours, in a real browser: unticking a program turns a unit paired
only through it into a gap (its colour, its tooltip, a row of the gap panel), and ticking it
again turns it back; the programs of each unit come from pairnet.graph in the page's data."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest

from pairnet.graph.network import build_network
from pairnet.i18n import use_language
from pairnet.maps import style
from pairnet.maps.gaps import gap_view
from pairnet.maps.programs import program_key
from pairnet.store.store import open_store
from tests.browser.test_maps_browser import LiveServer, Visit, browser  # noqa: F401 (fixtures)
from tests.support.maps_data import HELPED, HELPER, programs_dataset

pytestmark = pytest.mark.browser

WANQI = "万企帮万村"
XIESHOU = "携手奔小康"


@pytest.fixture(scope="module")
def programs_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("programs") / "programs.db"
    with open_store(str(path)) as store:
        store.write(programs_dataset(), source="generated.xlsx")
    with LiveServer(path) as server:
        yield server


@pytest.fixture
def visit(browser, programs_server):  # noqa: F811
    opened = Visit(browser, programs_server)
    yield opened
    opened.close()


def _node(page, unit_id: str) -> dict:
    return page.evaluate(
        "(id) => { const n = window.pairnetMap.nodes.get(id); return {fill: n.color.background, title: n.title}; }",
        unit_id,
    )


@pytest.mark.parametrize("view", ["five-in-one", "gaps"])
def test_unticking_a_program_shows_the_units_it_alone_pairs_as_gaps(visit, view):
    path = {"five-in-one": f"/maps/five-in-one?helper={HELPER}&helped={HELPED}", "gaps": f"/maps/gaps?within={HELPED}"}
    visit.open(path[view])
    only = visit.page.evaluate(
        "(p) => window.pairnetMap.nodes.get({filter: n => n.coveredBy && n.coveredBy.join() === p})"
        ".map(n => ({id: n.id, name: n.label}))",
        WANQI,
    )
    assert only, "the data set has units paired only through " + WANQI
    first = only[0]
    before = _node(visit.page, first["id"])
    assert before["fill"] != style.WARNING_COLOR
    listed = visit.page.locator("#gap-rows .gap-name").all_inner_texts()
    assert first["name"] not in listed

    visit.page.uncheck(f"#filters input[name=program][value='{WANQI}']")
    after = _node(visit.page, first["id"])
    assert after["fill"] == style.WARNING_COLOR
    assert f"paired only through {WANQI}" in after["title"] or f"仅通过{WANQI}" in after["title"]
    # The panel adds the poor villages of the place that only this program pairs.
    expected = visit.page.evaluate(
        "(p) => JSON.parse(document.getElementById('map-data').textContent).programGaps"
        ".filter(r => r.programs.join() === p).map(r => r.name)",
        WANQI,
    )
    names = visit.page.locator("#gap-rows .gap-name").all_inner_texts()
    assert expected and set(expected) <= set(names) and len(names) == len(listed) + len(expected)
    assert visit.page.locator("#gap-count").inner_text() == str(len(names))
    visit.screenshot(f"program-filter-{view}")

    visit.page.check(f"#filters input[name=program][value='{WANQI}']")
    assert _node(visit.page, first["id"]) == before
    assert visit.page.locator("#gap-rows .gap-name").all_inner_texts() == listed
    visit.assert_clean()


def test_the_national_view_recolours_a_place_by_the_programs_ticked(visit):
    visit.open("/maps/national")
    fill = "() => window.pairnetMap.nodes.get('520627').color.background"
    before = visit.page.evaluate(fill)
    assert before != style.WARNING_COLOR  # 14 of 16 poor villages paired, by every program
    for program in ("", WANQI):
        visit.page.uncheck(f"#filters input[name=program][value='{program}']")
    # Only 携手奔小康 ticked: under half of Yanhe's poor villages are paired through it.
    assert visit.page.evaluate(fill) == style.WARNING_COLOR
    visit.screenshot("program-filter-national")
    for program in ("", WANQI):
        visit.page.check(f"#filters input[name=program][value='{program}']")
    assert visit.page.evaluate(fill) == before
    visit.assert_clean()


def _figures(page) -> dict[str, str]:
    labels = page.locator("#figures .figure-label").all_inner_texts()
    values = page.locator("#figures .figure-value").all_inner_texts()
    return {label.rstrip(":："): value for label, value in zip(labels, values, strict=True)}


def _xlsx_names(page, href: str) -> list[str]:
    """The unit names in the gap list file the page links to (the header row left out)."""
    response = page.request.get(href)
    assert response.status == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.body()), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    column = next(row for row in rows if "name" in row or "名称" in row)
    at = column.index("name" if "name" in column else "名称")
    return sorted(str(row[at]) for row in rows[rows.index(column) + 1 :] if row[at])


def _switched(box: dict, program: str) -> str:
    """A box's caption with only ``program`` ticked: keyed among the programs of its units."""
    switch = box["switch"]
    return switch["with"][program_key({program} & set(switch["programs"]))] if switch else box["label"]


def test_the_program_filter_recounts_figures_captions_and_the_download(visit):
    visit.open(f"/maps/gaps?within={HELPED}")
    G = build_network(programs_dataset())
    with use_language("zh"):
        view = gap_view(G, HELPED, as_of=dt.date.today())
    deeply_poor = "深度贫困村已结对"
    figures = _figures(visit.page)
    assert figures[deeply_poor] == view.figures[0]["value"] == "10/12"
    captions = visit.page.evaluate("window.pairnetMap.boxes.map(b => b.label)")
    assert captions == [box["label"] for box in view.boxes]
    listed = sorted(visit.page.locator("#gap-rows .gap-name").all_inner_texts())
    href = visit.page.get_attribute("#gap-download", "href")
    assert "program=" not in href and _xlsx_names(visit.page, href) == listed

    # Only 携手奔小康 ticked: the figures, the captions and the file count its pairings alone.
    for program in ("", WANQI):
        visit.page.uncheck(f"#filters input[name=program][value='{program}']")
    key = program_key([XIESHOU])
    after = _figures(visit.page)
    assert after[deeply_poor] == view.figures[0]["switch"]["with"][key] == "3/12"
    assert after != figures
    unpaired = "无结对目标"
    # Every target of the view (townships, schools too) left without a ticked program's partner.
    assert after[unpaired] == _switched({"label": "", **view.figures[-1]}, XIESHOU) == "17"
    recaptioned = visit.page.evaluate("window.pairnetMap.boxes.map(b => b.label)")
    assert recaptioned == [_switched(box, XIESHOU) for box in view.boxes] and recaptioned != captions
    drawn = {label["text"] for label in visit.page.evaluate("window.pairnetLabels()") if label["caption"]}
    assert drawn & set(recaptioned), "a recounted caption is drawn on the map"
    shown = sorted(visit.page.locator("#gap-rows .gap-name").all_inner_texts())
    href = visit.page.get_attribute("#gap-download", "href")
    assert f"program={quote(XIESHOU)}" in href and visit.page.is_visible("#gap-download")
    assert len(shown) > len(listed) and _xlsx_names(visit.page, href) == shown
    visit.screenshot("program-filter-recount")

    # Two programs of three: the server's list cannot say so, and the page says how to get a file.
    visit.page.check(f"#filters input[name=program][value='{WANQI}']")
    assert not visit.page.is_visible("#gap-download") and visit.page.is_visible("#gap-download-note")
    visit.page.check("#filters input[name=program][value='']")
    assert _figures(visit.page) == figures
    assert visit.page.evaluate("window.pairnetMap.boxes.map(b => b.label)") == captions
    visit.assert_clean()


def _reasons(page) -> dict[str, str]:
    names = page.locator("#gap-rows .gap-name").all_inner_texts()
    return dict(zip(names, page.locator("#gap-rows .gap-reason").all_inner_texts(), strict=True))


def test_national_figures_and_tooltips_follow_the_programs_ticked(visit):
    visit.open("/maps/national")
    poor = "贫困村已结对"
    title = "() => window.pairnetMap.nodes.get('520627').title"
    assert _figures(visit.page)[poor] == "14/16" and "贫困村已结对: 14/16" in visit.page.evaluate(title)
    listed = len(_reasons(visit.page))
    assert _reasons(visit.page)["沿河土家族自治县"] == "贫困村已结对 14/16"
    for program in ("", WANQI):
        visit.page.uncheck(f"#filters input[name=program][value='{program}']")
    assert _figures(visit.page)[poor] == "4/16"
    assert "贫困村已结对: 4/16" in visit.page.evaluate(title)
    # The list of places not all paired follows, with the recounted figures.
    rows = _reasons(visit.page)
    assert rows["沿河土家族自治县"] == "贫困村已结对 4/16" and len(rows) >= listed
    assert visit.page.locator("#gap-count").inner_text() == str(len(rows))
    # Its list's file (coverage per place) counts every program: offered with all ticked only.
    assert not visit.page.is_visible("#gap-download")
    assert "全部勾选" in visit.page.locator("#gap-download-note").inner_text()
    for program in ("", WANQI):
        visit.page.check(f"#filters input[name=program][value='{program}']")
    assert visit.page.is_visible("#gap-download") and _figures(visit.page)[poor] == "14/16"
    assert len(_reasons(visit.page)) == listed and _reasons(visit.page)["沿河土家族自治县"] == "贫困村已结对 14/16"
    visit.assert_clean()
