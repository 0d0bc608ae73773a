"""``/app/units``, ``/app/pairings``, ``/app/flows``: the records as datasette-style tables.

Each table is the service's list (:mod:`pairnet.service.listings`) below the page's place,
narrowed by facets (each value with its count among the rows the other filters leave) and by
a forgiving search (:mod:`pairnet.service.search`), sorted by any column, a page at a time,
and downloadable as CSV or XLSX with the current filter (every page) through the API's writers.
The columns, facets and file rows of each table are declared in :mod:`.columns`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from pairnet.api.deps import View, ViewDep
from pairnet.api.exports import Format, download
from pairnet.graph.model import FlowKind, Kind, Level, Mode, Poverty, Side
from pairnet.i18n import _
from pairnet.service import day, listings
from pairnet.service.search import ranked

from .columns import FLOW_TABLE, PAIRING_TABLE, UNIT_TABLE, Cell, Facet, Row, Rows, TableSpec
from .home import place_id
from .templating import ContextDep, PageContext, PageProblem, choice, render, resolved
from .writes import ender

__all__ = ["PAGE_SIZE", "router"]

router = APIRouter()

PAGE_SIZE = 50
_FORMATS = {"csv": Format.CSV, "xlsx": Format.XLSX}
Text = Annotated[str | None, Query(max_length=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Format_ = Annotated[str | None, Query(alias="format", max_length=10)]


def _unit_ref(view: View, parameter: str, ref: str | None) -> str | None:
    if ref is None or not ref.strip():
        return None
    return resolved(parameter, lambda r: view.unit(r).id, ref.strip())


def _flag(parameter: str, value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    words = {"yes": True, "true": True, "1": True, "是": True, "no": False, "false": False, "0": False, "否": False}
    if value.strip().lower() not in words:
        raise PageProblem(
            parameter, _("unknown value {value!r}; expected one of {expected}").format(value=value, expected="yes, no")
        )
    return words[value.strip().lower()]


def _show(
    request: Request,
    view: View,
    context: PageContext,
    spec: TableSpec,
    rows: Rows,
    filters: dict[str, str | None],
    *,
    q: str | None,
    sort: str | None,
    desc: bool,
    offset: int,
    fmt: str | None,
    action: Callable[[Row], Cell | None] | None = None,
) -> Response:
    """The table page (or its file) for ``rows``, already narrowed by the search; ``action``
    gives a row the link of what the signed-in person may do with it, in a last column."""
    chosen = {name: value for name, value in filters.items() if value is not None}
    facet_values = {facet.key: facet.value for facet in spec.facets}
    matching = [
        row
        for row in rows
        if all(facet_values[name](row) == value for name, value in chosen.items() if name in facet_values)
    ]
    if sort is not None:
        column = spec.column(sort)
        if column is None:
            raise PageProblem(
                "sort",
                _("unknown column {value!r}; expected one of {expected}").format(
                    value=sort, expected=", ".join(c.key for c in spec.columns)
                ),
            )
        present = [row for row in matching if column.sort(row) is not None]
        absent = [row for row in matching if column.sort(row) is None]
        matching = sorted(present, key=column.sort, reverse=desc) + absent
    if fmt is not None:
        if fmt not in _FORMATS:
            raise PageProblem(
                "format",
                _("unknown value {value!r}; expected one of {expected}").format(value=fmt, expected="csv, xlsx"),
            )
        return download(request, spec.file_rows(matching), fmt=_FORMATS[fmt], name=spec.file_name, sheet=spec.file_name)
    facets = []
    for facet in spec.facets:
        # Counts among the rows every other filter leaves, as datasette counts them.
        others = [
            row
            for row in rows
            if all(
                facet_values[name](row) == value
                for name, value in chosen.items()
                if name != facet.key and name in facet_values
            )
        ]
        counts = Counter(value for row in others if (value := facet.value(row)) is not None)
        values = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[: facet.limit]
        shown = _labels(facet, others, [value for value, _n in values])
        facets.append(
            {
                "key": facet.key,
                "label": _(facet.label),
                "chosen": chosen.get(facet.key),
                "options": [(value, shown[value], n) for value, n in values],
            }
        )
    page_rows = matching[offset : offset + PAGE_SIZE]
    params = {
        **chosen,
        **{k: v for k, v in filters.items() if k not in facet_values and v is not None},
        "q": q or None,
        "sort": sort,
        "desc": "1" if desc else None,
    }
    return render(
        request,
        "table.html",
        context,
        title=_(spec.title),
        spec=spec,
        columns=spec.columns,
        rows=[[column.cell(row) for column in spec.columns] for row in page_rows],
        actions=[action(row) for row in page_rows] if action is not None else [],
        total=len(matching),
        offset=offset,
        limit=PAGE_SIZE,
        facets=facets,
        params=params,
        q=q or "",
        sort=sort,
        desc=desc,
        action=spec.path,
    )


def _labels(facet: Facet, rows: Rows, values: list[str]) -> dict[str, str]:
    """The label of each of a facet's ``values``: from its enum, or from a row holding it."""
    if facet.shown_in is None:
        return {value: facet.shown(value) for value in values}
    found: dict[str, str] = {}
    for row in rows:
        value = facet.value(row)
        if value is not None and value not in found:
            found[value] = facet.shown_in(row) or value
    return {value: found.get(value, value) for value in values}


def _search(view: View, units: Sequence[Any], q: str | None) -> Sequence[Any]:
    return ranked(view.network, units, q) if q and q.strip() else units


