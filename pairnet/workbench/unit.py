"""``/app/units/{ref}``: one unit, its place, its partners, its flows and what could change.

The unit is named as everywhere else (an id, a division code, a name path or a name as
people write it). The page shows its parent chain, its pairings at every level (as helper
and as helped) with programs and dates, the flows at either end, every import that wrote its
records, the partner the recommendations suggest when it is a gap, the what-if of its helpers
withdrawing (of itself withdrawing, for a unit that only helps), and a small map of it
(:mod:`.minimap`) linking to its full map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import networkx as nx
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from pairnet.api.deps import View, ViewDep
from pairnet.graph.errors import PairnetError
from pairnet.graph.model import Kind, Side, Unit
from pairnet.graph.network import parent_chain
from pairnet.i18n import _, ngettext
from pairnet.i18n.labels import label
from pairnet.service import analyses, day, listings, question
from pairnet.service.history import touched_by
from pairnet.service.wording import ASSUMED_NOTE

from .gaps import suggested
from .minimap import minimap
from .templating import ContextDep, render, resolved
from .writes import ender

__all__ = ["router", "whatif_of"]

router = APIRouter()

WHATIF_ROWS = 20
# How many records of each kind an import wrote, as a person reads it.
_RECORD_WORDS: tuple[tuple[str, Callable[[int], str]], ...] = (
    ("units", lambda n: ngettext("{n} unit", "{n} units", n)),
    ("pairings", lambda n: ngettext("{n} pairing", "{n} pairings", n)),
    ("flows", lambda n: ngettext("{n} flow", "{n} flows", n)),
)


def _partners(view: View, unit: Unit, as_of: dt.date) -> list[dict[str, Any]]:
    """The unit's pairings with the partner on the other side, by level then start."""
    G = view.network
    rows: list[dict[str, Any]] = []
    for pairing in listings.pairings(view.dataset, unit=unit.id):
        helper = pairing.helper_id == unit.id
        partner: Unit = G.nodes[pairing.helped_id if helper else pairing.helper_id]["unit"]
        rows.append(
            {
                "pairing": pairing,
                "role": label(Side.HELPER if helper else Side.HELPED),
                "partner": partner,
                "partner_path": listings_path(G, partner.id),
                "level": label(pairing.level),
                "mode": label(pairing.mode) if pairing.mode else "",
                "active": pairing.active_on(as_of),
            }
        )
    rows.sort(key=lambda row: (row["pairing"].level.value, row["pairing"].start or dt.date.min, row["pairing"].id))
    return rows


def listings_path(G: nx.MultiDiGraph[str], unit_id: str) -> str:
    """The names of the parents of ``unit_id``, outermost first (``沿河土家族自治县 / 中界镇``)."""
    return " / ".join(G.nodes[p]["unit"].name for p in reversed(parent_chain(G, unit_id)))


def whatif_of(view: View, unit: Unit, as_of: dt.date) -> dict[str, Any] | None:
    """The what-if of the unit's active helpers withdrawing (with the units under them),
    over the villages below the unit (its own kind below its parent, for a unit with no
    children); for a unit no one helps, of itself withdrawing, over the villages it helps.
    None when there is nothing to withdraw."""
    G = view.network
    helpers = sorted({p.helper_id for p in listings.pairings(view.dataset, helped=unit.id, active_on=as_of)})
    if helpers:
        has_children = bool(G.graph["children"].get(unit.id))
        kind, within = (Kind.VILLAGE, unit.id) if has_children else (unit.kind, unit.parent_id)
        withdraw, under = helpers, True
    elif any(True for _p in listings.pairings(view.dataset, helper=unit.id, active_on=as_of)):
        kind, within, withdraw, under = Kind.VILLAGE, None, [unit.id], True
    else:
        return None
    asked = question(G, kind=[kind], within=within, as_of=as_of, resolve=lambda ref: ref)
    try:
        result = view.cached(
            ("workbench-whatif", asked, tuple(withdraw)),
            lambda: analyses.whatif(G, asked, withdraw=withdraw, with_units_under=under).result,
        )
    except PairnetError:
        return None
    return {
        "result": result,
        "helpers": [G.nodes[helper]["unit"] for helper in withdraw],
        "kind": label(kind),
        "place": G.nodes[within]["unit"].name if within else _("the whole network"),
        "self": withdraw == [unit.id],
        "rows": result["rows"][:WHATIF_ROWS],
        "more": max(len(result["rows"]) - WHATIF_ROWS, 0),
    }


