"""The Zhangjiagang–Yanhe sample reproduces every figure of the article (F1–F19 of
DOMAIN.md), read by plain counting from a store loaded with the committed workbook, as of
2018-12-31; and the 2023 register shows what the boundary changes did to coverage."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from pairnet.graph.model import Dataset, Kind, Level, Pairing, Unit
from pairnet.imports import import_file
from pairnet.loaders import read_dataset
from pairnet.loaders.register import read_register
from pairnet.store.store import open_store

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhangjiagang-yanhe"
WORKBOOK = SAMPLE / "zhangjiagang-yanhe.xlsx"
REGISTER = Path(__file__).resolve().parents[1] / "fixtures" / "register"
Y2017, Y2018, Y2023 = dt.date(2017, 12, 31), dt.date(2018, 12, 31), dt.date(2023, 12, 31)
ZJG, YANHE = "320582", "520627"


class Sample:
    """A snapshot with the few lookups the figures need."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.units: dict[str, Unit] = {u.id: u for u in dataset.units}

    def named(self, name: str, kind: Kind | None = None) -> Unit:
        (found,) = [u for u in self.dataset.units if u.name == name and (kind is None or u.kind == kind)]
        return found

    def children(self, parent: str, kind: Kind, as_of: dt.date | None) -> list[Unit]:
        return [u for u in self.dataset.units if u.parent_id == parent and u.kind == kind and u.valid_on(as_of)]

    def pairings(self, level: Level, as_of: dt.date | None = Y2018) -> list[Pairing]:
        return [
            p
            for p in self.dataset.pairings
            if p.level == level
            and p.active_on(as_of)
            and self.units[p.helper_id].valid_on(as_of)
            and self.units[p.helped_id].valid_on(as_of)
        ]

    def helper(self, pairing: Pairing) -> Unit:
        return self.units[pairing.helper_id]

    def helped(self, pairing: Pairing) -> Unit:
        return self.units[pairing.helped_id]

    def flows(self, kind: str, note: str = "") -> list:
        return [f for f in self.dataset.flows if f.kind == kind and note in (f.note or "")]

    def total(self, kind: str, note: str = "") -> float:
        return sum(f.amount for f in self.flows(kind, note))

    def deeply_poor(self) -> set[str]:
        return {u.id for u in self.dataset.units if u.poverty == "deeply_poor"}

    def paired_villages(self, as_of: dt.date) -> set[str]:
        return {p.helped_id for level in (Level.VILLAGE, Level.ENTERPRISE_VILLAGE) for p in self.pairings(level, as_of)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Sample:
    with open_store(str(tmp_path_factory.mktemp("sample") / "s.db")) as store:
        import_file(store, WORKBOOK)
        return Sample(store.snapshot())


def _content(dataset: Dataset) -> list[list[dict]]:
    return [
        [r.model_dump(exclude={"source"}) for r in records]
        for records in (dataset.units, dataset.pairings, dataset.flows)
    ]


def test_the_workbook_and_the_csv_folder_hold_the_same_dataset():
    from_workbook, from_csvs = read_dataset(WORKBOOK), read_dataset(SAMPLE)
    assert from_workbook.counts() == from_csvs.counts() == {"units": 965, "pairings": 172, "flows": 165}
    assert _content(from_workbook) == _content(from_csvs)


def test_the_committed_files_are_what_build_py_makes_from_the_register(tmp_path):
    spec = importlib.util.spec_from_file_location("sample_build", SAMPLE / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.write_sample(build.build(REGISTER), tmp_path, stem="zhangjiagang-yanhe")
    for name in ("units.csv", "pairings.csv", "flows.csv", "zhangjiagang-yanhe.xlsx"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_the_store_holds_what_the_workbook_holds(sample):
    ordered = lambda dataset: sorted(_content(dataset)[0], key=lambda row: row["id"])  # noqa: E731
    assert ordered(sample.dataset) == ordered(read_dataset(WORKBOOK))


def test_divisions_are_the_real_register(sample):
    register = read_register(REGISTER, within=YANHE, side="helped")
    for unit in register.units:
        assert (sample.units[unit.id].name, sample.units[unit.id].parent_id) == (unit.name, unit.parent_id)
    assert sample.units["520627110217"].name == "高峰村"
    assert sample.units["320582100212"].name == "善港村"


@pytest.mark.parametrize(
    ("as_of", "yanhe_townships", "zjg_townships"),
    [(Y2018, 22, 13), (Y2023, 23, 15)],
)
def test_township_units_in_2018_and_in_the_2023_register(sample, as_of, yanhe_townships, zjg_townships):
    yanhe = sample.children(YANHE, Kind.TOWNSHIP, as_of)
    zjg = sample.children(ZJG, Kind.TOWNSHIP, as_of)
    assert (len(yanhe), len(zjg)) == (yanhe_townships, zjg_townships)
    assert ("祐溪街道" in {u.name for u in yanhe}) == (as_of == Y2023)
    assert ("金港镇" in {u.name for u in zjg}) == (as_of == Y2018)


def test_villages_of_the_2023_register(sample):
    def villages(county: str) -> int:
        townships = {u.id for u in sample.dataset.units if u.parent_id == county and u.kind == Kind.TOWNSHIP}
        return sum(
            1 for u in sample.dataset.units if u.kind == Kind.VILLAGE and u.parent_id in townships and u.valid_on(Y2023)
        )

    assert (villages(YANHE), villages(ZJG)) == (446, 273)


def test_boundary_changes_are_successor_links(sample):
    assert set(sample.named("金港镇").successor_ids) == {
        sample.named(n, Kind.TOWNSHIP).id for n in ("金港街道", "后塍街道", "德积街道")
    }
    assert sample.named("团结街道").successor_ids == (sample.named("祐溪街道").id,)


def test_f1_twelve_department_pairs_with_framework_agreements(sample):
    departments = sample.pairings(Level.DEPARTMENT)
    assert len(departments) == 12
    assert len({p.helper_id for p in departments}) == len({p.helped_id for p in departments}) == 12
    assert all("框架协议" in p.agreement for p in departments)
    (governments,) = [p for p in sample.pairings(Level.GOVERNMENT) if sample.helper(p).kind == Kind.GOVERNMENT]
    assert "框架协议" in governments.agreement and not governments.placeholder


def test_f2_ten_towns_and_twenty_two_townships_both_fully_covered(sample):
    townships = sample.pairings(Level.TOWNSHIP)
    helpers = {sample.helper(p).name for p in townships}
    helped = {p.helped_id for p in townships}
    assert helpers == {
        "杨舍镇",
        "塘桥镇",
        "金港镇",
        "锦丰镇",
        "乐余镇",
        "凤凰镇",
        "南丰镇",
        "大新镇",
        "张家港市现代农业示范园区",
        "双山岛旅游度假区",
    }
    assert helped == {u.id for u in sample.children(YANHE, Kind.TOWNSHIP, Y2018)}
    assert len(helped) == 22


def test_f3_eighteen_village_pairs_with_shangang_to_gaofeng(sample):
    pairs = [p for p in sample.pairings(Level.VILLAGE) if p.mode is None]
    assert len(pairs) == len({p.helper_id for p in pairs}) == 18
    assert all(sample.helper(p).kind == Kind.VILLAGE for p in pairs)
    assert {p.helped_id for p in pairs} <= sample.deeply_poor() and len({p.helped_id for p in pairs}) == 18
    (real,) = [p for p in pairs if not p.placeholder]
    assert (sample.helper(real).name, sample.helped(real).name) == ("善港村", "高峰村")
    assert sample.helped(real).parent_id == sample.named("中界镇").id


@pytest.mark.parametrize(("ownership", "firms", "deeply_poor", "poor"), [("state", 6, 6, 0), ("private", 12, 10, 2)])
def test_f4_f5_enterprise_village_pairs(sample, ownership, firms, deeply_poor, poor):
    pairs = [p for p in sample.pairings(Level.ENTERPRISE_VILLAGE) if sample.helper(p).ownership == ownership]
    assert len({p.helper_id for p in pairs}) == firms
    poverty = Counter(sample.helped(p).poverty.value for p in pairs)
    assert (poverty["deeply_poor"], poverty["poor"], len(pairs)) == (deeply_poor, poor, deeply_poor + poor)


def test_f6_three_parks_co_build_the_yanhe_park(sample):
    parks = sample.pairings(Level.PARK)
    assert Counter(sample.helper(p).rank.value for p in parks) == {"national": 2, "provincial": 1}
    assert {sample.helped(p).name for p in parks} == {"贵州省级沿河经济开发区"}


def test_f7_all_fifty_deeply_poor_villages_paired_by_2018_fewer_in_2017(sample):
    deeply_poor = sample.deeply_poor()
    assert len(deeply_poor) == 50
    assert all(sample.units[v].side == "helped" for v in deeply_poor)
    assert deeply_poor <= sample.paired_villages(Y2018)
    assert 0 < len(deeply_poor & sample.paired_villages(Y2017)) < 50
    modes = {p.mode for p in sample.pairings(Level.VILLAGE) if p.mode is not None}
    assert len(modes) == 6 and all(p.start.year == 2018 for p in sample.pairings(Level.VILLAGE) if p.mode)


def test_f8_funds_projects_townships_villages_and_people(sample):
    funds = sample.flows("funds")
    assert sample.total("funds") == 6594
    assert len({f.project for f in funds}) == 63
    villages = {f.to_id for f in funds}
    assert len(villages) == 72 and all(sample.units[v].kind == Kind.VILLAGE for v in villages)
    assert len({sample.units[v].parent_id for v in villages}) == 21
    assert {sample.units[f.from_id].kind for f in funds} == {Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWNSHIP}
    assert sample.total("people_lifted") == 9223


def test_f9_school_pairs_cover_townships_schools_and_stages(sample):
    schools = sample.pairings(Level.SCHOOL)
    helper_parents = Counter(
        sample.units[sample.helper(p).parent_id].kind for p in {p.helper_id: p for p in schools}.values()
    )
    helped_parents = Counter(
        sample.units[sample.helped(p).parent_id].kind for p in {p.helped_id: p for p in schools}.values()
    )
    assert helper_parents == {Kind.DEPARTMENT: 11, Kind.TOWNSHIP: 51}
    assert helped_parents == {Kind.DEPARTMENT: 12, Kind.TOWNSHIP: 63}
    yanhe_schools = [u for u in sample.dataset.units if u.kind == Kind.SCHOOL and u.side == "helped"]
    assert {u.id for u in yanhe_schools} == {p.helped_id for p in schools}
    assert {u.parent_id for u in yanhe_schools if sample.units[u.parent_id].kind == Kind.TOWNSHIP} == {
        u.id for u in sample.children(YANHE, Kind.TOWNSHIP, Y2018)
    }
    assert {u.stage for u in yanhe_schools} == {sample.helped(p).stage for p in schools}
    assert all(sample.helper(p).stage == sample.helped(p).stage for p in schools)


@pytest.mark.parametrize(
    ("kind", "note", "total"),
    [
        ("teachers", "F10", 34),
        ("trainees", "F10", 20),
        ("students", "F11", 214),
        ("cadres_trained", "trained in Yanhe", 82),
        ("cadres_seconded", "paired townships", 141),
        ("cadres_seconded", "seconded to Zhangjiagang", 31),
        ("cadres_trained", "trained in Zhangjiagang", 167),
        ("entrepreneurs_trained", "F13", 186),
        ("businesses_started", "F13", 33),
        ("experts", "F13", 8),
        ("technologies", "F13", 14),
        ("meetings", "high-level", 2),
        ("meetings", "department meetings", 2),
        ("visit_batches", "visiting Yanhe", 146),
        ("visits", "visiting Yanhe", 1682),
        ("visit_batches", "visiting Zhangjiagang", 50),
        ("visits", "visiting Zhangjiagang", 896),
        ("workers_placed", "F15", 103),
        ("financing", "F16", 15000),
        ("donation_money", "F17", 508),
        ("donation_goods", "F17", 95),
    ],
)
def test_f10_to_f17_flow_sums(sample, kind, note, total):
    assert sample.total(kind, note) == total


def test_f10_to_f17_directions_and_colleges(sample):
    sides = lambda flows: {(sample.units[f.from_id].side.value, sample.units[f.to_id].side.value) for f in flows}  # noqa: E731
    assert sides(sample.flows("teachers")) == {("helper", "helped")}
    assert sides(sample.flows("visits", "visiting Zhangjiagang")) == {("helped", "helper")}
    assert {sample.units[f.to_id].name for f in sample.flows("students")} == {"沙洲职业工学院"}
    assert {sample.units[f.from_id].name for f in sample.flows("entrepreneurs_trained")} == {"善港农村干部学院"}
    assert sample.total("donation_money") + sample.total("donation_goods") == 603
    assert all(
        f.year == 2018 for kind in ("cadres_seconded", "visits", "meetings", "technologies") for f in sample.flows(kind)
    )


def test_f15_f18_organisations(sample):
    groups = [u for u in sample.dataset.units if "领导小组" in u.name]
    assert Counter(u.side.value for u in groups) == {"helper": 1, "helped": 1}
    leads = {u.side.value: u.note.split("牵头单位 ")[1] for u in groups}
    assert sample.named(leads["helper"]).kind == Kind.DEPARTMENT and "发展和改革委员会" in leads["helper"]
    assert sample.named(leads["helped"]).kind == Kind.DEPARTMENT and "扶贫" in leads["helped"]
    office = sample.named("沿河土家族自治县驻张家港市东西部扶贫协作办事处")
    assert (office.kind, office.side.value) == (Kind.OFFICE, "helped")
    station = [u for u in sample.dataset.units if "劳务协作服务站" in u.name]
    assert len(station) == 1 and station[0].placeholder


def test_f19_seven_assessment_dimensions(sample):
    (agreement,) = [p.agreement for p in sample.pairings(Level.GOVERNMENT) if p.agreement]
    for dimension in ("组织领导", "人才支援", "资金支援", "产业合作", "劳务协作", "社会帮扶", "携手奔小康"):
        assert dimension in agreement


def test_2023_youxi_street_has_no_township_partner(sample):
    partnered = {p.helped_id for p in sample.pairings(Level.TOWNSHIP, Y2023)}
    yanhe = {u.id: u.name for u in sample.children(YANHE, Kind.TOWNSHIP, Y2023)}
    assert {yanhe[t] for t in set(yanhe) - partnered} == {"祐溪街道"}
    helpers = {sample.helper(p).name for p in sample.pairings(Level.TOWNSHIP, Y2023)}
    assert "金港街道" in helpers and not helpers & {"金港镇", "后塍街道", "德积街道"}


def test_placeholders_are_marked(sample):
    invented = [u for u in sample.dataset.units if "（示例）" in u.name]
    assert invented and all(u.placeholder for u in invented)
    real = [p for p in sample.dataset.pairings if not p.placeholder]
    assert {(sample.helper(p).name, sample.helped(p).name) for p in real if p.level == Level.VILLAGE} == {
        ("善港村", "高峰村")
    }
    assert all(p.placeholder for p in sample.pairings(Level.TOWNSHIP))
