"""Roles belong to pairings (issue 14.1): after ONE load of the register, with no side, a
Jiangsu county helps a Guizhou county in one program and is helped by a southern Jiangsu
city in another; a units sheet without 方向 loads; coverage and gaps of each program count
that program's roles and pairings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.graph.coverage import coverage
from pairnet.graph.full_coverage import two_way_coverage
from pairnet.graph.gaps import gaps
from pairnet.graph.index import network_index
from pairnet.graph.network import build_network
from pairnet.store.store import open_store
from tests.support.api import client_for
from tests.support.loader_files import write_xlsx

REGISTER = Path(__file__).resolve().parents[1] / "fixtures" / "register"
AS_OF = dt.date(2019, 12, 31)
EAST_WEST, NORTH_SOUTH = "东西部协作", "南北挂钩"

# A northern Jiangsu city and county the register extract lacks, as a planner adds them:
# no 方向 column; the rows with a parent inherit, the others have no side.
UNITS = [
    ["编码", "名称", "类型", "上级"],
    ["3213", "宿迁市", "地级市", "江苏省"],
    ["321323", "泗阳县", "县", "宿迁市"],
    ["321323100", "众兴镇", "镇", "泗阳县"],
    ["321323101", "爱园镇", "镇", "泗阳县"],
]
PAIRINGS = [
    ["帮扶方", "受帮扶方", "帮扶计划", "开始日期"],
    ["泗阳县", "黄平县", EAST_WEST, "2017"],  # a Jiangsu county helps a Guizhou county
    ["苏州市", "泗阳县", NORTH_SOUTH, "2017"],  # and is helped by a southern Jiangsu city
    ["张家港市", "沿河县", EAST_WEST, "2017"],
    ["杨舍镇", "众兴镇", NORTH_SOUTH, "2018"],
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("roles")
    store = str(folder / "roles.db")
    runner = CliRunner()
    once = runner.invoke(app, ["load-register", str(REGISTER), "--store", store])
    assert once.exit_code == 0, once.output
    for name, rows in (("units", UNITS), ("pairings", PAIRINGS)):
        result = runner.invoke(app, ["load", str(write_xlsx(folder / f"{name}.xlsx", {name: rows})), "--store", store])
        assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="module")
def G(store):
    with open_store(store) as opened:
        return build_network(opened.snapshot())


def test_a_units_sheet_without_a_side_column_loads(G):
    assert G.nodes["321323101"]["unit"].parent_id == "321323"
    assert {G.nodes[u]["unit"].side for u in ("3213", "321323", "321323100", "321323101")} == {None}


def test_a_county_helps_in_one_program_and_is_helped_in_another(G):
    index = network_index(G)
    assert index.helps("321323", EAST_WEST) and not index.helps("321323", NORTH_SOUTH)
    assert index.sides(NORTH_SOUTH)["321323"] == {"helped"}
    assert G.nodes["321323"]["sides"] == {"helper", "helped"}
    # A township without pairings takes its county's role in each program.
    assert index.sides(EAST_WEST)["321323101"] == {"helper"}
    assert index.sides(NORTH_SOUTH)["321323101"] == {"helped"}


def test_coverage_of_each_program_counts_its_roles_and_pairings(G):
    # 东西部协作: the helped counties are Guizhou's (黄平县's and 沿河's pairings make them
    # helped, and 铜仁市's other counties have no role in it); 泗阳县 is a helper there.
    east_west = coverage(G, kind="county", side="helped", program=EAST_WEST, as_of=AS_OF)
    assert (east_west["targets"], east_west["covered"]) == (2, 2)
    assert east_west["asked"]["program"] == EAST_WEST
    # Its helpers: 张家港市 and 泗阳县, not the other counties of 苏州市 (no role in it).
    helpers = gaps(G, kind="county", side="helper", program=EAST_WEST, as_of=AS_OF)
    assert coverage(G, kind="county", side="helper", program=EAST_WEST, as_of=AS_OF)["targets"] == 2
    assert not helpers
    # 南北挂钩: 泗阳县 is helped and covered; of its townships 众兴镇 is paired, 爱园镇 not.
    north_south = coverage(G, kind="county", side="helped", program=NORTH_SOUTH, as_of=AS_OF)
    assert (north_south["targets"], north_south["covered"]) == (1, 1)
    towns = gaps(G, kind="township", side="helped", program=NORTH_SOUTH, as_of=AS_OF)
    assert [row["name"] for row in towns] == ["爱园镇"]
    # In 东西部协作 the same townships are on the helper side: no helped gap there.
    assert not gaps(G, kind="township", side="helped", program=EAST_WEST, within="321323", as_of=AS_OF)
    # 苏州市 and its counties are on the helper side of 南北挂钩: no helped targets there.
    assert coverage(G, kind="county", side="helped", program=NORTH_SOUTH, within="3205", as_of=AS_OF)["targets"] == 0


def test_two_way_coverage_takes_the_helper_set_from_the_program(G):
    result = two_way_coverage(G, level="government", program=NORTH_SOUTH, as_of=AS_OF)
    assert result["helper_set"] == "pairings"
    assert (result["helper"]["targets"], result["helper"]["covered"]) == (1, 1)  # 苏州市
    assert (result["helped"]["targets"], result["helped"]["covered"]) == (1, 1)  # 泗阳县


def test_gaps_before_the_start_name_the_program_pairing(G):
    before = gaps(G, kind="township", side="helped", program=NORTH_SOUTH, as_of=dt.date(2017, 6, 30))
    assert {row["name"]: row["status"] for row in before} == {"爱园镇": "never_paired", "众兴镇": "not_yet_started"}


def test_the_program_is_asked_from_the_cli_and_the_api(store):
    """``--program`` / ``?program=``: the answer counts the program's roles and says so."""
    runner = CliRunner()
    argv = ["gaps", "--kind", "township", "--program", NORTH_SOUTH, "--as-of", "2019-12-31", "-f", "json"]
    from_cli = runner.invoke(app, [*argv, "--store", store])
    assert from_cli.exit_code == 0, from_cli.output
    answer = json.loads(from_cli.stdout)
    assert answer["asked"]["program"] == NORTH_SOUTH and [g["name"] for g in answer["gaps"]] == ["爱园镇"]
    with open_store(store) as opened:
        client = client_for(opened)
        page = client.get(
            "/analyses/gaps", params={"kind": "township", "program": NORTH_SOUTH, "as_of": "2019-12-31"}
        ).json()
        assert page["asked"] == answer["asked"] and page["items"] == answer["gaps"]
        two_way = client.get(
            "/analyses/coverage/two-way", params={"level": "government", "program": NORTH_SOUTH, "as_of": "2019-12-31"}
        ).json()
        assert (two_way["helper"]["targets"], two_way["helped"]["targets"], two_way["full"]) == (1, 1, True)


