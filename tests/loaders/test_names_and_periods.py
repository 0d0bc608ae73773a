"""Place names as people write them, periods as dates, references built from several
columns, and ``load-register --within`` by code at any length or by name (issue 14)."""

from __future__ import annotations

import datetime as dt
import doctest
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet import loaders
from pairnet.cli import app
from pairnet.graph.errors import InvalidInput
from pairnet.graph.model import Kind
from pairnet.loaders import read_dataset
from pairnet.loaders.dates import parse_date, parse_end_date
from pairnet.loaders.headers import load_mapping
from pairnet.loaders.references import RefError, Resolver
from pairnet.loaders.register import read_register
from pairnet.loaders.values import CellError
from tests.support.loader_files import write_xlsx

REGISTER = Path(__file__).resolve().parents[1] / "fixtures" / "register"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver([], known=read_register(REGISTER, side="helped").units)


def test_the_module_examples_run():
    for module in (loaders.names, loaders.values, loaders.dates, loaders.references):
        assert doctest.testmod(module).failed == 0, module.__name__


@pytest.mark.parametrize(
    ("cell", "start", "end"),
    [
        ("2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        ("2017年", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        (2017, dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        ("2017-03", dt.date(2017, 3, 1), dt.date(2017, 3, 31)),
        ("2017年3月", dt.date(2017, 3, 1), dt.date(2017, 3, 31)),
        ("2017.3", dt.date(2017, 3, 1), dt.date(2017, 3, 31)),
        ("2017/3", dt.date(2017, 3, 1), dt.date(2017, 3, 31)),
        (2017.3, dt.date(2017, 3, 1), dt.date(2017, 3, 31)),
        ("2016年2月", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2018年12月31日", dt.date(2018, 12, 31), dt.date(2018, 12, 31)),
    ],
)
def test_a_period_starts_on_its_first_day_and_ends_on_its_last(cell, start, end):
    assert (parse_date(cell), parse_end_date(cell)) == (start, end)


@pytest.mark.parametrize(
    ("cell", "message"),
    [("2018-02-30", "no such day"), ("2017-13", "no such month"), ("1066年", "not a plausible year")],
)
def test_impossible_dates_say_why(cell, message):
    with pytest.raises(CellError) as caught:
        parse_date(cell)
    assert caught.value.message == message


def test_a_unit_valid_to_a_year_is_valid_through_its_last_day(tmp_path):
    units = [["名称", "类型", "方向", "生效日期", "失效日期"], ["某镇", "镇", "西部", "2015年7月", "2020"]]
    (unit,) = read_dataset(write_xlsx(tmp_path / "units.xlsx", {"units": units})).units
    assert (unit.valid_from, unit.valid_to) == (dt.date(2015, 7, 1), dt.date(2020, 12, 31))
    assert unit.note == "生效日期原文：2015年7月；失效日期原文：2020"


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("河北省张家口市", "1307"),
        ("江苏省苏州市张家港市", "320582"),
        ("江苏省苏州市/张家港市", "320582"),
        ("天津市/河西区", "120103"),  # skips 市辖区
        ("重庆市/丰都县", "500230"),  # skips 县
        ("湖北省/仙桃市", "429004"),  # skips 省直辖县级行政区划
        ("贵州省/沿河县", "520627"),  # any ordered subset of ancestors
        ("沿河县", "520627"),
        ("沿河", "520627"),
        ("铜仁", "5206"),
        ("黔东南州", "5226"),
        ("5206", "5206"),
        ("520600", "5206"),
        ("520600000000", "5206"),
        ("520627110217", "520627110217"),
        ("宁波市/江北区", "330205"),
        ("重庆市江北区", "500105"),
        ("河西区", "120103"),  # a 区 is a county, not the village committee 河西区居委会
    ],
)
def test_names_as_people_write_them(resolver, reference, code):
    assert resolver.resolve(reference).code == code


def test_a_path_naming_the_parent_wins_over_one_that_skips_levels():
    from pairnet.graph.model import Unit

    county = Unit(id="c", kind="county", name="张家港市", side="helper")
    town = Unit(id="t", kind="township", name="杨舍镇", side="helper", parent_id="c")
    under_county = Unit(id="v1", kind="village", name="新村", side="helper", parent_id="c")
    under_town = Unit(id="v2", kind="village", name="新村", side="helper", parent_id="t")
    resolver = Resolver([], known=[county, town, under_county, under_town])
    assert resolver.resolve("张家港市/新村").id == "v1"
    assert resolver.resolve("张家港市/杨舍镇/新村").id == "v2"


def test_the_column_kinds_choose_among_units_of_one_name(resolver):
    assert resolver.resolve("河西区", kinds={Kind.VILLAGE}).code == "231025400405"
    with pytest.raises(RefError) as caught:
        resolver.resolve("江北区", kinds={Kind.COUNTY})
    assert caught.value.ambiguous and "[330205]" in caught.value.message and "[500105]" in caught.value.message


def test_unknown_names_list_the_nearest_units_without_contradiction(resolver):
    with pytest.raises(RefError) as caught:
        resolver.resolve("沿合县")  # a homophone typo
    assert "nearest: 贵州省/铜仁市/沿河土家族自治县 [520627]" in caught.value.message
    with pytest.raises(RefError) as caught:
        resolver.resolve("天津市/江北区")
    message = caught.value.message
    assert "lie elsewhere" in message and "天津市" not in message.split("elsewhere")[1]


def test_a_run_of_digits_longer_than_any_code_is_unknown_not_a_crash(resolver):
    with pytest.raises(RefError) as caught:
        resolver.resolve("0" * 40)
    assert "unknown reference" in caught.value.message and "nearest" not in caught.value.message


def test_a_path_mapping_names_its_columns_and_is_checked(tmp_path):
    mapping = {"paths": {"pairings": {"helper": ["所属地市", "东部县"]}}}
    sheet = write_xlsx(tmp_path / "pairings.xlsx", {"pairings": [["东部县", "受帮扶方"], ["张家港市", "沿河县"]]})
    with pytest.raises(InvalidInput) as caught:
        read_dataset(sheet, mapping=mapping, known=read_register(REGISTER, side="helper"))
    (problem,) = caught.value.problems
    assert problem.column == "helper" and "所属地市" in problem.message
    for bad in ({"paths": {"pairings": {"level": ["层级"]}}}, {"paths": {"pairings": {"helper": "所属地市"}}}):
        with pytest.raises(InvalidInput):
            load_mapping(bad)


@pytest.mark.parametrize("within", ["5206", "520600", "520600000000", "铜仁市", "贵州省铜仁市", "铜仁"])
def test_load_register_within_takes_a_code_at_any_length_or_a_name(tmp_path, within):
    result = CliRunner().invoke(
        app, ["load-register", str(REGISTER), "--within", within, "--side", "helped", "--store", str(tmp_path / "r.db")]
    )
    assert result.exit_code == 0, result.output
    assert "481 units" in result.output


@pytest.mark.parametrize(("within", "nearest"), [("520699", "520627"), ("沿合县", "520627"), ("5299", "5206")])
def test_load_register_within_that_names_nothing_fails_with_candidates(tmp_path, within, nearest):
    store = tmp_path / "r.db"
    result = CliRunner().invoke(
        app, ["load-register", str(REGISTER), "--within", within, "--side", "helped", "--store", str(store)]
    )
    assert result.exit_code == 2, result.output
    assert nearest in result.output and "Traceback" not in result.output
