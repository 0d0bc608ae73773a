"""The columns, facets and file rows of the workbench tables (units, pairings, flows).

A table row is a dict built once per request from a record and the network (names, parent
paths and townships beside the ids); a :class:`Column` says how a row shows (text and the
unit it links to) and sorts, a :class:`Facet` what value of a row a filter compares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import quote

import networkx as nx

from pairnet.graph.model import Flow, FlowKind, Kind, Level, Mode, Pairing, Poverty, Side, Unit
from pairnet.graph.targets import Hierarchy
from pairnet.i18n import N_, _
from pairnet.i18n.labels import label
from pairnet.service import listings
from pairnet.service.wording import ASSUMED_MARK

__all__ = ["FLOW_TABLE", "PAIRING_TABLE", "UNIT_TABLE", "Cell", "Column", "Facet", "Row", "Rows", "TableSpec"]

Row = dict[str, Any]
Rows = list[Row]


@dataclass(frozen=True)
class Cell:
    """What a table cell shows: its text, the path it links to (or None) and a note below."""

    text: str
    href: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Column:
    """A column: its key (the ``sort`` parameter), header, cell and sort key (None last)."""

    key: str
    header: str
    cell: Callable[[Row], Cell]
    sort: Callable[[Row], Any]
    numeric: bool = False


@dataclass(frozen=True)
class Facet:
    """A filter with counts: the query parameter, its label, a row's value and its label."""

    key: str
    label: str
    value: Callable[[Row], str | None]
    shown: Callable[[str], str] = str
    limit: int = 30
    # Where the label of a value is found in a row that has it (a township's name for its id).
    shown_in: Callable[[Row], str | None] | None = None


@dataclass(frozen=True)
class TableSpec:
    """A table: its page, title, columns, facets, rows from records and rows of its file."""

    path: str
    title: str
    file_name: str
    columns: Sequence[Column]
    facets: Sequence[Facet]
    build: Callable[[nx.MultiDiGraph[str], Iterable[Any], dt.date | None], Rows]
    file: Callable[[Rows], list[dict[str, Any]]] = field(default=lambda rows: rows)

    def rows(self, G: nx.MultiDiGraph[str], records: Iterable[Any], as_of: dt.date | None) -> Rows:
        return self.build(G, records, as_of)

    def file_rows(self, rows: Rows) -> list[dict[str, Any]]:
        return self.file(rows)

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


def unit_href(unit: Unit) -> str:
    return "/app/units/" + quote(unit.code or unit.id, safe="")


def _label_of(enum: type[Enum]) -> Callable[[str], str]:
    def shown(value: str) -> str:
        try:
            return label(enum(value))
        except ValueError:
            return value

    return shown


def _yes_no(value: str) -> str:
    return _("yes") if value == "yes" else _("no")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _unit_cell(key: str) -> Callable[[Row], Cell]:
    def cell(row: Row) -> Cell:
        unit: Unit | None = row.get(key)
        if unit is None:
            return Cell(_text(row.get(key + "_id")))
        return Cell(unit.name, unit_href(unit), row.get(key + "_parents") or None)

    return cell


def _plain(key: str, shown: Callable[[Any], str] = _text) -> Callable[[Row], Cell]:
    """The cell of ``key``: its value shown, marked (and noted below) when the row's
    record assumes it rather than sources it."""

    def cell(row: Row) -> Cell:
        value = row.get(key)
        if value is None:
            return Cell("")
        if key in row.get("assumed", ()):
            return Cell(shown(value) + ASSUMED_MARK, note=_("assumed value"))
        return Cell(shown(value))

    return cell


def _township(hierarchy: Hierarchy, unit_id: str | None) -> tuple[str | None, str | None]:
    if unit_id is None or unit_id not in hierarchy.G:
        return None, None
    found = hierarchy.ancestor(unit_id, Kind.TOWNSHIP)
    return found, (hierarchy.G.nodes[found]["unit"].name if found else None)


# Units ---------------------------------------------------------------------------------


