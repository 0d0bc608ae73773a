"""``/flows``: funds, people, visits and other flows, filtered and paginated, and one in detail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from pairnet.graph.errors import NotFound
from pairnet.graph.model import Flow, Unit
from pairnet.i18n import N_, _
from pairnet.i18n.choices import FlowKindChoice
from pairnet.service import listings

from ..exports import DOWNLOAD_RESPONSES, Format, FormatDep, FreshViewDep, PageDep, download, page_of
from ..problems import problem_responses
from ..schemas import FlowDetail, ListedFlow, Page, UnitRef
from .pairings import UnitFilter
from .units import UNIT_EXAMPLES, filter_ref

__all__ = ["router"]

router = APIRouter(prefix="/flows", tags=["flows"])


@router.get(
    "",
    response_model=Page[ListedFlow],
    summary=N_("List flows, both ends named"),
    responses={**DOWNLOAD_RESPONSES, **problem_responses(422, 503)},
)
def list_flows(
    request: Request,
    view: FreshViewDep,
    page: PageDep,
    fmt: FormatDep,
    kind: Annotated[
        FlowKindChoice | None, Query(description=N_("A flow kind: `funds`, or as in files: 资金, 挂职干部..."))
    ] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100, examples=[2018])] = None,
    from_: Annotated[
        str | None, Query(alias="from", description=N_("Flows from this unit."), examples=UNIT_EXAMPLES)
    ] = None,
    to: UnitFilter = None,
    unit: Annotated[str | None, Query(description=N_("Flows from or to this unit."), examples=UNIT_EXAMPLES)] = None,
    pairing: Annotated[str | None, Query(description=N_("Flows recorded against this pairing id."))] = None,
):
    """Flows in id order, with the filters combined (all must hold)."""
    filters: dict[str, Any] = {
        "kind": kind,
        "year": year,
        "from_id": filter_ref(view, "from", from_),
        "to_id": filter_ref(view, "to", to),
        "unit": filter_ref(view, "unit", unit),
        "pairing": pairing,
    }
    flows = view.cached(("flows", *filters.values()), lambda: listings.flows(view.dataset, **filters))
    if fmt != Format.JSON:
        title = listings.flows_title(view.network, len(flows), unit=filters["unit"])
        rows, columns = listings.named_record_rows(view.network, flows), listings.named_record_columns(Flow)
        return download(request, rows, fmt=fmt, name="flows", columns=columns, title=title)
    listed = page_of(flows, page)
    nodes = view.network.nodes

    def end(unit_id: str | None) -> Unit | None:
        return nodes[unit_id]["unit"] if unit_id is not None and unit_id in nodes else None

    listed["items"] = [ListedFlow.of(f, end(f.from_id), end(f.to_id)) for f in listed["items"]]
    return listed


@router.get(
    "/{flow_id}",
    response_model=FlowDetail,
    summary=N_("One flow with the units at both ends"),
    responses={304: DOWNLOAD_RESPONSES[304], **problem_responses(404, 503)},
)
def get_flow(view: FreshViewDep, flow_id: Annotated[str, Path(description=N_("The flow's id."))]) -> FlowDetail:
    flow = view.cached(("flow-index",), lambda: {f.id: f for f in view.dataset.flows}).get(flow_id)
    if flow is None:
        raise NotFound(_("no flow {id}").format(id=repr(flow_id)))
    G = view.network

    def ref(unit_id: str | None) -> UnitRef | None:
        return UnitRef.of(G.nodes[unit_id]["unit"]) if unit_id in G else None

    return FlowDetail(flow=flow, from_unit=ref(flow.from_id), to_unit=ref(flow.to_id))