def test_balance_of_a_program_counts_only_its_pairings_in_the_helpers_loads(store):
    """泗阳县 helps 黄平县 in 东西部协作 and is helped by 苏州市 in 南北挂钩: the balance of
    each program loads the helpers of that program only, the same from the CLI and the API."""
    runner = CliRunner()
    loads = {}
    for program in (EAST_WEST, NORTH_SOUTH, None):
        argv = ["balance", "--as-of", "2019-12-31", "-f", "json", "--store", store]
        from_cli = runner.invoke(app, argv + (["--program", program] if program else []))
        assert from_cli.exit_code == 0, from_cli.output
        answer = json.loads(from_cli.stdout)
        with open_store(store) as opened:
            params = {"as_of": "2019-12-31", **({"program": program} if program else {})}
            assert client_for(opened).get("/analyses/balance", params=params).json() == answer
        assert answer["program"] == program
        loads[program] = {(row["helper"], row["level"]): row["pairings"] for row in answer["rows"]}
    assert loads[EAST_WEST] == {("泗阳县", "government"): 1, ("张家港市", "government"): 1}
    assert loads[NORTH_SOUTH] == {("苏州市", "government"): 1, ("杨舍镇", "township"): 1}
    assert loads[None] == loads[EAST_WEST] | loads[NORTH_SOUTH]