def _unit_rows(G: nx.MultiDiGraph[str], units: Iterable[Unit], as_of: dt.date | None) -> Rows:
    hierarchy = Hierarchy(G, as_of)
    rows = []
    for unit in units:
        township_id, township = _township(hierarchy, unit.id)
        parent = G.nodes[unit.parent_id]["unit"] if unit.parent_id is not None and unit.parent_id in G else None
        # The side its pairings' roles give it (the file's side is only a hint).
        side = G.nodes[unit.id]["side"] if unit.id in G else unit.side
        rows.append(
            {
                "unit": unit,
                "id": unit.id,
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind.value,
                "side": side.value if side else None,
                "poverty": unit.poverty.value if unit.poverty else None,
                "placeholder": "yes" if unit.placeholder else "no",
                "assumed": unit.assumed,
                "township_id": township_id,
                "township": township,
                "parent": parent,
                "parent_id": unit.parent_id,
                "parents": hierarchy.path(unit.id),
            }
        )
    return rows


def _unit_file(rows: Rows) -> list[dict[str, Any]]:
    records = listings.record_rows(row["unit"] for row in rows)
    return [
        {**record, "parent_name": row["parent"].name if row["parent"] else None, "parents": row["parents"]}
        for record, row in zip(records, rows, strict=True)
    ]


UNIT_TABLE = TableSpec(
    path="/app/units",
    title=N_("Units"),
    file_name="units",
    columns=[
        Column("code", N_("Code"), _plain("code"), lambda r: r["code"]),
        Column("name", N_("Name"), lambda r: Cell(r["name"], unit_href(r["unit"])), lambda r: r["name"]),
        Column("kind", N_("Kind"), _plain("kind", _label_of(Kind)), lambda r: r["kind"]),
        Column("parents", N_("Parents"), _plain("parents"), lambda r: r["parents"] or None),
        Column("poverty", N_("Poverty"), _plain("poverty", _label_of(Poverty)), lambda r: r["poverty"]),
        Column("side", N_("Side"), _plain("side", _label_of(Side)), lambda r: r["side"]),
        Column("id", N_("Id"), lambda r: Cell(r["id"], unit_href(r["unit"])), lambda r: r["id"]),
    ],
    facets=[
        Facet("kind", N_("Kind"), lambda r: r["kind"], _label_of(Kind)),
        Facet("poverty", N_("Poverty"), lambda r: r["poverty"], _label_of(Poverty)),
        Facet("side", N_("Side"), lambda r: r["side"], _label_of(Side)),
        Facet("township", N_("Township"), lambda r: r["township_id"], shown_in=lambda r: r["township"]),
        Facet("placeholder", N_("Placeholder"), lambda r: r["placeholder"], _yes_no),
    ],
    build=_unit_rows,
    file=_unit_file,
)


# Pairings ------------------------------------------------------------------------------


def status_on(pairing: Pairing, as_of: dt.date) -> str:
    """``active``, ``ended`` or ``not_yet_started`` on ``as_of``."""
    if pairing.start is not None and pairing.start > as_of:
        return "not_yet_started"
    if pairing.end is not None and pairing.end < as_of:
        return "ended"
    return "active"


STATUS_WORDS = {"active": N_("active"), "ended": N_("ended"), "not_yet_started": N_("not yet started")}


def _pairing_rows(G: nx.MultiDiGraph[str], pairings: Iterable[Pairing], as_of: dt.date | None) -> Rows:
    on = as_of or dt.date.today()
    records = list(pairings)
    hierarchy = Hierarchy(G, as_of)
    rows = []
    for named, pairing in zip(listings.named_pairings(G, records), records, strict=True):
        township_id, township = _township(hierarchy, pairing.helped_id)
        rows.append(
            {
                **named,
                "township": township,
                "pairing": pairing,
                "helper_unit": G.nodes[pairing.helper_id]["unit"],
                "helped_unit": G.nodes[pairing.helped_id]["unit"],
                "status": status_on(pairing, on),
                "township_id": township_id,
                "placeholder": "yes" if pairing.placeholder else "no",
            }
        )
    return rows


def _pairing_file(rows: Rows) -> list[dict[str, Any]]:
    hidden = ("pairing", "helper_unit", "helped_unit", "township_id")
    return [{key: value for key, value in row.items() if key not in hidden} for row in rows]


def _named_cell(role: str) -> Callable[[Row], Cell]:
    return lambda r: Cell(r[role], unit_href(r[role + "_unit"]), r[role + "_parents"] or None)


