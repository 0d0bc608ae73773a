"""Words a real list writes that the format did not know: the common ones are read, and an
unknown column or value names the nearest accepted words."""

from __future__ import annotations

import pytest

from pairnet.graph import InvalidInput
from pairnet.graph.model import Level
from pairnet.i18n import use_language
from pairnet.loaders import read_dataset
from pairnet.loaders.values import CellError, parse_level

UNITS = "编号,类型,名称,方向,上级\nh,village,善港村,helper,\nv,village,高峰村,helped,\n"


def _pairings(tmp_path, header: str, row: str):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "pairings.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    return read_dataset(tmp_path)


def test_list_words_for_dates_and_levels_are_read(tmp_path):
    dataset = _pairings(
        tmp_path, "帮扶方,受帮扶方,结对层级,结对时间,结束时间", "善港村,高峰村,村村结对,2017年3月,2020年12月"
    )
    (pairing,) = dataset.pairings
    assert pairing.level is Level.VILLAGE and pairing.start.isoformat() == "2017-03-01"
    assert pairing.end.isoformat() == "2020-12-31"
    assert parse_level("企业帮村") is parse_level("万企帮万村") is Level.ENTERPRISE_VILLAGE


def test_an_unknown_column_names_the_nearest_headers(tmp_path):
    with use_language("zh"), pytest.raises(InvalidInput) as caught:
        _pairings(tmp_path, "帮扶单位名称,受帮扶方", "善港村,高峰村")
    messages = [p.message for p in caught.value.problems]
    assert "未知的列（最接近的：帮扶单位" in messages[0]


def test_an_unknown_value_names_the_nearest_words():
    with use_language("en"), pytest.raises(CellError) as caught:
        parse_level("企业帮扶村")
    assert caught.value.message.startswith("unknown pairing level (nearest: 企业帮村")
    with pytest.raises(CellError) as caught:
        parse_level("zzzz")
    assert "nearest" not in caught.value.message