def _suggestion(view: View, unit: Unit, as_of: dt.date) -> dict[str, Any] | None:
    """The partner suggested for the unit if it is a helped gap, among its parent's gaps."""
    if unit.side != Side.HELPED or unit.parent_id is None:
        return None
    asked = question(view.network, kind=[unit.kind], within=unit.parent_id, as_of=as_of, resolve=lambda ref: ref)
    return suggested(view, asked).get(unit.id)


def _imports(request: Request, unit: Unit, pairings: list[dict[str, Any]], flows: list[Any]) -> list[dict[str, Any]]:
    """Every import that wrote the unit, one of its pairings or one of its flows, newest first."""
    records = [("units", unit.id), *(("pairings", row["pairing"].id) for row in pairings)]
    records += [("flows", flow.id) for flow in flows]
    entries = []
    for touched in touched_by(request.app.state.store_holder.reader(), records):
        summary = touched.summary
        entries.append(
            {
                "id": summary.import_id,
                "at": summary.imported_at,
                # The file's name only: a path is the importer's machine's business, not the page's.
                "file": PurePath(summary.source).name,
                "author": summary.author,
                "reverts": summary.reverts,
                "records": "、".join(
                    words(touched.records[table]).format(n=touched.records[table])
                    for table, words in _RECORD_WORDS
                    if touched.records[table]
                ),
            }
        )
    return entries


@router.get("/units/{ref:path}", response_class=HTMLResponse)
def unit_page(
    request: Request,
    view: ViewDep,
    context: ContextDep,
    ref: Annotated[str, Path(max_length=300)],
) -> HTMLResponse:
    """One unit in full, on the page's day."""
    G = view.network
    unit: Unit = resolved("ref", view.unit, ref)
    as_of = day(context.as_of)
    chain = [G.nodes[p]["unit"] for p in reversed(parent_chain(G, unit.id))]
    partners = _partners(view, unit, as_of)
    may_end = ender(request, G, as_of)
    for row in partners:
        row["may_end"] = may_end(row["pairing"])
    flows = listings.flows(view.dataset, unit=unit.id)
    flow_rows = [
        {
            "flow": flow,
            "kind": label(flow.kind),
            "from": G.nodes[flow.from_id]["unit"] if flow.from_id in G else None,
            "to": G.nodes[flow.to_id]["unit"] if flow.to_id in G else None,
        }
        for flow in flows
    ]
    map_query = urlencode({"as_of": as_of.isoformat()})
    return render(
        request,
        "unit.html",
        context,
        title=unit.name,
        unit=unit,
        ref=unit.code or unit.id,
        kind=label(unit.kind),
        side=label(G.nodes[unit.id]["side"]) if G.nodes[unit.id]["side"] else "",
        poverty=label(unit.poverty) if unit.poverty else "",
        assumed_note=_(ASSUMED_NOTE),
        chain=chain,
        partners=partners,
        flows=flow_rows,
        imports=_imports(request, unit, partners, flows),
        suggestion=_suggestion(view, unit, as_of),
        whatif=whatif_of(view, unit, as_of),
        minimap=minimap(G, unit, [row["pairing"] for row in partners], as_of),
        map_href=f"/maps/unit/{quote(unit.code or unit.id, safe='')}?{map_query}",
        day=as_of,
    )
