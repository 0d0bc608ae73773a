"""``/analyses``: coverage, gaps, alignment, balance, recommendations, what-if, flow roll-ups,
timelines and the summary — the functions of ``graph/`` with the CLI's parameters, cached
per store version, each downloadable as CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from pairnet.graph.alignment import alignment
from pairnet.graph.balance import balance
from pairnet.graph.coverage import coverage, coverage_timeline, school_coverage, two_way_coverage
from pairnet.graph.gaps import GAP_STATUSES, SORT_KEYS, gaps
from pairnet.graph.model import FlowKind, Kind, Level, Poverty, Side, Year
from pairnet.graph.recommend import recommend
from pairnet.graph.rollups import ROLLUP_KEYS, rollup
from pairnet.graph.summary import summary
from pairnet.graph.whatif import whatif

from ..analysis_schemas import (
    AlignmentResult,
    BalanceResult,
    CoverageResult,
    FlowRollupRow,
    GapRow,
    RecommendationResult,
    SchoolCoverageResult,
    SummaryResult,
    TimelineRow,
    TwoWayCoverageResult,
    WhatIfResult,
)
from ..deps import View
from ..exports import DOWNLOAD_RESPONSES, Format, FormatDep, FreshViewDep, PageDep, dated, download, page_of
from ..problems import problem_responses
from ..schemas import Page
from .units import UNIT_EXAMPLES, filter_ref

__all__ = ["router"]

router = APIRouter(prefix="/analyses", tags=["analyses"])

CoverageBy = StrEnum("CoverageBy", [("level", "level"), ("parent", "parent"), *((k.name, k.value) for k in Kind)])
GapStatus = StrEnum("GapStatus", [(s.replace(" ", "_").upper(), s) for s in GAP_STATUSES])
GapSort = StrEnum("GapSort", [(s.upper(), s) for s in SORT_KEYS])
RollupKey = StrEnum("RollupKey", [(k.upper(), k) for k in ROLLUP_KEYS])

RESPONSES = {**DOWNLOAD_RESPONSES, **problem_responses(404, 422, 503)}

Within = Annotated[
    str | None,
    Query(
        description="Only units below this unit on the date (id, division code or name path).", examples=UNIT_EXAMPLES
    ),
]
AsOf = Annotated[
    dt.date | None, Query(description="The date: units valid and pairings active on it count. Default: today.")
]
Levels = Annotated[
    list[Level] | None, Query(description="Pairing levels that count (repeat for several); all if absent.")
]


def scope(
    view: FreshViewDep,
    county: Annotated[str | None, Query(description="Only units of this county.", examples=["520627"])] = None,
    township: Annotated[str | None, Query(description="Only units of this township.", examples=["520627110"])] = None,
    within: Within = None,
) -> str | None:
    """The root unit of an analysis: one of county, township or within (as in the CLI)."""
    given = [(name, ref) for name, ref in (("county", county), ("township", township), ("within", within)) if ref]
    if len(given) > 1:
        raise HTTPException(422, f"give one of county, township, within, not {' and '.join(n for n, _ in given)}")
    return filter_ref(view, given[0][0], given[0][1]) if given else None


Scope = Annotated[str | None, Depends(scope)]


def today_unless(as_of: dt.date | None) -> dt.date:
    return as_of or dt.date.today()


async def target_set(
    root: Scope,
    kind: Annotated[
        list[Kind] | None, Query(description="Target kinds (repeat for several). Default: village.")
    ] = None,
    side: Side = Side.HELPED,
    poverty: Annotated[list[Poverty] | None, Query(description="Poverty statuses (repeat for several).")] = None,
    stage: Annotated[str | None, Query(description="Only schools of this stage.")] = None,
    level: Levels = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """The target set and date of an analysis, with the CLI's defaults, as the keyword
    settings of ``graph/``."""
    return {
        "kind": kind or [Kind.VILLAGE],
        "side": side,
        "poverty": poverty,
        "within": root,
        "stage": stage,
        "levels": level,
        "as_of": today_unless(as_of),
    }


TargetSet = Annotated[dict[str, Any], Depends(target_set)]


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def run(view: View, function: Callable, **settings: Any) -> Any:
    """``function(network, **settings)``, cached for the store's version; a setting the
    analysis rejects is the client's mistake (422)."""
    settings = {k: v for k, v in settings.items() if v is not None}
    try:
        return view.cached((function.__name__, _frozen(settings)), lambda: function(view.network, **settings))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


def _answer(request: Request, fmt: Format, result: Any, rows: list[dict], name: str):
    if fmt != Format.JSON:
        return download(request, rows, fmt=fmt, name=name)
    return result