PAIRING_TABLE = TableSpec(
    path="/app/pairings",
    title=N_("Pairings"),
    file_name="pairings",
    columns=[
        Column("helper", N_("Helper"), _named_cell("helper"), lambda r: (r["helper_code"] or "~", r["helper"])),
        Column("helped", N_("Helped"), _named_cell("helped"), lambda r: (r["helped_code"] or "~", r["helped"])),
        Column("level", N_("Level"), _plain("level", _label_of(Level)), lambda r: r["level"]),
        Column("program", N_("Program"), _plain("program"), lambda r: r["program"]),
        Column("mode", N_("Mode"), _plain("mode", _label_of(Mode)), lambda r: r["mode"]),
        Column("start", N_("Start"), _plain("start"), lambda r: r["start"]),
        Column("end", N_("End"), _plain("end"), lambda r: r["end"]),
        Column("status", N_("Status"), _plain("status", lambda v: _(STATUS_WORDS[v])), lambda r: r["status"]),
        Column("id", N_("Id"), _plain("id"), lambda r: r["id"]),
    ],
    facets=[
        Facet("level", N_("Level"), lambda r: r["level"], _label_of(Level)),
        Facet("program", N_("Program"), lambda r: r["program"]),
        Facet("mode", N_("Mode"), lambda r: r["mode"], _label_of(Mode)),
        Facet("status", N_("Status"), lambda r: r["status"], lambda v: _(STATUS_WORDS.get(v, v))),
        Facet("township", N_("Township"), lambda r: r["township_id"], shown_in=lambda r: r["township"]),
        Facet("placeholder", N_("Placeholder"), lambda r: r["placeholder"], _yes_no),
    ],
    build=_pairing_rows,
    file=_pairing_file,
)


# Flows ---------------------------------------------------------------------------------


def _flow_rows(G: nx.MultiDiGraph[str], flows: Iterable[Flow], as_of: dt.date | None) -> Rows:
    hierarchy = Hierarchy(G, as_of)
    rows = []
    for flow in flows:
        ends: dict[str, Any] = {}
        for role, unit_id in (("from", flow.from_id), ("to", flow.to_id)):
            ends |= {role: None, f"{role}_id": unit_id, f"{role}_parents": None}
            if unit_id is not None and unit_id in G:
                ends |= {role: G.nodes[unit_id]["unit"], f"{role}_parents": hierarchy.path(unit_id)}
        township_id, township = _township(hierarchy, flow.to_id)
        rows.append(
            {
                "flow": flow,
                **ends,
                "township": township,
                "id": flow.id,
                "kind": flow.kind.value,
                "amount": flow.amount,
                "unit_of_measure": flow.unit_of_measure,
                "year": None if flow.year is None else str(flow.year),
                "project": flow.project,
                "pairing_id": flow.pairing_id,
                "township_id": township_id,
                "placeholder": "yes" if flow.placeholder else "no",
            }
        )
    return rows


def _flow_file(rows: Rows) -> list[dict[str, Any]]:
    records = listings.record_rows(row["flow"] for row in rows)
    return [
        {
            **record,
            "from_name": row["from"].name if row["from"] else None,
            "to_name": row["to"].name if row["to"] else None,
        }
        for record, row in zip(records, rows, strict=True)
    ]


FLOW_TABLE = TableSpec(
    path="/app/flows",
    title=N_("Flows"),
    file_name="flows",
    columns=[
        Column("kind", N_("Kind"), _plain("kind", _label_of(FlowKind)), lambda r: r["kind"]),
        Column("amount", N_("Amount"), lambda r: Cell(f"{r['amount']:,.2f}"), lambda r: r["amount"], numeric=True),
        Column("unit_of_measure", N_("Unit of measure"), _plain("unit_of_measure"), lambda r: r["unit_of_measure"]),
        Column("year", N_("Year"), _plain("year"), lambda r: r["year"]),
        Column("from", N_("From"), _unit_cell("from"), lambda r: r["from"].name if r["from"] else None),
        Column("to", N_("To"), _unit_cell("to"), lambda r: r["to"].name if r["to"] else None),
        Column("project", N_("Project"), _plain("project"), lambda r: r["project"]),
        Column("id", N_("Id"), _plain("id"), lambda r: r["id"]),
    ],
    facets=[
        Facet("kind", N_("Kind"), lambda r: r["kind"], _label_of(FlowKind)),
        Facet("year", N_("Year"), lambda r: r["year"]),
        Facet("township", N_("Township"), lambda r: r["township_id"], shown_in=lambda r: r["township"]),
        Facet("placeholder", N_("Placeholder"), lambda r: r["placeholder"], _yes_no),
    ],
    build=_flow_rows,
    file=_flow_file,
)
