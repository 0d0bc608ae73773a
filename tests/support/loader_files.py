"""Real input files for the loader tests: a small Zhangjiagang–Yanhe set in every format.

The rows follow the sample: 善港村 (in Zhangjiagang's economic and technological
development zone) helps 高峰村 (中界镇, Yanhe); the county codes are the real division
codes, the other units are referenced by name path.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl

UNITS = [
    ["code", "name", "kind", "side", "parent", "poverty"],
    ["320582", "张家港市", "county", "helper", "", ""],
    ["", "经济技术开发区", "township", "", "320582", ""],
    ["", "善港村", "village", "", "张家港市/经济技术开发区", ""],
    ["520627", "沿河土家族自治县", "county", "helped", "", ""],
    ["", "中界镇", "township", "", "520627", ""],
    ["", "高峰村", "village", "", "沿河土家族自治县/中界镇", "deeply_poor"],
]
PAIRINGS = [
    ["helper", "helped", "level", "mode", "start", "end"],
    ["张家港市/经济技术开发区/善港村", "沿河土家族自治县/中界镇/高峰村", "village", "", "2018-01-01", ""],
    ["320582", "520627", "", "", "2017-03-01", "2020-12-31"],
]
FLOWS = [
    ["kind", "amount", "unit_of_measure", "year", "from", "to"],
    ["donation_money", "508", "万元", "2018", "320582", "520627"],
]
ENGLISH = {"units": UNITS, "pairings": PAIRINGS, "flows": FLOWS}

# The same rows as a planner in Yanhe would type them: Chinese sheets, headers and values.
CHINESE = {
    "单位": [
        ["编码", "名称", "类型", "方向", "上级", "贫困状况"],
        ["320582", "张家港市", "县级市", "东部", "", ""],
        ["", "经济技术开发区", "镇（区）", "", "320582", ""],
        ["", "善港村", "行政村", "", "张家港市/经济技术开发区", ""],
        ["520627", "沿河土家族自治县", "县", "西部", "", ""],
        ["", "中界镇", "镇", "", "520627", ""],
        ["", "高峰村", "村", "", "沿河土家族自治县/中界镇", "深度贫困村"],
    ],
    "结对": [
        ["帮扶方", "受帮扶方", "结对层级", "结对方式", "开始日期", "结束日期"],
        ["张家港市/经济技术开发区/善港村", "沿河土家族自治县/中界镇/高峰村", "村级", "", "2018年1月1日", ""],
        ["320582", "520627", "", "", "2017/3/1", "2020年12月31日"],
    ],
    "流动": [
        ["类型", "金额", "单位", "年份", "来源", "去向"],
        ["捐款", "508", "万元", "2018年", "320582", "520627"],
    ],
}


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one worksheet per entry; empty strings become empty cells."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_folder(folder: Path, sheets: dict[str, list[list]], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        write_csv(folder / f"{name}.csv", rows, encoding)
    return folder


def write_json(path: Path, sheets: dict[str, list[list]]) -> Path:
    document = {
        name: [{h: c for h, c in zip(rows[0], row, strict=False) if c != ""} for row in rows[1:]]
        for name, rows in sheets.items()
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def copy(sheets: dict[str, list[list]]) -> dict[str, list[list]]:
    return {name: [list(row) for row in rows] for name, rows in sheets.items()}
