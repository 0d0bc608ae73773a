"""The ``assumed`` column (推定字段): which values of a record are assumed, not sourced."""

from __future__ import annotations

import pytest

from pairnet.graph import InvalidInput
from pairnet.imports import import_file
from pairnet.loaders import read_dataset
from pairnet.store.store import open_store
from tests.support.loader_files import CHINESE, ENGLISH, write_folder, write_xlsx


def with_column(rows: list[list[str]], header: str, cells: dict[int, str]) -> list[list[str]]:
    """``rows`` with a column ``header`` whose cell in row ``i`` (1 = the first data row) is ``cells[i]``."""
    return [[*row, header if i == 0 else cells.get(i, "")] for i, row in enumerate(rows)]


def test_chinese_and_english_names_of_columns_are_read_in_the_formats_order(tmp_path):
    sheets = dict(CHINESE)
    sheets["单位"] = with_column(CHINESE["单位"], "推定字段", {6: "贫困状况、上级"})
    sheets["结对"] = with_column(CHINESE["结对"], "推定字段", {1: "开始日期，helper"})
    sheets["流动"] = with_column(CHINESE["流动"], "推定字段", {1: "金额; 年份"})
    dataset = read_dataset(write_xlsx(tmp_path / "结对.xlsx", sheets))
    gaofeng = next(u for u in dataset.units if u.name == "高峰村")
    assert gaofeng.assumed == ("parent", "poverty")
    assert gaofeng.placeholder is False  # a real village, one of whose values is assumed
    assert {u.assumed for u in dataset.units if u.name != "高峰村"} == {()}
    village_pairing = next(p for p in dataset.pairings if p.level == "village")
    assert village_pairing.assumed == ("helper", "start")
    assert dataset.flows[0].assumed == ("amount", "year")


def test_an_unknown_column_is_a_located_problem_with_the_nearest_names(tmp_path):
    sheets = dict(ENGLISH)
    sheets["units"] = with_column(ENGLISH["units"], "assumed", {6: "poverty, 贫困"})
    folder = write_folder(tmp_path / "bad", sheets)
    with open_store(str(tmp_path / "pairnet.db")) as store:
        with pytest.raises(InvalidInput) as caught:
            import_file(store, folder)
        assert store.snapshot().counts() == {"units": 0, "pairings": 0, "flows": 0}
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("units.csv", 7, "assumed")
    assert "贫困" in problem.message and "贫困状况 (poverty)" in problem.message
    assert "separated by" in problem.expected


def test_a_column_of_another_sheet_is_not_assumable(tmp_path):
    sheets = dict(ENGLISH)
    sheets["pairings"] = with_column(ENGLISH["pairings"], "assumed", {1: "poverty"})
    with pytest.raises(InvalidInput) as caught:
        read_dataset(write_folder(tmp_path / "bad", sheets))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("pairings.csv", 2, "assumed", "poverty")
