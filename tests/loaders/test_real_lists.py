"""Real planners' lists load as they are (issue 14): a provincial office's county-pairs sheet
and a province/prefecture list, against the division register, with a mapping file and no
edits; the answers of coverage and gaps before and after the year-only starts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.graph.coverage import coverage
from pairnet.graph.errors import InvalidInput
from pairnet.graph.gaps import gaps
from pairnet.graph.model import Level
from pairnet.graph.network import build_network
from pairnet.imports import import_dataset, import_file
from pairnet.loaders import read_dataset
from pairnet.loaders.register import read_register
from pairnet.store.store import open_store
from tests.support.loader_files import write_xlsx

REGISTER = Path(__file__).resolve().parents[1] / "fixtures" / "register"
TONGREN_COUNTIES = 10

MAPPING = """
[sheets]
"县级结对" = "pairings"
"省市结对" = "pairings"

[columns.pairings]
"结对年份" = "start"

[paths.pairings]
helper = ["所属地市", "东部县（市、区）"]
helped = ["所属州市", "西部县（区）"]
"""

# As a provincial office publishes it: a title row, 序号, the county beside its city,
# short names (沿河县), a year, a year and month, and a number typed as 2017.3.
COUNTY_PAIRS = [
    ["东部县（市、区）与铜仁市县（区）结对名单"],
    ["序号", "东部县（市、区）", "所属地市", "西部县（区）", "所属州市", "结对年份"],
    [1, "张家港市", "苏州市", "沿河县", "铜仁市", "2017"],
    [2, "常熟市", "苏州市", "思南县", "铜仁市", "2017年"],
    [3, "江北区", "宁波市", "江口县", "铜仁市", "2018年3月"],  # 江北区 is also in 重庆市
    [4, "河西区", "天津市", "石阡县", "铜仁市", 2017.3],  # 天津市/市辖区/河西区
    [5, "昆山市", "苏州市", "碧江区", "铜仁市", 2018],
]
# The national list: joined names, and level words that are the units' rank.
PROVINCE_PAIRS = [
    ["帮扶方", "受帮扶方", "层级", "结对年份"],
    ["江苏省", "贵州省", "省级", "2016"],
    ["江苏省苏州市", "贵州省铜仁市", "地级", "2013年"],
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("real-lists")
    store = str(folder / "pairs.db")
    runner = CliRunner()
    # The whole register, once, for both sides: the pairings give the units their roles.
    whole = runner.invoke(app, ["load-register", str(REGISTER), "--store", store])
    assert whole.exit_code == 0, whole.output
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    # One mapping for both files: the national list has its own helper and helped columns.
    for name, rows in (("县级结对", COUNTY_PAIRS), ("省市结对", PROVINCE_PAIRS)):
        sheet = write_xlsx(folder / f"{name}.xlsx", {name: rows})
        result = runner.invoke(app, ["load", str(sheet), "--mapping", str(mapping), "--store", store])
        assert result.exit_code == 0, result.output
    return Path(store)


def _network(store: Path):
    with open_store(str(store)) as opened:
        return build_network(opened.snapshot())


def test_the_lists_load_with_a_mapping_and_no_edits(loaded):
    G = _network(loaded)
    pairs = {(p.helper_id, p.helped_id): p for _, _, p in G.edges(data="pairing")}
    assert set(pairs) == {
        ("320582", "520627"),  # 张家港市 → 沿河县 (沿河土家族自治县)
        ("320581", "520624"),  # 常熟市 → 思南县
        ("330205", "520621"),  # 江北区 of 宁波市, not of 重庆市 → 江口县
        ("120103", "520623"),  # 天津市/市辖区/河西区 → 石阡县
        ("320583", "520602"),  # 昆山市 → 碧江区
        ("32", "52"),  # 江苏省 → 贵州省
        ("3205", "5206"),  # 江苏省苏州市 → 贵州省铜仁市
    }
    assert {p.level for p in pairs.values()} == {Level.GOVERNMENT}
    assert pairs[("330205", "520621")].start == dt.date(2018, 3, 1)
    assert pairs[("120103", "520623")].start == dt.date(2017, 3, 1)
    assert pairs[("3205", "5206")].start == dt.date(2013, 1, 1)
    # The period as written stays in provenance.
    assert pairs[("320581", "520624")].note == "结对年份原文：2017年"


@pytest.mark.parametrize(
    ("as_of", "covered"),
    [
        (dt.date(2016, 12, 31), set()),
        (dt.date(2017, 1, 1), {"520627", "520624"}),
        (dt.date(2017, 3, 1), {"520627", "520624", "520623"}),
        (dt.date(2017, 12, 31), {"520627", "520624", "520623"}),
        (dt.date(2018, 1, 1), {"520627", "520624", "520623", "520602"}),
        (dt.date(2018, 3, 1), {"520627", "520624", "520623", "520602", "520621"}),
    ],
)
def test_coverage_and_gaps_of_the_helped_prefecture_before_and_after_the_starts(loaded, as_of, covered):
    G = _network(loaded)
    # The helped side is a role: 铜仁市 is helped in the national list, so its counties are
    # helped, paired or not.
    result = coverage(G, kind="county", side="helped", within="5206", as_of=as_of)
    assert (result["targets"], result["covered"]) == (TONGREN_COUNTIES, len(covered))
    missing = {row["id"] for row in gaps(G, kind="county", side="helped", within="5206", as_of=as_of)}
    assert len(missing) == TONGREN_COUNTIES - len(covered) and not missing & covered


def test_roles_come_from_the_pairings_after_one_register_load(loaded):
    G = _network(loaded)
    helped_counties = coverage(G, kind="county", side="helped", as_of=dt.date(2018, 12, 31))
    helper_counties = coverage(G, kind="county", side="helper", as_of=dt.date(2018, 12, 31))
    # Guizhou's counties below 铜仁市, and 黄平县 of 黔东南 (below 贵州省, helped by 江苏省).
    assert helped_counties["targets"] == TONGREN_COUNTIES + 1
    # The counties of the helping cities (苏州市, and 宁波市/天津市 through their paired districts only).
    assert helper_counties["covered"] == 5
    assert {row["id"] for row in gaps(G, kind="county", side="helper", within="3205")} == {
        "320505",
        "320506",
        "320507",
        "320508",
        "320509",
        "320585",
    }


def test_without_its_city_column_the_name_is_ambiguous_and_says_where_each_lies(tmp_path):
    register = read_register(REGISTER, side="helper")
    sheet = write_xlsx(tmp_path / "pairings.xlsx", {"pairings": [["帮扶方", "受帮扶方"], ["江北区", "江口县"]]})
    with pytest.raises(InvalidInput) as caught:
        read_dataset(sheet, known=register)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, "帮扶方")
    assert "浙江省/宁波市/江北区 [330205]" in problem.message and "重庆市/市辖区/江北区 [500105]" in problem.message


def test_two_rows_for_the_same_pairing_are_one_error_naming_both(tmp_path):
    sheet = write_xlsx(
        tmp_path / "pairings.xlsx",
        {
            "pairings": [
                ["帮扶方", "受帮扶方", "开始日期"],
                ["张家港市", "沿河县", "2017"],
                ["张家港市", "沿河县", "2018"],
            ]
        },
    )
    with pytest.raises(InvalidInput) as caught:
        read_dataset(sheet, known=_east_west())
    (problem,) = caught.value.problems
    assert problem.row == 3 and "rows 2 and 3" in problem.message


def test_a_corrected_start_updates_the_pairing_instead_of_adding_one(tmp_path):
    with open_store(str(tmp_path / "s.db")) as store:
        import_dataset(store, _east_west(), source="register")
        for start in ("2017", "2017年3月"):
            sheet = write_xlsx(
                tmp_path / "pairings.xlsx",
                {"pairings": [["帮扶方", "受帮扶方", "开始日期"], ["张家港市", "沿河县", start]]},
            )
            import_file(store, sheet, confirm=True)  # the second changes every record of the file
        (pairing,) = store.snapshot().pairings
    assert pairing.start == dt.date(2017, 3, 1)


def _east_west():
    east = read_register(REGISTER, within="320582", side="helper")
    west = read_register(REGISTER, within="520627", side="helped")
    return type(east)(units=(*east.units, *west.units))
