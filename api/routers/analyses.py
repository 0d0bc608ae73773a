"""``/analyses``: coverage, gaps, alignment, balance, recommendations, what-if, flow roll-ups,
timelines and the summary — a thin layer over :mod:`pairnet.service` with the CLI's
parameters, cached per store version, each downloadable as CSV or XLSX (the CLI's files)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field
from starlette.datastructures import QueryParams

from pairnet.graph.errors import InvalidParameter
from pairnet.graph.model import Level, Side, Year
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
from pairnet.i18n import N_, _
from pairnet.i18n.choices import FlowKindChoice, HelpedKindChoice, KindChoice, LevelChoice, PovertyChoice, SideChoice
from pairnet.service import (
    Answer,
    CoverageBy,
    GapSort,
    GapStatus,
    Question,
    RollupKey,
    analyses,
    day,
    question,
    scope,
    unit_id,
    unit_ids,
)
from pairnet.service.question import Resolver
from pairnet.service.report import report, report_name, report_root

from ..deps import View
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
from ..parameters import ISO_DAY_EXAMPLE, SCOPE_ALONE, IsoDay
from ..problems import problem_responses
from ..schemas import GapsPage
from ..scoped import root_places, scoped_by
from .units import UNIT_EXAMPLES

__all__ = ["router"]

router = APIRouter(prefix="/analyses", tags=["analyses"])

RESPONSES = {**DOWNLOAD_RESPONSES, **problem_responses(404, 422, 503)}

Within = Annotated[
    str | None,
    Query(
        description=N_("Only units below this unit on the date (id, division code or name path)."),
        examples=UNIT_EXAMPLES,
    ),
]
AsOf = Annotated[
    IsoDay | None,
    Query(
        description=N_("The date (YYYY-MM-DD): units valid and pairings active on it count. Default: today."),
        examples=[ISO_DAY_EXAMPLE],
    ),
]
Levels = Annotated[
    list[LevelChoice] | None, Query(description=N_("Pairing levels that count (repeat for several); all if absent."))
]
ScopeRef = Annotated[
    str | None,
    Query(
        description=N_(
            "The root unit: only units below it count (id, division code or name path). "
            "`county`, `township` and `within` are its old, undocumented names."
        ),
        alias="scope",
        examples=UNIT_EXAMPLES,
    ),
]
# The old names of scope, mutually exclusive: accepted for one release, not documented.
County = Annotated[str | None, Query(include_in_schema=False)]
Township = Annotated[str | None, Query(include_in_schema=False)]
OldWithin = Annotated[str | None, Query(include_in_schema=False)]


def _resolver(view: View) -> Resolver:
    return lambda ref: view.unit(ref).id


def root_unit(
    view: FreshViewDep,
    scope_ref: ScopeRef = None,
    county: County = None,
    township: Township = None,
    within: OldWithin = None,
) -> str | None:
    """The root unit of an analysis: ``scope``, or one of its old names county, township or
    within (as in the CLI)."""
    if scope_ref is not None:
        if county or township or within:
            given = tuple(name for name, ref in (("county", county), ("township", township), ("within", within)) if ref)
            raise InvalidParameter(_(SCOPE_ALONE), parameters=("scope", *given))
        return unit_id(view.network, "scope", scope_ref, _resolver(view))
    return scope(view.network, county=county, township=township, within=within, resolve=_resolver(view))


Scope = Annotated[str | None, Depends(root_unit)]


async def asked_beside_kind(
    side: SideChoice = Side.HELPED,
    poverty: Annotated[
        list[PovertyChoice] | None, Query(description=N_("Poverty statuses (repeat for several)."))
    ] = None,
    stage: Annotated[str | None, Query(description=N_("Only schools of this stage."))] = None,
    program: Annotated[
        str | None,
        Query(
            description=N_(
                "Only this program (as recorded, e.g. 东西部协作): the side is the role in its pairings, "
                "and only they cover."
            ),
            examples=["east_west_cooperation"],
        ),
    ] = None,
    level: Levels = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """The parts of an analysis's question every analysis takes alike (the target kinds differ)."""
    return {"side": side, "poverty": poverty, "stage": stage, "program": program, "level": level, "as_of": as_of}


BesideKind = Annotated[dict[str, Any], Depends(asked_beside_kind)]


async def asked(
    view: FreshViewDep,
    root: Scope,
    beside: BesideKind,
    kind: Annotated[
        list[KindChoice] | None, Query(description=N_("Target kinds (repeat for several). Default: village."))
    ] = None,
) -> Question:
    """The question of an analysis: target set, levels and date, with the CLI's defaults."""
    return question(view.network, kind=kind, within=root, resolve=_resolver(view), **beside)


async def asked_one_kind(
    view: FreshViewDep,
    root: Scope,
    beside: BesideKind,
    kind: Annotated[
        HelpedKindChoice | None, Query(description=N_("The target kind (one). Default: village."), examples=["village"])
    ] = None,
) -> Question:
    """The question of an analysis that takes one target kind (recommendations)."""
    return question(view.network, kind=None if kind is None else [kind], within=root, resolve=_resolver(view), **beside)


QuestionDep = Annotated[Question, Depends(asked)]
OneKindQuestionDep = Annotated[Question, Depends(asked_one_kind)]


def _frozen(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def run(view: View, analysis: Callable[..., Answer[Any]], *args: Any, **settings: Any) -> Answer[Any]:
    """``analysis(network, *args, **settings)``, cached for the store's version."""
    key = (analysis.__name__, _frozen(args), _frozen(settings))
    return view.cached(key, lambda: analysis(view.network, *args, **settings))


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
    G, resolve = view.network, _resolver(view)
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
    root = unit_id(view.network, "within", within, _resolver(view))
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
    G, resolve = view.network, _resolver(view)
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
    helpers = unit_ids(view.network, "withdraw", withdraw, _resolver(view)) or []
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
    root = report_root(view.network, county, _resolver(view))
    source = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    data = report(view.network, root=root, as_of=day(as_of), source=source)
    return download_bytes(request, data, fmt=Format.XLSX, name=report_name(view.network, root, day(as_of)))
