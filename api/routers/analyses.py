"""``/analyses``: coverage, gaps, alignment, balance, recommendations, what-if, flow roll-ups,
timelines and the summary — a thin layer over :mod:`pairnet.service` with the CLI's
parameters, cached per store version, each downloadable as CSV or XLSX (the CLI's files)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field
from starlette.datastructures import QueryParams

from pairnet.graph.model import Level, Year
from pairnet.graph.results import (
    AlignmentResult,
    BalanceResult,
    CoverageResult,
    FlowRollupRow,
    RecommendationResult,
    SchoolCoverageResult,
    SummaryResult,
    TimelineRow,
    TwoWayCoverageResult,
    WhatIfResult,
)
from pairnet.i18n import N_
from pairnet.i18n.choices import FlowKindChoice, KindChoice, LevelChoice
from pairnet.service import (
    Answer,
    CoverageBy,
    GapSort,
    GapStatus,
    RollupKey,
    analyses,
    day,
    unit_id,
    unit_ids,
)
from pairnet.service.report import report, report_name, report_root

from ..exports import (
    DOWNLOAD_RESPONSES,
    XLSX_RESPONSES,
    Format,
    FormatDep,
    FreshViewDep,
    PageDep,
    download,
    download_bytes,
    page_of,
    xlsx_only,
)
from ..parameters import ISO_DAY_EXAMPLE, IsoDay
from ..problems import problem_responses
from ..questions import AsOf, Levels, OneKindQuestionDep, QuestionDep, Scope, Within, resolver, run
from ..schemas import GapsPage
from ..scoped import root_places, scoped_by

__all__ = ["router"]

router = APIRouter(prefix="/analyses", tags=["analyses"])

RESPONSES = {**DOWNLOAD_RESPONSES, **problem_responses(404, 422, 503)}


def _coverage_places(query: QueryParams) -> tuple[str, ...]:
    # By level: a group for every level active anywhere in the network, the whole one.
    return () if query.get("by") == CoverageBy.LEVEL.value else root_places(query)  # type: ignore[attr-defined]


def _two_way_places(query: QueryParams) -> tuple[str, ...]:
    # Without a helper side named, the helper set is found in the whole network.
    helpers = (query.get("helper_within") or "", *query.getlist("helper"))
    root = root_places(query)
    return (*root, *helpers) if root and any(helpers) else ()


def _whatif_places(query: QueryParams) -> tuple[str, ...]:
    root = root_places(query)
    return (*root, *query.getlist("withdraw")) if root else ()


def _balance_places(query: QueryParams) -> tuple[str, ...]:
    return tuple(query.getlist("within"))


def _answer(request: Request, fmt: Format, answer: Answer[Any]) -> Any:
    if fmt != Format.JSON:
        return download(
            request,
            answer.rows,
            fmt=fmt,
            name=answer.name,
            columns=answer.columns,
            sheet=answer.sheet,
            title=answer.title,
        )
    return answer.result


@router.get("/coverage", response_model=CoverageResult, responses=RESPONSES, summary=N_("Coverage of a target set"))
@scoped_by(_coverage_places)
def coverage_route(
    request: Request,
    view: FreshViewDep,
    targets: QuestionDep,
    fmt: FormatDep,
    by: Annotated[CoverageBy | None, Query(description=N_("Break down by level, parent, or an ancestor kind."))] = None,
) -> Any:
    """The share of the target set with at least one active pairing, optionally per group."""
    return _answer(request, fmt, run(view, analyses.coverage, targets, by=by))


@router.get(
    "/coverage/two-way",
    response_model=TwoWayCoverageResult,
    responses=RESPONSES,
    summary=N_("Two-way coverage of a level (双向全覆盖)"),
)
@scoped_by(_two_way_places)
def two_way_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep,
    level: LevelChoice = Level.TOWNSHIP,
    helper_within: Annotated[
        str | None, Query(description=N_("The helper side's root unit (e.g. the eastern city)."), examples=["320582"])
    ] = None,
    helper: Annotated[
        list[str] | None,
        Query(description=N_("The helper side's units, named outright (repeat)."), examples=["320582100"]),
    ] = None,
    program: Annotated[
        str | None,
        Query(
            description=N_("Only this program's pairings: they define the helper set and cover."),
            examples=["east_west_cooperation"],
        ),
    ] = None,
    as_of: AsOf = None,
) -> Any:
    """The helped side is below county, township or within; the helper side is the set the
    level's pairings (of ``program``) make helpers, below helper_within, or the helper units
    named outright."""
    G, resolve = view.network, resolver(view)
    answer = run(
        view,
        analyses.two_way_coverage,
        level=level,
        helper_within=unit_id(G, "helper_within", helper_within, resolve),
        helped_within=root,
        helper_units=unit_ids(G, "helper", helper, resolve),
        program=program,
        as_of=day(as_of),
    )
    return _answer(request, fmt, answer)


@router.get(
    "/coverage/schools",
    response_model=SchoolCoverageResult,
    responses=RESPONSES,
    summary=N_("The three full coverages of school pairings (三个全覆盖)"),
)
@scoped_by(root_places)
def schools_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep,
    as_of: AsOf = None,
    level: Levels = None,
) -> Any:
    return _answer(request, fmt, run(view, analyses.school_coverage, within=root, as_of=day(as_of), levels=level))


@router.get("/timeline", response_model=list[TimelineRow], responses=RESPONSES, summary=N_("Coverage at several dates"))
@scoped_by(root_places)
def timeline_route(
    request: Request,
    view: FreshViewDep,
    targets: QuestionDep,
    fmt: FormatDep,
    date: Annotated[
        list[IsoDay] | None,
        Query(description=N_("A date, YYYY-MM-DD (repeat)."), examples=[[ISO_DAY_EXAMPLE, "2020-12-31"]]),
    ] = None,
    year: Annotated[list[Year] | None, Query(description=N_("A year: its last day (repeat)."))] = None,
) -> Any:
    # Neither dates nor years: the question's own date (as_of, default today), one row.
    dates = date or ([] if year else [targets.as_of])
    answer = run(view, analyses.timeline, targets, dates=dates, years=year or [])
    return _answer(request, fmt, answer)


@router.get("/gaps", response_model=GapsPage, responses=RESPONSES, summary=N_("Targets with no active pairing"))
@scoped_by(root_places)
def gaps_route(
    request: Request,
    view: FreshViewDep,
    targets: QuestionDep,
    page: PageDep,
    fmt: FormatDep,
    status: Annotated[list[GapStatus] | None, Query(description=N_("Keep only gaps with these statuses."))] = None,
    sort: GapSort = GapSort.PARENTS,  # type: ignore[attr-defined]
) -> Any:
    """Each gap with its parent chain and code, and why it is a gap (never_paired, ended...),
    with what was counted (``asked``)."""
    answer = run(view, analyses.gaps, targets, status=status, sort=sort)
    if fmt != Format.JSON:
        return _answer(request, fmt, answer)
    return {"asked": answer.result["asked"], **page_of(answer.result["gaps"], page)}


@router.get(
    "/alignment",
    response_model=AlignmentResult,
    responses=RESPONSES,
    summary=N_("Five-in-one consistency: pairings whose parents are not paired"),
)
@scoped_by(root_places)
def alignment_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep,
    level: Levels = None,
    as_of: AsOf = None,
) -> Any:
    return _answer(request, fmt, run(view, analyses.alignment, within=root, levels=level, as_of=day(as_of)))


@router.get("/balance", response_model=BalanceResult, responses=RESPONSES, summary=N_("Load per helper and level"))
@scoped_by(_balance_places)
def balance_route(
    request: Request,
    view: FreshViewDep,
    fmt: FormatDep,
    level: Levels = None,
    as_of: AsOf = None,
    within: Within = None,
    program: Annotated[
        str | None,
        Query(
            description=N_("Count only this program's pairings (as recorded) in the helpers' loads."),
            examples=["east_west_cooperation"],
        ),
    ] = None,
    top: Annotated[int | None, Query(ge=1, description=N_("Keep only the most loaded rows."))] = None,
) -> Any:
    root = unit_id(view.network, "within", within, resolver(view))
    return _answer(
        request,
        fmt,
        run(view, analyses.balance, within=root, levels=level, as_of=day(as_of), top=top, program=program),
    )


@router.get(
    "/recommendations",
    response_model=RecommendationResult,
    responses=RESPONSES,
    summary=N_("Partners for the gaps (min-cost flow with helper capacities)"),
)
def recommendations_route(
    request: Request,
    view: FreshViewDep,
    targets: OneKindQuestionDep,
    fmt: FormatDep,
    pairing_level: Annotated[LevelChoice | None, Query(description=N_("The level of the suggested pairings."))] = None,
    helper_kind: Annotated[list[KindChoice] | None, Query(description=N_("Kinds a suggested helper may have."))] = None,
    helpers_within: Within = None,
    capacity: Annotated[int, Query(ge=0, le=10_000, description=N_("Pairings a helper may carry at the level."))] = 2,
    capacity_for: Annotated[
        list[Annotated[str, Field(pattern=analyses.CAPACITY_PATTERN)]] | None,
        Query(
            description=N_("A helper's own capacity: HELPER=NUMBER, at most 9999 (repeat)."),
            examples=["320582100212=3"],
        ),
    ] = None,
) -> Any:
    """Each suggestion with its reasons (aligned? load, capacity left), and a statement of how
    many gaps stay open and why."""
    G, resolve = view.network, resolver(view)
    answer = run(
        view,
        analyses.recommend,
        targets,
        pairing_level=pairing_level,
        helper_kinds=helper_kind,
        helpers_within=unit_id(G, "helpers_within", helpers_within, resolve),
        capacity=capacity,
        capacities={
            unit_id(G, "capacity_for", ref, resolve): n for ref, n in analyses.capacities(capacity_for).items()
        },
    )
    return _answer(request, fmt, answer)


@router.get(
    "/whatif",
    response_model=WhatIfResult,
    responses=RESPONSES,
    summary=N_("Which targets lose every partner if helpers withdraw"),
)
@scoped_by(_whatif_places)
def whatif_route(
    request: Request,
    view: FreshViewDep,
    targets: QuestionDep,
    withdraw: Annotated[list[str], Query(description=N_("The withdrawing helpers (repeat)."), examples=["320582"])],
    fmt: FormatDep,
    with_units_under: Annotated[bool, Query(description=N_("The units below each helper withdraw too."))] = False,
) -> Any:
    helpers = unit_ids(view.network, "withdraw", withdraw, resolver(view)) or []
    return _answer(
        request, fmt, run(view, analyses.whatif, targets, withdraw=helpers, with_units_under=with_units_under)
    )


@router.get("/flows", response_model=list[FlowRollupRow], responses=RESPONSES, summary=N_("Flows summed per group"))
@scoped_by(root_places)
def flows_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep,
    by: Annotated[
        list[RollupKey] | None, Query(description=N_("Group by these keys (repeat); kind if absent."))
    ] = None,
    kind: Annotated[list[FlowKindChoice] | None, Query(description=N_("Only flows of these kinds."))] = None,
    year: Annotated[list[int] | None, Query(description=N_("Only flows of these years."))] = None,
) -> Any:
    return _answer(request, fmt, run(view, analyses.flows, by=by, kinds=kind, years=year, within=root))


@router.get(
    "/summary",
    response_model=SummaryResult,
    responses=RESPONSES,
    summary=N_("Units per kind and side, pairings per level and mode, flows per kind"),
)
def summary_route(
    request: Request,
    view: FreshViewDep,
    fmt: FormatDep,
    as_of: Annotated[
        IsoDay | None,
        Query(description=N_("Count as of this date (YYYY-MM-DD); everything if absent."), examples=[ISO_DAY_EXAMPLE]),
    ] = None,
) -> Response | Any:
    return _answer(request, fmt, run(view, analyses.summary, as_of=as_of))


@router.get(
    "/report",
    responses={**problem_responses(404, 422, 503), **XLSX_RESPONSES},
    response_class=Response,
    summary=N_("The report workbook of a county on a day"),
    dependencies=[Depends(xlsx_only)],
)
def report_route(
    request: Request,
    view: FreshViewDep,
    county: Annotated[str, Query(min_length=1, description=N_("The county (id, division code, name or name path)."))],
    as_of: AsOf = None,
) -> Response:
    """Coverage of every level, the gaps, flows by kind and year and the five-in-one summary,
    each sheet titled and dated; the last sheet names this URL (what ``pairnet report`` writes)."""
    root = report_root(view.network, county, resolver(view))
    source = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    data = report(view.network, root=root, as_of=day(as_of), source=source)
    return download_bytes(request, data, fmt=Format.XLSX, name=report_name(view.network, root, day(as_of)))