@router.get("/coverage", response_model=CoverageResult, responses=RESPONSES, summary="Coverage of a target set")
def coverage_route(
    request: Request,
    view: FreshViewDep,
    targets: TargetSet,
    fmt: FormatDep = Format.JSON,
    by: Annotated[CoverageBy | None, Query(description="Break down by level, parent, or an ancestor kind.")] = None,
):
    """The share of the target set with at least one active pairing, optionally per group."""
    result = run(view, coverage, **targets, by=by)
    rows = result["groups"] or [{k: v for k, v in result.items() if k != "groups"}]
    return _answer(request, fmt, result, rows, dated("coverage", targets["as_of"]))


@router.get(
    "/coverage/two-way",
    response_model=TwoWayCoverageResult,
    responses=RESPONSES,
    summary="Two-way coverage of a level (双向全覆盖)",
)
def two_way_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep = Format.JSON,
    level: Level = Level.TOWNSHIP,
    helper_within: Annotated[
        str | None, Query(description="The helper side's root unit (e.g. the eastern city).", examples=["320582"])
    ] = None,
    helper: Annotated[
        list[str] | None, Query(description="The helper side's units, named outright (repeat).", examples=["320582100"])
    ] = None,
    as_of: AsOf = None,
):
    """The helped side is below county, township or within; the helper side is below
    helper_within, or the helper units named outright."""
    as_of = today_unless(as_of)
    helpers = [filter_ref(view, "helper", ref) for ref in helper] if helper else None
    result = run(
        view,
        two_way_coverage,
        level=level,
        helper_within=filter_ref(view, "helper_within", helper_within),
        helped_within=root,
        helper_units=helpers,
        as_of=as_of,
    )
    rows = [
        {"level": result["level"], "as_of": result["as_of"], "side": side, **result[side]}
        for side in ("helper", "helped")
    ]
    return _answer(request, fmt, result, rows, dated("two-way-coverage", as_of))


@router.get(
    "/coverage/schools",
    response_model=SchoolCoverageResult,
    responses=RESPONSES,
    summary="The three full coverages of school pairings (三个全覆盖)",
)
def schools_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep = Format.JSON,
    as_of: AsOf = None,
    level: Levels = None,
):
    as_of = today_unless(as_of)
    result = run(view, school_coverage, within=root, as_of=as_of, levels=level)
    rows = [{"coverage": key, **result[key]} for key in ("townships", "schools", "stages")]
    rows += [{"coverage": f"stage {row['stage']}", **row} for row in result["by_stage"]]
    return _answer(request, fmt, result, rows, dated("school-coverage", as_of))


@router.get("/timeline", response_model=list[TimelineRow], responses=RESPONSES, summary="Coverage at several dates")
def timeline_route(
    request: Request,
    view: FreshViewDep,
    targets: TargetSet,
    fmt: FormatDep = Format.JSON,
    date: Annotated[list[dt.date] | None, Query(description="A date (repeat).", examples=["2018-12-31"])] = None,
    year: Annotated[list[Year] | None, Query(description="A year: its last day (repeat).")] = None,
):
    days = {*(date or ()), *(dt.date(y, 12, 31) for y in year or ())}
    if not days:
        raise HTTPException(422, "give at least one date or year")
    settings = {k: v for k, v in targets.items() if k != "as_of"}
    result = run(view, coverage_timeline, dates=sorted(days), **settings)
    return _answer(request, fmt, result, result, "timeline")


@router.get("/gaps", response_model=Page[GapRow], responses=RESPONSES, summary="Targets with no active pairing")
def gaps_route(
    request: Request,
    view: FreshViewDep,
    targets: TargetSet,
    page: PageDep,
    fmt: FormatDep = Format.JSON,
    status: Annotated[list[GapStatus] | None, Query(description="Keep only gaps with these statuses.")] = None,
    sort: GapSort = GapSort.PARENTS,
):
    """Each gap with its parent chain and code, and why it is a gap (never paired, ended...)."""
    result = run(view, gaps, **targets, status=status, sort=sort)
    if fmt != Format.JSON:
        return download(request, result, fmt=fmt, name=dated("gaps", targets["as_of"]))
    return page_of(result, page)


@router.get(
    "/alignment",
    response_model=AlignmentResult,
    responses=RESPONSES,
    summary="Five-in-one consistency: pairings whose parents are not paired",
)
def alignment_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep = Format.JSON,
    level: Levels = None,
    as_of: AsOf = None,
):
    as_of = today_unless(as_of)
    result = run(view, alignment, levels=level, as_of=as_of, within=root)
    return _answer(request, fmt, result, result["rows"], dated("alignment", as_of))


