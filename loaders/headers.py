"""Column headers → canonical field names: English names, Chinese aliases, a user mapping.

A header matches when it equals a canonical name (``helper``) or an alias (帮扶方) after
:func:`~loaders.values.normalize`; a trailing note in brackets and a ``*`` are ignored, so
``金额（万元）`` and ``名称*`` match too. A mapping file adds headers (and sheet names):

.. code-block:: toml

    [sheets]
    "帮扶名单" = "pairings"

    [columns]            # for every sheet
    "村名" = "name"
    "序号" = ""          # "" drops the column

    [columns.pairings]   # for one sheet
    "结对单位" = "helper"

    [paths.pairings]     # a reference built from several columns, outermost first
    helper = ["所属地市", "东部县（市、区）"]
    helped = ["所属州市", "西部县（区）"]

The same structure works as JSON, or as a dict passed in directly.

Examples
--------
>>> field_for("pairings", "受帮扶方"), field_for("flows", "金额（万元）"), field_for("units", "序号")
('helped', 'amount', '')
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pairnet.graph.columns import COLUMNS
from pairnet.graph.errors import InvalidInput, Problem
from pairnet.i18n import _, current_language

from .files import SHEETS
from .values import nearest_words, normalize, text

__all__ = [
    "DERIVED",
    "FIELDS",
    "REFERENCES",
    "REQUIRED",
    "Columns",
    "Mapping",
    "chinese_name",
    "header_names",
    "field_for",
    "load_mapping",
    "resolve_columns",
]

FIELDS = COLUMNS  # the input format's columns per sheet (graph.columns)
REQUIRED = {"units": ("kind", "name"), "pairings": ("helper", "helped"), "flows": ("kind", "amount")}
# The columns holding a reference to a unit, which a mapping may build from several columns.
REFERENCES = {"units": ("parent",), "pairings": ("helper", "helped"), "flows": ("from", "to")}

_COMMON = {
    "id": ("编号", "标识", "ID号"),
    "placeholder": ("占位", "是否占位", "占位符", "示例数据"),
    "assumed": ("推定字段", "推定", "假定字段", "推定值"),
    "note": ("备注", "说明", "注释"),
    "": ("序号", "no.", "#"),
}
_ALIASES = {
    "units": {
        "code": ("编码", "代码", "区划代码", "统计用区划代码", "行政区划代码"),
        "kind": ("类型", "类别", "单位类型"),
        "name": ("名称", "单位名称", "名字", "单位"),
        "side": ("方向", "帮扶方向", "东西部", "所属方"),
        "parent": ("上级", "上级单位", "所属", "隶属"),
        "valid_from": ("生效日期", "设立日期", "有效期起"),
        "valid_to": ("失效日期", "撤销日期", "有效期止"),
        "successors": ("继承单位", "后继单位", "并入"),
        "poverty": ("贫困状况", "贫困类型", "贫困程度", "是否贫困村"),
        "ownership": ("所有制", "企业性质", "性质"),
        "rank": ("级别", "园区级别"),
        "stage": ("学段",),
        "population": ("人口", "户籍人口", "人数"),
    },
    "pairings": {
        "helper": ("帮扶方", "帮扶单位", "结对帮扶方"),
        "helped": ("受帮扶方", "受帮扶单位", "被帮扶方", "被帮扶单位"),
        "level": ("结对层级", "层级", "级别"),
        "mode": ("结对方式", "帮扶方式", "结对模式"),
        "program": ("帮扶计划", "行动", "协作类型", "计划"),
        "start": ("开始日期", "起始日期", "结对日期", "开始", "结对时间", "开始时间"),
        "end": ("结束日期", "终止日期", "结束", "结束时间", "终止时间"),
        "agreement": ("协议", "协议编号", "协议文号"),
    },
    "flows": {
        "kind": ("类型", "类别", "流动类型"),
        "amount": ("金额", "数量", "数额"),
        "unit_of_measure": ("单位", "计量单位"),
        "year": ("年份", "年度"),
        "from": ("来源", "提供方", "流出方", "从"),
        "to": ("去向", "接收方", "流入方", "到"),
        "pairing": ("结对", "结对编号"),
        "project": ("项目", "项目名称"),
    },
}


# Columns pairnet writes beside a reference for people to read (the referenced unit's name,
# a unit's parents' path): derived from the ids, so loading drops them.
DERIVED: dict[str, dict[str, tuple[str, ...]]] = {
    "units": {"parent_name": ("上级名称",), "parents": ("上级路径",)},
    "pairings": {"helper_name": ("帮扶方名称",), "helped_name": ("受帮扶方名称",)},
    "flows": {"from_name": ("来源名称",), "to_name": ("去向名称",)},
}


def header_names(sheet: str, column: str) -> tuple[str, ...]:
    """Every name a header of ``column`` may have in ``sheet``: the English one, then the aliases.

    >>> header_names("units", "poverty")[:2]
    ('poverty', '贫困状况')
    """
    return (column, *_COMMON.get(column, ()), *_ALIASES[sheet].get(column, ()))


def chinese_name(column: str) -> str | None:
    """The first Chinese name of an input column (the one pairnet writes), or None.

    >>> chinese_name("poverty"), chinese_name("helper"), chinese_name("share")
    ('贫困状况', '帮扶方', None)
    """
    for aliases in (_COMMON, *_ALIASES.values(), *DERIVED.values()):
        if column in aliases:
            return aliases[column][0]
    return None


def _as_read(field: str) -> str:
    """A column as the reader names it: in Chinese its Chinese name with the identifier
    beside it (``帮扶方 helper``), else the identifier.

    >>> from pairnet.i18n import use_language
    >>> with use_language("zh"):
    ...     _as_read("helper"), _as_read("program")
    ('帮扶方 helper', '帮扶计划 program')
    """
    name = chinese_name(field) if current_language() == "zh" else None
    return f"{name} {field}" if name else field


def _table(sheet: str) -> dict[str, str]:
    table = {normalize(a): canonical for canonical, aliases in _COMMON.items() for a in aliases}
    for canonical, aliases in _ALIASES[sheet].items():
        table.update((normalize(a), canonical) for a in aliases)
    table.update((normalize(f), f) for f in FIELDS[sheet])
    for derived, aliases in DERIVED[sheet].items():
        table.update((normalize(name), "") for name in (derived, *aliases))
    return table


_TABLES = {sheet: _table(sheet) for sheet in SHEETS}
# Every header a sheet accepts, normalised → as written, for the nearest names of an unknown one.
_SPELLED = {sheet: {normalize(h): h for f in FIELDS[sheet] for h in header_names(sheet, f)} for sheet in SHEETS}
_NOTE = re.compile(r"\s*[*＊]?\s*(\(.*\)|（.*）|\[.*\])?\s*[*＊]?$")


@dataclass(frozen=True)
class Mapping:
    """User headers (normalized) → canonical fields per sheet (``""`` = every sheet), and sheet names."""

    sheets: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    # sheet → reference field → its columns' headers (normalized), outermost first
    paths: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


def field_for(sheet: str, header: str, mapping: Mapping = Mapping()) -> str | None:
    """The canonical field a header stands for, ``""`` for a column to drop, ``None`` if unknown."""
    for key in dict.fromkeys((normalize(header), normalize(_NOTE.sub("", header)))):
        for table in (mapping.columns.get(sheet, {}), mapping.columns.get("", {}), _TABLES[sheet]):
            if key in table:
                return table[key]
    return None


class _Reporter(Protocol):
    """Records a problem of the mapping file."""

    def __call__(
        self, message: str, value: str | None = None, expected: str | None = None, sheet: str | None = None
    ) -> None: ...


def load_mapping(mapping: str | Path | dict[str, Any] | None) -> Mapping:
    """Read a mapping file (.toml or .json) or dict; a bad one raises :class:`InvalidInput`."""
    if mapping is None:
        return Mapping()
    file = None
    if not isinstance(mapping, dict):
        path = Path(mapping)
        file = path.name
        try:
            raw = path.read_bytes().decode("utf-8-sig")
            mapping = tomllib.loads(raw) if path.suffix.lower() == ".toml" else json.loads(raw)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(
                [
                    Problem(
                        message=_("cannot read the mapping file: {reason}").format(reason=exc),
                        file=file,
                        expected=_("a UTF-8 .toml or .json mapping file"),
                    )
                ]
            ) from None
    problems: list[Problem] = []

    def bad(message: str, value: str | None = None, expected: str | None = None, sheet: str | None = None) -> None:
        problems.append(Problem(message=message, file=file, sheet=sheet, value=value, expected=expected))

    sheets: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {}
    if not isinstance(mapping, dict):
        bad(_("the mapping is not a table"), expected=_('{"sheets": {...}, "columns": {...}}'))
        mapping = {}
    tables: dict[str, dict[str, Any]] = {"sheets": {}, "columns": {}, "paths": {}}
    for key, value in mapping.items():
        if key in tables and isinstance(value, dict):
            tables[key] = value
        else:
            bad(
                _("unknown or malformed entry {key}").format(key=repr(key)),
                key,
                _('tables "sheets", "columns" and "paths"'),
            )
    for name, target in tables["sheets"].items():
        if target not in SHEETS:
            bad(
                _("sheet {name} is mapped to an unknown sheet").format(name=repr(name)),
                str(target),
                _("units, pairings or flows"),
            )
        sheets[name] = target
    for header, target in tables["columns"].items():
        if header in SHEETS and isinstance(target, dict):
            for sub_header, sub_target in target.items():
                _add(columns, header, sub_header, sub_target, FIELDS[header], bad)
        else:
            _add(columns, "", header, target, {f for s in SHEETS for f in FIELDS[s]}, bad)
    paths = _paths(tables["paths"], bad)
    if problems:
        raise InvalidInput(problems)
    return Mapping(sheets=sheets, columns=columns, paths=paths)


def _paths(table: dict[str, Any], bad: _Reporter) -> dict[str, dict[str, tuple[str, ...]]]:
    """``[paths.<sheet>]`` entries: a reference field → the headers of its columns."""
    paths: dict[str, dict[str, tuple[str, ...]]] = {}
    for sheet, fields in table.items():
        if sheet not in REFERENCES or not isinstance(fields, dict):
            bad(
                _("paths for an unknown sheet {sheet}").format(sheet=repr(sheet)),
                str(sheet),
                _("[paths.units], [paths.pairings] or [paths.flows]"),
            )
            continue
        for name, headers in fields.items():
            if name not in REFERENCES[sheet]:
                bad(
                    _("paths for {name}, which is not a reference column").format(name=repr(name)),
                    str(name),
                    ", ".join(REFERENCES[sheet]),
                    sheet,
                )
            elif not (isinstance(headers, list) and headers and all(isinstance(h, str) and h for h in headers)):
                bad(
                    _("the path of {name} is not a list of column headers").format(name=name),
                    str(headers),
                    _('["所属地市", "东部县（市、区）"], outermost first'),
                    sheet,
                )
            else:
                paths.setdefault(sheet, {})[name] = tuple(normalize(h) for h in headers)
    return paths


def _add(
    columns: dict[str, dict[str, str]],
    sheet: str,
    header: str,
    target: object,
    allowed: Collection[str],
    bad: _Reporter,
) -> None:
    target = "" if target is None else target
    if not isinstance(target, str) or (target and target not in allowed):
        bad(
            _("header {header} is mapped to an unknown column").format(header=repr(header)),
            str(target),
            _('{columns} or "" to drop it').format(columns=", ".join(sorted(allowed))),
            sheet or None,
        )
        return
    columns.setdefault(sheet, {})[normalize(header)] = target


@dataclass(frozen=True)
class Columns:
    """Where each canonical field is in a sheet's rows, and what the user called it."""

    index: dict[str, int]
    header: dict[str, str]
    unnamed: tuple[int, ...] = ()
    paths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # a field built from columns

    def label(self, name: str) -> str:
        """The header text the user wrote for ``name`` (or ``name`` when absent)."""
        return self.header.get(name, name)


