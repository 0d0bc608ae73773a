"""Rows → records: resolve each row's references, apply the rules between columns, build
the models, and report repeated ids.

The rows come parsed from :mod:`loaders.rows`. Every problem is kept in the table's list with
its file, sheet, row and the column header the user wrote; a row with problems yields no
record, but its neighbours are still read so that one pass reports everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from pairnet.graph.model import (
    Flow,
    Kind,
    Level,
    Ownership,
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
from .references import Node, RefError, Resolver
from .rows import Row, Table

__all__ = ["build_flows", "build_pairings", "build_units", "report_duplicates"]

# What a repeated id is the id of, in the words of the duplicate messages.
_RECORDS = {"unit": N_("unit"), "pairing": N_("pairing"), "flow": N_("flow")}
_DATES = {"units": ("valid_from", "valid_to"), "pairings": ("start", "end"), "flows": ()}
# Kept in a record's note when a date column named a period, so that the original stays known.
PERIOD_NOTE = "{column}原文：{text}"
# A national file repeats a few kinds and dates a million times: each text is looked at once.
_CACHED = 4096


@lru_cache(maxsize=_CACHED)
def _is_period(text: str) -> bool:
    return d.is_period(text)


@lru_cache(maxsize=_CACHED)
def _ownership_of_kind(text: str) -> Ownership | None:
    return v.KIND_OWNERSHIP.get(v.normalize(text))


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
            owner = _ownership_of_kind(row.raw["kind"])
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
        if name in row.values and _is_period(row.raw[name])
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
    rows: dict[int | None, Row] = {}  # by number, made at the first repeat (most files have none)
    for record in records:
        number = first.setdefault(record.id, record.source.row)
        if number != record.source.row:
            repeated.add(record.id)
            rows = rows or {row.number: row for row in table.rows}
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
