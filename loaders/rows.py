"""Cells → rows: find a sheet's header (below any title rows), parse every cell with its
column's parser, and keep each problem with its file, sheet, row and the column header the
user wrote (:class:`Table`); a record is built from a row's values by :meth:`Table.build`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pairnet.graph.errors import Problem
from pairnet.i18n import N_, _

from . import dates as d
from . import values as v
from .assumed import parse_assumed
from .files import Sheet
from .headers import Columns, Mapping, field_for, resolve_columns

__all__ = ["PARSERS", "Row", "Table", "read_table"]

_TEXT = v.text
PARSERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "units": {
        "id": _TEXT,
        "code": _TEXT,
        "kind": v.parse_unit_kind,
        "name": _TEXT,
        "side": v.parse_side,
        "parent": _TEXT,
        "valid_from": d.parse_date,
        "valid_to": d.parse_end_date,
        "successors": v.parse_refs,
        "poverty": v.parse_poverty,
        "ownership": v.parse_ownership,
        "rank": v.parse_rank,
        "stage": _TEXT,
        "population": v.parse_integer,
        "placeholder": v.parse_boolean,
        "assumed": parse_assumed("units"),
        "note": _TEXT,
    },
    "pairings": {
        "id": _TEXT,
        "helper": _TEXT,
        "helped": _TEXT,
        "level": v.parse_level,
        "mode": v.parse_mode,
        "program": _TEXT,
        "start": d.parse_date,
        "end": d.parse_end_date,
        "agreement": _TEXT,
        "placeholder": v.parse_boolean,
        "assumed": parse_assumed("pairings"),
        "note": _TEXT,
    },
    "flows": {
        "id": _TEXT,
        "kind": v.parse_flow_kind,
        "amount": v.parse_amount,
        "unit_of_measure": _TEXT,
        "year": v.parse_year,
        "from": _TEXT,
        "to": _TEXT,
        "pairing": _TEXT,
        "project": _TEXT,
        "placeholder": v.parse_boolean,
        "assumed": parse_assumed("flows"),
        "note": _TEXT,
    },
}
# Model field → column, and the column a whole-record rule is about.
_COLUMN_OF = {
    "parent_id": "parent",
    "successor_ids": "successors",
    "helper_id": "helper",
    "helped_id": "helped",
    "from_id": "from",
    "to_id": "to",
    "pairing_id": "pairing",
}
# The records' own rules (graph.model raises them in English, marked for the catalog): the
# column each is about and what it expects; the message is translated when it is reported.
_RULES = {
    N_("start is after end"): ("end", N_("an end on or after the start")),
    N_("valid_from is after valid_to"): ("valid_to", N_("valid_to on or after valid_from")),
    N_("a unit cannot be paired with itself"): ("helped", N_("a unit other than the helper")),
}
# What a repeated id is the id of, in the words of the duplicate messages.
_Record = TypeVar("_Record", bound=BaseModel)
_HEADER_SEARCH = 10  # rows searched for the header, below any title rows


class Row:
    """One row: parsed values, raw texts for messages, and the columns already reported."""

    __slots__ = ("number", "values", "raw", "bad")

    def __init__(self, number: int, values: dict[str, Any], raw: dict[str, str], bad: set[str]):
        self.number, self.values, self.raw, self.bad = number, values, raw, bad


class Table:
    """The rows of one sheet, with what is needed to report problems about them."""

    def __init__(self, sheet: Sheet, columns: Columns, rows: list[Row], problems: list[Problem]):
        self.sheet, self.columns, self.rows, self.problems = sheet, columns, rows, problems
        self.readable = True  # False when the header could not be read, so neither could the rows
        self.derived_ids: set[str] = set()  # ids made from a natural key rather than given

    def problem(
        self, row: Row, column: str | None, message: str, *, value: object = None, expected: str | None = None
    ) -> None:
        if column is not None:
            row.bad.add(column)
        self.problems.append(
            Problem(
                message=message,
                file=self.sheet.file,
                sheet=self.sheet.label,
                row=row.number,
                column=None if column is None else self.columns.label(column),
                value=None if value is None else str(value),
                expected=expected,
            )
        )

    def build(self, model: type[_Record], row: Row, fields: dict[str, Any]) -> _Record | None:
        """``model(**fields)``, or ``None`` with one problem per validation error."""
        try:
            # The source as a dict: pydantic-core validates it with the record, in one call,
            # several times faster than building a Source in Python first.
            return model(**fields, source={"file": self.sheet.file, "sheet": self.sheet.label, "row": row.number})
        except ValidationError as exc:
            for error in exc.errors():
                column: str | None
                expected: str | None
                rule = str((error.get("ctx") or {}).get("error") or "")  # a ValueError's own text
                message = _message(error, rule)
                if error["loc"]:
                    field = str(error["loc"][0])  # a field's name: the records have no list fields
                    column = _COLUMN_OF.get(field, field)
                    expected = _expected(error)
                else:
                    column, wanted = _RULES.get(rule, (None, None))
                    expected = None if wanted is None else _(wanted)
                if column not in row.bad:
                    self.problem(
                        row, column, message, value=None if column is None else row.raw.get(column), expected=expected
                    )
            return None


def _message(error: ErrorDetails, rule: str) -> str:
    """What is wrong, in the reader's language: a record's own rule (``rule``) or a
    constraint of its fields; pydantic's English message only for a case not foreseen."""
    if rule:
        return _(rule)
    limits = error.get("ctx") or {}
    messages: dict[str, str] = {
        "missing": _("missing value"),
        "string_too_short": _("empty text"),
        "greater_than_equal": _("should be greater than or equal to {limit}").format(limit=limits.get("ge")),
        "less_than_equal": _("should be less than or equal to {limit}").format(limit=limits.get("le")),
    }
    return messages.get(error["type"], error["msg"])


