"""``/pairings``: the pairings of the network, filtered and paginated, and one in detail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from pairnet.graph.errors import NotFound
from pairnet.graph.model import Pairing
from pairnet.i18n import N_, _
from pairnet.i18n.choices import LevelChoice, ModeChoice
from pairnet.service import listings

from ..exports import DOWNLOAD_RESPONSES, Format, FormatDep, FreshViewDep, PageDep, dated, download, page_of
from ..parameters import ISO_DAY_EXAMPLE, IsoDay
from ..problems import problem_responses
from ..schemas import ListedPairing, Page, PairingDetail, UnitRef
from .units import UNIT_EXAMPLES, filter_ref

__all__ = ["router"]

router = APIRouter(prefix="/pairings", tags=["pairings"])

UnitFilter = Annotated[
    str | None, Query(description=N_("A unit: id, division code or name path."), examples=UNIT_EXAMPLES)
]


@router.get(
    "",
    response_model=Page[ListedPairing],
    summary=N_("List pairings, both sides named"),
    responses={**DOWNLOAD_RESPONSES, **problem_responses(422, 503)},
)
def list_pairings(
    request: Request,
    view: FreshViewDep,
    page: PageDep,
    fmt: FormatDep,
    level: Annotated[
        LevelChoice | None, Query(description=N_("A pairing level: `village`, or as in files: 村级, 镇级..."))
    ] = None,
    mode: Annotated[
        ModeChoice | None, Query(description=N_("A village mode: `strong_village`, or 经济强村..."))
    ] = None,
    program: Annotated[
        str | None, Query(description=N_("The program, exactly as recorded."), examples=["东西部扶贫协作"])
    ] = None,
    helper: UnitFilter = None,
    helped: UnitFilter = None,
    unit: Annotated[
        str | None, Query(description=N_("Pairings of this unit on either side."), examples=UNIT_EXAMPLES)
    ] = None,
    active_on: Annotated[
        IsoDay | None,
        Query(
            description=N_("Only pairings active on this date, YYYY-MM-DD (inclusive ends)."),
            examples=[ISO_DAY_EXAMPLE],
        ),
    ] = None,
):
    """Pairings in id order, with the filters combined (all must hold)."""
    filters: dict[str, Any] = {
        "level": level,
        "mode": mode,
        "program": program,
        "helper": filter_ref(view, "helper", helper),
        "helped": filter_ref(view, "helped", helped),
        "unit": filter_ref(view, "unit", unit),
        "active_on": active_on,
    }
    pairings = view.cached(("pairings", *filters.values()), lambda: listings.pairings(view.dataset, **filters))
    if fmt != Format.JSON:
        title = listings.pairings_title(view.network, len(pairings), within=filters["unit"], active_on=active_on)
        rows = listings.named_record_rows(view.network, pairings)
        name, columns = dated("pairings", active_on), listings.named_record_columns(Pairing)
        return download(request, rows, fmt=fmt, name=name, columns=columns, sheet="pairings", title=title)
    listed = page_of(pairings, page)
    nodes = view.network.nodes
    listed["items"] = [
        ListedPairing.of(p, nodes[p.helper_id]["unit"], nodes[p.helped_id]["unit"]) for p in listed["items"]
    ]
    return listed


@router.get(
    "/{pairing_id}",
    response_model=PairingDetail,
    summary=N_("One pairing with both of its units"),
    responses={304: DOWNLOAD_RESPONSES[304], **problem_responses(404, 503)},
)
def get_pairing(
    view: FreshViewDep, pairing_id: Annotated[str, Path(description=N_("The pairing's id."))]
) -> PairingDetail:
    pairing = view.cached(("pairing-index",), lambda: {p.id: p for p in view.dataset.pairings}).get(pairing_id)
    if pairing is None:
        raise NotFound(_("no pairing {id}").format(id=repr(pairing_id)))
    G = view.network
    return PairingDetail(
        pairing=pairing,
        helper=UnitRef.of(G.nodes[pairing.helper_id]["unit"]),
        helped=UnitRef.of(G.nodes[pairing.helped_id]["unit"]),
    )