def resolve_columns(
    sheet: str, cells: tuple[object, ...], *, mapping: Mapping, where: dict[str, Any]
) -> tuple[Columns, list[Problem]]:
    """Map a header row to fields; ``where`` (file, sheet, row) locates the problems."""
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    unnamed: list[int] = []
    problems: list[Problem] = []
    wanted = mapping.paths.get(sheet, {})
    part_of = {h: (name, i) for name, headers in wanted.items() for i, h in enumerate(headers)}
    parts: dict[str, dict[int, tuple[int, str]]] = {name: {} for name in wanted}
    for position, cell in enumerate(cells):
        label = text(cell)
        if label is None:
            unnamed.append(position)
            continue
        key = next((k for k in (normalize(label), normalize(_NOTE.sub("", label))) if k in part_of), None)
        if key is not None:
            path_field, place = part_of[key]
            parts[path_field][place] = (position, label)
            continue
        name = field_for(sheet, label, mapping)
        if name is None:
            problems.append(
                Problem(
                    message=_("unknown column") + nearest_words(label, _SPELLED[sheet]),
                    column=label,
                    value=label,
                    expected=_("one of {columns} (or a Chinese alias), or map it in a mapping file").format(
                        columns=", ".join(_as_read(f) for f in FIELDS[sheet])
                    ),
                    **where,
                )
            )
        elif name in index:
            problems.append(
                Problem(
                    message=_("two columns for {name}: {first} and {second}").format(
                        name=name, first=header[name], second=label
                    ),
                    column=label,
                    value=label,
                    expected=_("each column once"),
                    **where,
                )
            )
        elif name:
            index[name] = position
            header[name] = label
    paths: dict[str, tuple[int, ...]] = {}
    broken: set[str] = set()  # fields whose path was reported: not missing as well
    for name, headers in wanted.items():
        if not parts[name] and name in index:
            continue  # a sheet with its own column for the field: the path is for other sheets
        missing = [h for i, h in enumerate(headers) if i not in parts[name]]
        if missing or name in index:
            broken.add(name)
            problems.append(
                Problem(
                    message=_("the path of {name} names columns the sheet lacks: {columns}").format(
                        name=name, columns="、".join(missing)
                    )
                    if missing
                    else _("two columns for {name}: {first} and the path in the mapping").format(
                        name=name, first=header[name]
                    ),
                    column=name,
                    expected=_("the columns {columns}, and no other column for {name}").format(
                        columns="、".join(headers), name=name
                    ),
                    **where,
                )
            )
            continue
        found = [parts[name][i] for i in range(len(headers))]
        paths[name] = tuple(position for position, _ in found)
        header[name] = "+".join(label for _, label in found)
    for name in REQUIRED[sheet]:
        if name not in index and name not in paths and name not in broken:
            problems.append(
                Problem(
                    message=_("missing column {name}").format(name=_as_read(name)),
                    column=name,
                    expected=_("a column {name} (or a Chinese alias)").format(name=_as_read(name)),
                    **where,
                )
            )
    return Columns(index=index, header=header, unnamed=tuple(unnamed), paths=paths), problems