def _below(view: View, context: PageContext) -> frozenset[str] | None:
    """The ids of the units at and below the page's place, None for no place (everything)."""
    if context.place is None:
        return None
    root = place_id(view, context)
    if root is None:
        return None
    found: frozenset[str] = view.cached(
        ("workbench-below", root, context.as_of), lambda: listings.below(view.network, root, context.as_of)
    )
    return found


@router.get("/units", response_class=HTMLResponse)
def units_page(
    request: Request,
    view: ViewDep,
    context: ContextDep,
    q: Text = None,
    kind: Text = None,
    poverty: Text = None,
    side: Text = None,
    township: Text = None,
    placeholder: Text = None,
    parent: Text = None,
    sort: Text = None,
    desc: bool = False,
    offset: Offset = 0,
    fmt: Format_ = None,
) -> Response:
    """The units below the page's place (valid on its day), with facets and search."""
    G = view.network
    within = place_id(view, context) if context.place else None
    parent_id = _unit_ref(view, "parent", parent)
    units = listings.units(G, within=within, parent=parent_id, as_of=context.as_of)
    matched = _search(view, units, q)
    filters = {
        "kind": _value(choice("kind", Kind, kind)),
        "poverty": _value(choice("poverty", Poverty, poverty)),
        "side": _value(choice("side", Side, side)),
        "township": _unit_ref(view, "township", township),
        "placeholder": _yes_no(_flag("placeholder", placeholder)),
        "parent": parent,
    }
    return _show(
        request,
        view,
        context,
        UNIT_TABLE,
        UNIT_TABLE.rows(G, matched, context.as_of),
        filters,
        q=q,
        sort=_sort(sort),
        desc=desc,
        offset=offset,
        fmt=fmt,
    )


@router.get("/pairings", response_class=HTMLResponse)
def pairings_page(
    request: Request,
    view: ViewDep,
    context: ContextDep,
    q: Text = None,
    level: Text = None,
    program: Text = None,
    mode: Text = None,
    status: Text = None,
    township: Text = None,
    placeholder: Text = None,
    unit: Text = None,
    sort: Text = None,
    desc: bool = False,
    offset: Offset = 0,
    fmt: Format_ = None,
) -> Response:
    """The pairings touching the page's place, with facets (status on its day) and search."""
    G = view.network
    unit_id = _unit_ref(view, "unit", unit)
    records = listings.pairings(view.dataset, unit=unit_id, units_in=_below(view, context))
    if q and q.strip():
        found = {u.id for u in ranked(G, {G.nodes[n]["unit"] for p in records for n in (p.helper_id, p.helped_id)}, q)}
        records = [p for p in records if p.helper_id in found or p.helped_id in found or q.strip() in (p.program or "")]
    if status and status.strip() and status.strip() not in ("active", "ended", "not_yet_started"):
        raise PageProblem(
            "status",
            _("unknown value {value!r}; expected one of {expected}").format(
                value=status, expected="active, ended, not_yet_started"
            ),
        )
    filters = {
        "level": _value(choice("level", Level, level)),
        "program": program.strip() if program else None,
        "mode": _value(choice("mode", Mode, mode)),
        "status": status.strip() if status and status.strip() else None,
        "township": _unit_ref(view, "township", township),
        "placeholder": _yes_no(_flag("placeholder", placeholder)),
        "unit": unit,
    }
    on = day(context.as_of)
    rows = PAIRING_TABLE.rows(G, records, on)
    may_end = ender(request, G, on)

    def end_link(row: Row) -> Cell | None:
        pairing = row["pairing"]
        return Cell(_("End this pairing"), f"/app/pairings/{pairing.id}/end") if may_end(pairing) else None

    return _show(
        request,
        view,
        context,
        PAIRING_TABLE,
        rows,
        filters,
        q=q,
        sort=_sort(sort),
        desc=desc,
        offset=offset,
        fmt=fmt,
        action=end_link,
    )


@router.get("/flows", response_class=HTMLResponse)
def flows_page(
    request: Request,
    view: ViewDep,
    context: ContextDep,
    q: Text = None,
    kind: Text = None,
    year: Text = None,
    township: Text = None,
    placeholder: Text = None,
    unit: Text = None,
    sort: Text = None,
    desc: bool = False,
    offset: Offset = 0,
    fmt: Format_ = None,
) -> Response:
    """The flows at either end in the page's place, with facets and search."""
    G = view.network
    unit_id = _unit_ref(view, "unit", unit)
    below = _below(view, context)
    records = [
        f for f in listings.flows(view.dataset, unit=unit_id) if below is None or f.from_id in below or f.to_id in below
    ]
    if q and q.strip():
        ends = {G.nodes[n]["unit"] for f in records for n in (f.from_id, f.to_id) if n in G}
        found = {u.id for u in ranked(G, ends, q)}
        records = [f for f in records if f.from_id in found or f.to_id in found or q.strip() in (f.project or "")]
    if year and year.strip() and not year.strip().isdigit():
        raise PageProblem("year", _("not a year: {value}").format(value=year))
    filters = {
        "kind": _value(choice("kind", FlowKind, kind)),
        "year": year.strip() if year and year.strip() else None,
        "township": _unit_ref(view, "township", township),
        "placeholder": _yes_no(_flag("placeholder", placeholder)),
        "unit": unit,
    }
    return _show(
        request,
        view,
        context,
        FLOW_TABLE,
        FLOW_TABLE.rows(G, records, context.as_of),
        filters,
        q=q,
        sort=_sort(sort),
        desc=desc,
        offset=offset,
        fmt=fmt,
    )


def _value(member: Any) -> str | None:
    return None if member is None else str(member.value)


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def _sort(sort: str | None) -> str | None:
    return sort.strip() if sort and sort.strip() else None
