"""The program filter recolours, in a real browser: unticking a program turns a unit paired
only through it into a gap (its colour, its tooltip, a row of the gap panel), and ticking it
again turns it back; the programs of each unit come from pairnet.graph in the page's data."""

from __future__ import annotations

import pytest

from pairnet.maps import style
from pairnet.store.store import open_store
from tests.browser.test_maps_browser import LiveServer, Visit, browser  # noqa: F401 (fixtures)
from tests.support.maps_data import HELPED, HELPER, programs_dataset

pytestmark = pytest.mark.browser

WANQI = "万企帮万村"


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
