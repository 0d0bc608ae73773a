"""The lists of records every front door offers: units, pairings and flows matching filters,
and the rows their files hold (the input format's columns, so a list loads again as is).

Filters that name units take ids (resolve them with :func:`pairnet.service.unit_id`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from enum import StrEnum
from typing import Any

import networkx as nx
from pydantic import BaseModel

from pairnet.graph.columns import column_of
from pairnet.graph.model import Dataset, Flow, FlowKind, Kind, Level, Mode, Pairing, Poverty, Side, Unit
from pairnet.graph.targets import Hierarchy, TargetSet, select_targets
from pairnet.i18n import _, ngettext
from pairnet.i18n.collation import unit_key

from . import search

__all__ = [
    "UnitOrder",
    "below",
    "flows",
    "flows_title",
    "named_pairings",
    "pairings",
    "pairings_title",
    "named_record_columns",
    "named_record_rows",
    "record_columns",
    "record_rows",
    "units",
    "units_title",
]


class UnitOrder(StrEnum):
    """The order of a unit list: the register's (division code, then pinyin of the name) or ids."""

    REGISTER = "register"
    ID = "id"


def units(
    G: nx.MultiDiGraph[str],
    *,
    kind: Kind | None = None,
    side: Side | None = None,
    parent: str | None = None,
    within: str | None = None,
    poverty: Poverty | None = None,
    q: str | None = None,
    as_of: dt.date | None = None,
    order: UnitOrder = UnitOrder.REGISTER,
) -> list[Unit]:
    """The units matching every filter, in ``order``: ``parent`` is the direct parent's id,
    ``within`` a root below which the unit is on ``as_of``, ``q`` what a person types in a
    search box (:mod:`pairnet.service.search`: a name as written, a code, a part of a name,
    pinyin). With ``q``, the register's order ranks exact, code, name, then sound matches first."""
    # select_targets places units under their parent as of the date (boundary changes).
    selected = select_targets(G, TargetSet.of(kind=kind, side=side, poverty=poverty, within=within), as_of=as_of)
    matching = [unit for unit in (G.nodes[n]["unit"] for n in selected) if parent is None or unit.parent_id == parent]
    if q and q.strip():
        matching = search.ranked(G, matching, q)
        if order == UnitOrder.ID:
            matching.sort(key=lambda unit: unit.id)
        return matching
    matching.sort(key=unit_key if order == UnitOrder.REGISTER else lambda unit: unit.id)
    return matching


def pairings(
    dataset: Dataset,
    *,
    level: Level | None = None,
    mode: Mode | None = None,
    program: str | None = None,
    helper: str | None = None,
    helped: str | None = None,
    unit: str | None = None,
    active_on: dt.date | None = None,
    levels: Collection[Level] | None = None,
    units_in: Collection[str] | None = None,
) -> list[Pairing]:
    """The pairings matching every filter (``unit``: on either side; ``levels``: at one of
    them; ``units_in``: with a side among these ids, see :func:`below`), in the store's order."""
    return [
        p
        for p in dataset.pairings
        if (level is None or p.level == level)
        and (levels is None or p.level in levels)
        and (units_in is None or p.helper_id in units_in or p.helped_id in units_in)
        and (mode is None or p.mode == mode)
        and (program is None or p.program == program)
        and (helper is None or p.helper_id == helper)
        and (helped is None or p.helped_id == helped)
        and (unit is None or unit in (p.helper_id, p.helped_id))
        and p.active_on(active_on)
    ]


def below(G: nx.MultiDiGraph[str], root: str, as_of: dt.date | None = None) -> frozenset[str]:
    """``root`` and every unit below it on ``as_of`` (boundary changes placed as the
    analyses place them)."""
    return frozenset([root, *Hierarchy(G, as_of).descendants(root)])


def named_pairings(G: nx.MultiDiGraph[str], records: Iterable[Pairing]) -> list[dict[str, Any]]:
    """Pairings as rows a person reads: both sides' names, codes and parent chains beside
    their ids, the level, program, dates and agreement, and which of its values are assumed."""
    hierarchy = Hierarchy(G)
    rows = []
    for p in records:
        sides: dict[str, Any] = {}
        for role, unit_id in (("helper", p.helper_id), ("helped", p.helped_id)):
            unit = G.nodes[unit_id]["unit"]
            sides |= {
                role: unit.name,
                f"{role}_code": unit.code,
                f"{role}_parents": hierarchy.path(unit_id),
                f"{role}_id": unit_id,
            }
        rows.append(
            {
                "id": p.id,
                **sides,
                "level": p.level.value,
                "mode": p.mode.value if p.mode else None,
                "program": p.program,
                "start": p.start,
                "end": p.end,
                "agreement": p.agreement,
                "assumed": list(p.assumed),
            }
        )
    return rows