@router.get("/balance", response_model=BalanceResult, responses=RESPONSES, summary="Load per helper and level")
def balance_route(
    request: Request,
    view: FreshViewDep,
    fmt: FormatDep = Format.JSON,
    level: Levels = None,
    as_of: AsOf = None,
    within: Within = None,
    top: Annotated[int | None, Query(ge=1, description="Keep only the most loaded rows.")] = None,
):
    as_of = today_unless(as_of)
    result = run(view, balance, levels=level, as_of=as_of, within=filter_ref(view, "within", within), top=top)
    return _answer(request, fmt, result, result["rows"], dated("balance", as_of))


def _capacity_for(view: View, values: list[str] | None) -> dict[str, int] | None:
    if not values:
        return None
    parsed = {}
    for value in values:
        helper, _, number = value.rpartition("=")
        if not helper or not number.isdigit():
            raise HTTPException(422, f"capacity_for: {value!r} is not HELPER=NUMBER (e.g. 杨舍镇/善港村=3)")
        parsed[filter_ref(view, "capacity_for", helper)] = int(number)
    return parsed


@router.get(
    "/recommendations",
    response_model=RecommendationResult,
    responses=RESPONSES,
    summary="Partners for the gaps (min-cost flow with helper capacities)",
)
def recommendations_route(
    request: Request,
    view: FreshViewDep,
    targets: TargetSet,
    fmt: FormatDep = Format.JSON,
    pairing_level: Annotated[Level | None, Query(description="The level of the suggested pairings.")] = None,
    helper_kind: Annotated[list[Kind] | None, Query(description="Kinds a suggested helper may have.")] = None,
    helpers_within: Within = None,
    capacity: Annotated[int, Query(ge=0, le=10_000, description="Pairings a helper may carry at the level.")] = 2,
    capacity_for: Annotated[
        list[str] | None,
        Query(description="A helper's own capacity: HELPER=NUMBER (repeat).", examples=["320582100212=3"]),
    ] = None,
):
    """Each suggestion with its reasons (aligned? load, capacity left), and a statement of how
    many gaps stay open and why."""
    settings = {k: v for k, v in targets.items() if k != "side"}
    if settings["kind"] is not None:
        if len(settings["kind"]) > 1:
            raise HTTPException(422, "kind: recommendations take one target kind")
        settings["kind"] = settings["kind"][0]
    result = run(
        view,
        recommend,
        **settings,
        level=pairing_level,
        helper_kinds=helper_kind,
        helpers_within=filter_ref(view, "helpers_within", helpers_within),
        capacity=capacity,
        capacities=_capacity_for(view, capacity_for),
    )
    rows = [*result["suggestions"], *result["unassigned"]]
    return _answer(request, fmt, result, rows, dated("recommendations", targets["as_of"]))


@router.get(
    "/whatif",
    response_model=WhatIfResult,
    responses=RESPONSES,
    summary="Which targets lose every partner if helpers withdraw",
)
def whatif_route(
    request: Request,
    view: FreshViewDep,
    targets: TargetSet,
    withdraw: Annotated[list[str], Query(description="The withdrawing helpers (repeat).", examples=["320582"])],
    fmt: FormatDep = Format.JSON,
    with_units_under: Annotated[bool, Query(description="The units below each helper withdraw too.")] = False,
):
    helpers = [filter_ref(view, "withdraw", ref) for ref in withdraw]
    result = run(view, whatif, withdraw=helpers, with_units_under=with_units_under, **targets)
    return _answer(request, fmt, result, result["rows"], dated("whatif", targets["as_of"]))


@router.get("/flows", response_model=list[FlowRollupRow], responses=RESPONSES, summary="Flows summed per group")
def flows_route(
    request: Request,
    view: FreshViewDep,
    root: Scope,
    fmt: FormatDep = Format.JSON,
    by: Annotated[list[RollupKey] | None, Query(description="Group by these keys (repeat); kind if absent.")] = None,
    kind: Annotated[list[FlowKind] | None, Query(description="Only flows of these kinds.")] = None,
    year: Annotated[list[int] | None, Query(description="Only flows of these years.")] = None,
):
    result = run(view, rollup, by=tuple(by) if by else None, kinds=kind, years=year, within=root)
    return _answer(request, fmt, result, result, "flows-" + "-".join(by or ["kind"]))


@router.get(
    "/summary",
    response_model=SummaryResult,
    responses=RESPONSES,
    summary="Units per kind and side, pairings per level and mode, flows per kind",
)
def summary_route(
    request: Request,
    view: FreshViewDep,
    fmt: FormatDep = Format.JSON,
    as_of: Annotated[dt.date | None, Query(description="Count as of this date; everything if absent.")] = None,
):
    result = run(view, summary, as_of=as_of)
    rows = [{"table": table, **row} for table in ("units", "pairings", "flows") for row in result[table]]
    return _answer(request, fmt, result, rows, dated("summary", as_of))