def _expected(error: ErrorDetails) -> str:
    limits = error.get("ctx") or {}
    expected: dict[str, str] = {
        "missing": _("a value"),
        "string_too_short": _("a non-empty text"),
        "greater_than_equal": _("at least {limit}").format(limit=limits.get("ge")),
        "less_than_equal": _("at most {limit}").format(limit=limits.get("le")),
    }
    return expected.get(error["type"], error["msg"])


def _is_blank(cells: tuple[object, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(sheet: Sheet, mapping: Mapping) -> Table:
    """Find the header (below any title rows), map the columns, and parse every cell."""
    problems: list[Problem] = []
    where: dict[str, Any] = {"file": sheet.file, "sheet": sheet.label}
    rows = iter(sheet.rows)
    header: tuple[object, ...] | None = sheet.header
    if header is None:
        header, header_row = _find_header(sheet.name, rows, mapping)
        if header is None:
            problems.append(
                Problem(message=_("the sheet is empty"), expected=_("a header row, then one row per record"), **where)
            )
            table = Table(sheet, Columns({}, {}), [], problems)
            table.readable = False
            return table
        where["row"] = header_row
    columns, header_problems = resolve_columns(sheet.name, header, mapping=mapping, where=where)
    table = Table(sheet, columns, [], problems)
    problems.extend(header_problems)
    if header_problems:
        table.readable = False
        return table  # the rows cannot be read while their columns are unknown
    # Text columns need no parser; the others remember what each text they saw parsed to,
    # since a national file repeats the same kinds, sides, dates and flags a million times.
    named = list(columns.index.items())
    texts_only = [name for name, _index in named if PARSERS[sheet.name][name] is _TEXT]
    parsers: list[tuple[str, int, Callable[[Any], Any], dict[str, Any]]] = [
        (name, index, parse, {}) for name, index in named if (parse := PARSERS[sheet.name][name]) is not _TEXT
    ]
    width, unnamed, paths = len(header), columns.unnamed, columns.paths.items()
    for number, cells in rows:
        texts = [(c.strip() or None) if type(c) is str else _TEXT(c) for c in cells]
        if not any(texts):
            continue
        found = len(texts)
        if found < width:
            texts += [None] * (width - found)  # a short row: its missing cells are empty
        raws: dict[str, str] = {name: text for name, index in named if (text := texts[index]) is not None}
        values: dict[str, Any] = {name: raws[name] for name in texts_only if name in raws}
        row = Row(number, values, raws, set())
        for name, index, parse, parsed in parsers:
            raw = raws.get(name)
            if raw is None:
                continue
            cell = cells[index]
            if type(cell) is str and raw in parsed:
                values[name] = parsed[raw]
                continue
            try:
                values[name] = parse(cell)
            except v.CellError as exc:
                table.problem(row, name, exc.message, value=raw, expected=exc.expected)
                continue
            if type(cell) is str:
                parsed[raw] = values[name]
        for name, positions in paths:
            joined = "/".join(t for t in (texts[i] if i < found else None for i in positions) if t)
            if joined:
                values[name] = raws[name] = joined
        if unnamed or found > width:
            for index in (*unnamed, *range(width, found)):
                if index < found and texts[index] is not None:
                    table.problem(
                        row,
                        None,
                        _("a value in column {column}, which has no header").format(
                            column=get_column_letter(index + 1)
                        ),
                        value=texts[index],
                        expected=_("a header above every filled column"),
                    )
        table.rows.append(row)
    return table


def _find_header(
    sheet: str, rows: Iterator[tuple[int, tuple[object, ...]]], mapping: Mapping
) -> tuple[tuple[object, ...] | None, int | None]:
    """The header row: the first of the top rows naming two known columns, else the first non-blank."""
    first: tuple[tuple[object, ...], int] | None = None
    for number, cells in rows:
        if _is_blank(cells):
            continue
        first = first or (cells, number)
        path_headers = {h for headers in mapping.paths.get(sheet, {}).values() for h in headers}
        known: int = sum(
            1
            for c in cells
            if (text := _TEXT(c)) and (field_for(sheet, text, mapping) or v.normalize(text) in path_headers)
        )
        if known >= 2 or number >= _HEADER_SEARCH:
            return (cells, number) if known >= 2 else first
    return first or (None, None)