def flows(
    dataset: Dataset,
    *,
    kind: FlowKind | None = None,
    year: int | None = None,
    from_id: str | None = None,
    to_id: str | None = None,
    unit: str | None = None,
    pairing: str | None = None,
) -> list[Flow]:
    """The flows matching every filter (``unit``: at either end), in the store's order."""
    return [
        f
        for f in dataset.flows
        if (kind is None or f.kind == kind)
        and (year is None or f.year == year)
        and (from_id is None or f.from_id == from_id)
        and (to_id is None or f.to_id == to_id)
        and (unit is None or unit in (f.from_id, f.to_id))
        and (pairing is None or f.pairing_id == pairing)
    ]


def record_rows(records: Iterable[BaseModel]) -> list[dict[str, Any]]:
    """Units, pairings or flows as flat rows with the input format's column names, so that
    a downloaded list loads again as it is (provenance is in the JSON answers)."""
    return [{column_of(name): value for name, value in record if name != "source"} for record in records]


def record_columns(model: type[BaseModel]) -> list[str]:
    """The columns of :func:`record_rows` for records of ``model``: a list with no record
    still has its header.

    >>> record_columns(Pairing)[:5]
    ['placeholder', 'assumed', 'note', 'id', 'helper']
    """
    return [column_of(name) for name in model.model_fields if name != "source"]


# The names a file writes beside each reference, after it: derived from the references, so
# the loaders drop them (pairnet.loaders.headers.DERIVED) and the file still loads as it is.
NAMED_REFERENCES = {
    "parent": ("parent_name", "parents"),
    "helper": ("helper_name",),
    "helped": ("helped_name",),
    "from": ("from_name",),
    "to": ("to_name",),
}


def named_record_rows(
    G: nx.MultiDiGraph[str], records: Iterable[BaseModel], as_of: dt.date | None = None
) -> list[dict[str, Any]]:
    """:func:`record_rows` with each referenced unit's name beside its id (``helper_name``,
    ``from_name``...) and, for a unit, its parents' path (``parents``) as of ``as_of``: what a
    person reads in a download, which the loaders drop as derived."""
    hierarchy = Hierarchy(G, as_of)
    nodes = G.nodes

    def name(unit_id: object) -> str | None:
        return nodes[unit_id]["unit"].name if isinstance(unit_id, str) and unit_id in nodes else None

    rows = []
    for row in record_rows(records):
        named: dict[str, Any] = {}
        for column, value in row.items():
            named[column] = value
            derived = NAMED_REFERENCES.get(column, ())
            if derived:
                named[derived[0]] = name(value)
            if "parents" in derived:
                named["parents"] = hierarchy.path(row["id"]) if row["id"] in nodes else ""
        rows.append(named)
    return rows


def named_record_columns(model: type[BaseModel]) -> list[str]:
    """The columns of :func:`named_record_rows` for records of ``model``: each reference
    followed by the names derived from it."""
    columns: list[str] = []
    for column in record_columns(model):
        columns += [column, *NAMED_REFERENCES.get(column, ())]
    return columns


def _where(G: nx.MultiDiGraph[str], within: str | None) -> str:
    return _("below {place}").format(place=G.nodes[within]["name"]) if within is not None else _("everywhere")


def units_title(G: nx.MultiDiGraph[str], count: int, *, within: str | None, as_of: dt.date | None) -> str:
    """The title row of a list of units: how many, where, on which day."""
    return ngettext("{n} unit {where}, as of {day}", "{n} units {where}, as of {day}", count).format(
        n=count, where=_where(G, within), day=as_of.isoformat() if as_of else _("any date")
    )


def pairings_title(G: nx.MultiDiGraph[str], count: int, *, within: str | None, active_on: dt.date | None) -> str:
    """The title row of a list of pairings: how many, of which place, active on which day."""
    where = _("of {place}").format(place=G.nodes[within]["name"]) if within is not None else _("everywhere")
    return ngettext("{n} pairing {where}, active on {day}", "{n} pairings {where}, active on {day}", count).format(
        n=count, where=where, day=active_on.isoformat() if active_on else _("any date")
    )


def flows_title(G: nx.MultiDiGraph[str], count: int, *, unit: str | None) -> str:
    """The title row of a list of flows: how many, from or to which unit."""
    where = _("from or to {place}").format(place=G.nodes[unit]["name"]) if unit is not None else _("everywhere")
    return ngettext("{n} flow {where}", "{n} flows {where}", count).format(n=count, where=where)
