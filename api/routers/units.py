"""``/units``: the units of the network, filtered and paginated, and one unit in detail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from pairnet.graph.model import Side, Unit
from pairnet.graph.network import parent_chain
from pairnet.graph.targets import Hierarchy
from pairnet.i18n import N_
from pairnet.i18n.choices import KindChoice, PovertyChoice, SideChoice
from pairnet.service import listings, unit_id
from pairnet.service.listings import UnitOrder

from ..deps import View
from ..exports import DOWNLOAD_RESPONSES, FormatDep, FreshViewDep, PageDep, dated, download, page_of
from ..parameters import ISO_DAY_EXAMPLE, IsoDay
from ..problems import problem_responses
from ..schemas import ListedUnit, Page, UnitDetail, UnitPairing, UnitRef

__all__ = ["router"]

router = APIRouter(prefix="/units", tags=["units"])

UNIT_EXAMPLES = ["520627110", "沿河土家族自治县/中界镇"]


def filter_ref(view: View, parameter: str, ref: str | None) -> str | None:
    """The unit id a filter parameter names; an unknown reference raises NotFound naming
    the parameter (invalid input, 422)."""
    return unit_id(view.network, parameter, ref, lambda r: view.unit(r).id)


@router.get(
    "",
    response_model=Page[ListedUnit],
    summary=N_("List units, with their parents named"),
    responses={**DOWNLOAD_RESPONSES, **problem_responses(422, 503)},
)
def list_units(
    request: Request,
    view: FreshViewDep,
    page: PageDep,
    fmt: FormatDep,
    kind: Annotated[
        KindChoice | None, Query(description=N_("A unit kind: `village`, or as in files: 村, 镇..."))
    ] = None,
    side: Annotated[
        SideChoice | None, Query(description=N_("`helper` or `helped` (帮扶方/东部, 受帮扶方/西部)."))
    ] = None,
    parent: Annotated[
        str | None,
        Query(description=N_("Only the direct children of this unit (id, code or name path)."), examples=UNIT_EXAMPLES),
    ] = None,
    within: Annotated[
        str | None, Query(description=N_("Only the units below this unit, at any depth."), examples=UNIT_EXAMPLES)
    ] = None,
    poverty: Annotated[
        PovertyChoice | None, Query(description=N_("`deeply_poor` or `poor` (深度贫困村, 贫困村)."))
    ] = None,
    q: Annotated[
        str | None, Query(description=N_("Name contains this text, or code starts with it."), examples=["高峰"])
    ] = None,
    as_of: Annotated[
        IsoDay | None, Query(description=N_("Only units valid on this date (YYYY-MM-DD)."), examples=[ISO_DAY_EXAMPLE])
    ] = None,
    order: Annotated[
        UnitOrder, Query(description=N_("`register`: division code, then the pinyin of the name; `id`: unit id."))
    ] = UnitOrder.REGISTER,
):
    """Units with the filters combined (all must hold), in the register's order: division
    code, then the pinyin of the name (or in id order with ``order=id``)."""
    filters: dict[str, Any] = {
        "kind": kind,
        "side": side,
        "parent": filter_ref(view, "parent", parent),
        "within": filter_ref(view, "within", within),
        "poverty": poverty,
        "q": q,
        "as_of": as_of,
        "order": order,
    }
    units = view.cached(("units", *filters.values()), lambda: listings.units(view.network, **filters))
    if fmt != "json":
        title = listings.units_title(view.network, len(units), within=filters["within"], as_of=as_of)
        rows = listings.named_record_rows(view.network, units, as_of)
        columns = listings.named_record_columns(Unit)
        return download(request, rows, fmt=fmt, name=dated("units", as_of), columns=columns, sheet="units", title=title)
    listed = page_of(units, page)
    hierarchy = Hierarchy(view.network, as_of)
    nodes = view.network.nodes
    listed["items"] = [
        ListedUnit.of(
            u,
            nodes[u.parent_id]["unit"] if u.parent_id is not None and u.parent_id in nodes else None,
            hierarchy.path(u.id),
        )
        for u in listed["items"]
    ]
    return listed


@router.get(
    "/{ref:path}",
    response_model=UnitDetail,
    summary=N_("One unit with its parent chain and its pairings at every level"),
    responses={304: DOWNLOAD_RESPONSES[304], **problem_responses(404, 503)},
)
def get_unit(
    view: FreshViewDep,
    ref: Annotated[str, Path(description=N_("An id, a division code, or a name path."), examples=UNIT_EXAMPLES)],
    as_of: Annotated[
        IsoDay | None,
        Query(description=N_("Mark which pairings are active on this date (YYYY-MM-DD)."), examples=[ISO_DAY_EXAMPLE]),
    ] = None,
) -> UnitDetail:
    G = view.network
    unit = view.unit(ref)
    by_level: dict = {}
    for helper, helped, pairing in _pairings_of(G, unit.id):
        role = Side.HELPER if helper == unit.id else Side.HELPED
        partner = G.nodes[helped if role == Side.HELPER else helper]["unit"]
        by_level.setdefault(pairing.level, []).append(
            UnitPairing(role=role, partner=UnitRef.of(partner), active=pairing.active_on(as_of), pairing=pairing)
        )
    for items in by_level.values():
        items.sort(key=lambda item: item.pairing.id)
    return UnitDetail(
        unit=unit,
        parents=[UnitRef.of(G.nodes[p]["unit"]) for p in parent_chain(G, unit.id)],
        children=len(G.graph["children"].get(unit.id, ())),
        as_of=as_of,
        pairings=dict(sorted(by_level.items())),
    )


def _pairings_of(G, unit_id: str):
    for helper, helped, pairing in G.out_edges(unit_id, data="pairing"):
        yield helper, helped, pairing
    for helper, helped, pairing in G.in_edges(unit_id, data="pairing"):
        yield helper, helped, pairing
