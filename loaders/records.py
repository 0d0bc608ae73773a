"""Rows → records: parse the cells of each row, resolve references, build the models.

Every problem is collected in a :class:`Problems` list with its file, sheet, row and the
column header the user wrote; a row with problems yields no record, but its neighbours
are still read so that one pass reports everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pairnet.graph.errors import Problem
from pairnet.graph.model import (
    Flow,
    Kind,
    Level,
    Pairing,
    Side,
    Unit,
    allowed_kinds,
    infer_level,
    pairing_key,
    stable_id,
)
from pairnet.i18n import N_, _

from . import dates as d
from . import values as v
from .assumed import parse_assumed
from .files import Sheet
from .headers import Columns, Mapping, field_for, resolve_columns
from .references import Node, RefError, Resolver

__all__ = ["Row", "Table", "build_flows", "build_pairings", "build_units", "read_table", "report_duplicates"]

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
_RECORDS = {"unit": N_("unit"), "pairing": N_("pairing"), "flow": N_("flow")}
_Record = TypeVar("_Record", bound=BaseModel)
_HEADER_SEARCH = 10  # rows searched for the header, below any title rows
_DATES = {"units": ("valid_from", "valid_to"), "pairings": ("start", "end"), "flows": ()}
# Kept in a record's note when a date column named a period, so that the original stays known.
PERIOD_NOTE = "{column}原文：{text}"


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
    parsers: list[tuple[str, int, Callable[[Any], Any], dict[str, Any]]] = [
        (name, index, PARSERS[sheet.name][name], {}) for name, index in columns.index.items()
    ]
    width, unnamed, paths = len(header), columns.unnamed, columns.paths.items()
    for number, cells in rows:
        texts = [(c.strip() or None) if type(c) is str else _TEXT(c) for c in cells]
        if not any(texts):
            continue
        found = len(texts)
        values: dict[str, Any] = {}
        raws: dict[str, str] = {}
        row = Row(number, values, raws, set())
        for name, index, parse, parsed in parsers:
            raw = texts[index] if index < found else None
            if raw is None:
                continue
            raws[name] = raw
            if parse is _TEXT:
                values[name] = raw
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


def build_units(
    table: Table | None, resolver_for: Callable[[list[Node]], Resolver]
) -> tuple[list[Unit], Resolver, set[str]]:
    """The units of ``table``, the resolver that knows them, and the ids of rows that failed."""
    if table is None:
        return [], resolver_for([]), set()
    rows = table.rows
    nodes = []
    for row in rows:
        val = row.values
        nodes.append(
            Node(
                row=row.number,
                name=val.get("name"),
                kind=val.get("kind"),
                code=val.get("code"),
                given_id=val.get("id"),
                parent_ref=val.get("parent"),
                side=val.get("side"),
            )
        )
    resolver = resolver_for(nodes)
    units: list[Unit] = []
    failed: set[str] = set()
    for row, node in zip(rows, nodes, strict=True):
        fields: dict[str, Any] = {
            k: row.values[k]
            for k in (
                "kind",
                "name",
                "code",
                "valid_from",
                "valid_to",
                "poverty",
                "ownership",
                "rank",
                "stage",
                "population",
                "placeholder",
                "assumed",
                "note",
            )
            if k in row.values
        }
        _note_periods(table, row, fields)
        if "ownership" not in row.raw and "kind" in row.raw:
            owner = v.KIND_OWNERSHIP.get(v.normalize(row.raw["kind"]))
            if owner is not None:
                fields["ownership"] = owner
        parent = resolver.parent_of(node)
        if id(node) in resolver.parent_errors:
            error = resolver.parent_errors[id(node)]
            table.problem(row, "parent", error.message, value=node.parent_ref, expected=error.expected)
        elif parent is not None:
            fields["parent_id"] = resolver.unit_id(parent)
        unit_id = resolver.unit_id(node)
        if id(node) in resolver.cycles:
            table.problem(
                row,
                "parent",
                _("the hierarchy has a cycle: {path}").format(path=resolver.path(node)),
                value=node.parent_ref,
                expected=_("a parent chain that ends at a root"),
            )
        if fields.get("parent_id") is None and parent is not None:
            row.bad.add("parent")  # the parent's own row reports why it has no id
        # The side is a hint (roles belong to pairings): inherited from the parent, and
        # none at all for a row that neither gives one nor has a parent.
        side = resolver.side_of(node)
        successors = []
        for ref in row.values.get("successors", ()):
            try:
                successors.append(resolver.unit_id(resolver.resolve(ref)))
            except RefError as exc:
                table.problem(row, "successors", exc.message, value=ref, expected=exc.expected)
        if unit_id is None:
            row.bad.add("id")  # no id without a kind, a name and a parent: those are reported
        fields.update(side=side, successor_ids=tuple(s for s in successors if s))
        unit = table.build(Unit, row, {**fields, **({"id": unit_id} if unit_id else {})})
        if unit is not None:
            units.append(unit)
        elif unit_id is not None:
            failed.add(unit_id)
    return units, resolver, failed


def _note_periods(table: Table, row: Row, fields: dict[str, Any]) -> None:
    """Add to the record's note the text of each date cell that named a year or a month,
    since the record itself only holds the first (or last) day of it."""
    kept = [
        PERIOD_NOTE.format(column=table.columns.label(name), text=row.raw[name])
        for name in _DATES[table.sheet.name]
        if name in row.values and d.is_period(row.raw[name])
    ]
    if kept:
        fields["note"] = "；".join([*([fields["note"]] if fields.get("note") else []), *kept])


def _reference(
    table: Table,
    row: Row,
    column: str,
    resolver: Resolver,
    *,
    kinds: Iterable[Kind] | None = None,
    side: Side | None = None,
) -> Node | None:
    ref = row.values.get(column)
    if ref is None:
        return None
    try:
        node = resolver.resolve(ref, kinds=kinds, side=side)
    except RefError as exc:
        table.problem(row, column, exc.message, value=ref, expected=exc.expected)
        return None
    if resolver.unit_id(node) is None:
        row.bad.add(column)  # the unit's own row reports why it has no id
        return None
    return node


def build_pairings(table: Table | None, resolver: Resolver) -> list[Pairing]:
    """The pairings of ``table``; a row without an id gets one from its natural key
    (helper, helped, level, program), so that reloading a corrected file updates it."""
    if table is None:
        return []
    pairings = []
    for row in table.rows:
        helper_kinds, helped_kinds = allowed_kinds(row.values["level"]) if "level" in row.values else (None, None)
        helper = _reference(table, row, "helper", resolver, kinds=helper_kinds, side=Side.HELPER)
        helped = _reference(table, row, "helped", resolver, kinds=helped_kinds, side=Side.HELPED)
        fields: dict[str, Any] = {
            k: row.values[k]
            for k in ("mode", "program", "start", "end", "agreement", "placeholder", "assumed", "note")
            if k in row.values
        }
        _note_periods(table, row, fields)
        level = row.values.get("level")
        if level is None and "level" not in row.bad:
            if helper is None or helped is None or not (helper.kind and helped.kind):
                row.bad.add("level")  # cannot be inferred; the reference's problem says why
            else:
                level = infer_level(helper.kind, helped.kind)
                if level is None:
                    table.problem(
                        row,
                        "level",
                        _("no level given, and none fits {helper} → {helped}").format(
                            helper=helper.kind.value, helped=helped.kind.value
                        ),
                        expected=_("a level: {levels}").format(levels=", ".join(Level)),
                    )
        if helper is not None:
            fields["helper_id"] = resolver.unit_id(helper)
        if helped is not None:
            fields["helped_id"] = resolver.unit_id(helped)
        if level is not None:
            fields["level"] = level
        pairing_id = row.values.get("id")
        if pairing_id is None and helper is not None and helped is not None and level is not None:
            pairing_id = pairing_key(fields["helper_id"], fields["helped_id"], level, fields.get("program"))
            table.derived_ids.add(pairing_id)
        if pairing_id is None:
            row.bad.add("id")
        pairing = table.build(Pairing, row, {**fields, **({"id": pairing_id} if pairing_id else {})})
        if pairing is not None:
            pairings.append(pairing)
    return pairings


def build_flows(table: Table | None, resolver: Resolver) -> list[Flow]:
    if table is None:
        return []
    flows = []
    for row in table.rows:
        fields: dict[str, Any] = {
            k: row.values[k]
            for k in ("kind", "amount", "unit_of_measure", "year", "project", "placeholder", "assumed", "note")
            if k in row.values
        }
        for column in ("from", "to"):
            node = _reference(table, row, column, resolver)
            if node is not None:
                fields[f"{column}_id"] = resolver.unit_id(node)
        if "pairing" in row.values:
            fields["pairing_id"] = row.values["pairing"]
        flow_id = row.values.get("id") or stable_id("f", table.sheet.file, table.sheet.label, row.number)
        flow = table.build(Flow, row, {**fields, "id": flow_id})
        if flow is not None:
            flows.append(flow)
    return flows


def report_duplicates(table: Table | None, records: Iterable[Unit | Pairing | Flow], what: str) -> set[str]:
    """Report each repeated id at the rows that repeat it; return the repeated ids."""
    first: dict[str, int | None] = {}
    repeated: set[str] = set()
    if table is None:
        return repeated
    rows: dict[int | None, Row] = {row.number: row for row in table.rows}
    for record in records:
        number = first.setdefault(record.id, record.source.row)
        if number != record.source.row:
            repeated.add(record.id)
            if record.id in table.derived_ids:
                table.problem(
                    rows[record.source.row],
                    None,
                    _(
                        "duplicate {what}: rows {first} and {second} have the same helper, helped, level and program"
                    ).format(what=_(_RECORDS[what]), first=number, second=record.source.row),
                    value=record.id,
                    expected=_("one row per pairing; give the rows ids, or different levels or programs"),
                )
                continue
            table.problem(
                rows[record.source.row],
                "id",
                _("duplicate {what} id, first in row {row}").format(what=_(_RECORDS[what]), row=number),
                value=record.id,
                expected=_("each id once; rows with the same kind, parent and name get the same id"),
            )
    return repeated
