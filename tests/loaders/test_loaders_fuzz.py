"""Hostile input never escapes as anything but InvalidInput (or a valid dataset)."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairnet.graph import Dataset, InvalidInput
from pairnet.loaders import read_dataset
from tests.support.loader_files import ENGLISH, write_xlsx

WORDS = st.sampled_from(
    [
        "",
        " ",
        "高峰村",
        "320582",
        "520627",
        "village",
        "村",
        "县",
        "helper",
        "西部",
        "2018-13-01",
        "2018年1月1日",
        "43465",
        "1,234",
        "-5",
        "是",
        "张家港市/杨舍镇",
        "/",
        ";",
        "=1+1",
        "\u3000",
        "沿河土家族自治县/中界镇/高峰村",
        "None",
    ]
)
CELLS = st.one_of(WORDS, st.text(max_size=12))
HEADERS = st.sampled_from([h for rows in ENGLISH.values() for h in rows[0]] + ["名称", "类型", "上级", "金额", "?"])


def _read(path, **kwargs) -> None:
    try:
        result = read_dataset(path, **kwargs)
    except InvalidInput as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert isinstance(result, Dataset)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(HEADERS, min_size=1, max_size=7),
    body=st.lists(st.lists(CELLS, max_size=8), max_size=6),
    sheet=st.sampled_from(["units", "pairings", "flows"]),
)
def test_random_csv_tables(tmp_path, header, body, sheet):
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    path = tmp_path / f"{sheet}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    _read(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".xlsx", ".csv", ".json"]))
def test_random_bytes(tmp_path, data, suffix):
    path = tmp_path / f"units{suffix}"
    path.write_bytes(data)
    _read(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    document=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | CELLS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HEADERS, inner, max_size=4),
        max_leaves=12,
    )
)
def test_random_json(tmp_path, document):
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"units": document, "pairings": [document]}), encoding="utf-8")
    _read(path)


def test_every_truncation_of_a_workbook(tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", ENGLISH).read_bytes()
    for cut in range(0, len(whole), max(1, len(whole) // 40)):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(whole[:cut])
        _read(path)
