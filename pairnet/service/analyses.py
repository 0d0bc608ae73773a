"""Every analysis as the front doors ask it: graph's function on a resolved question, and
the rows its files hold.

The CLI and the API call these and nothing else, so a question gives the same JSON and
the same CSV/XLSX from either door. Nothing here knows HTTP or the terminal: bad settings
raise the graph's errors (:class:`~graph.errors.InvalidParameter`, ``NotFound``) and the
doors translate them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from pairnet.graph import alignment as graph_alignment
from pairnet.graph import balance as graph_balance
from pairnet.graph import coverage as graph_coverage
from pairnet.graph import coverage_timeline as graph_timeline
from pairnet.graph import gaps as graph_gaps
from pairnet.graph import recommend as graph_recommend
from pairnet.graph import rollup as graph_rollup
from pairnet.graph import school_coverage as graph_school_coverage
from pairnet.graph import two_way_coverage as graph_two_way_coverage
from pairnet.graph import whatif as graph_whatif
from pairnet.graph.errors import InvalidParameter
from pairnet.graph.model import FlowKind, Kind, Level
from pairnet.graph.results import (
    AlignmentResult,
    AlignmentRow,
    BalanceResult,
    BalanceRow,
    CoverageResult,
    FlowRollupRow,
    GapRow,
    GapsResult,
    RecommendationResult,
    SchoolCoverageResult,
    Suggestion,
    SummaryResult,
    TimelineRow,
    TwoWayCoverageResult,
    WhatIfResult,
    WhatIfRow,
)
from pairnet.graph.summary import summary as graph_summary
from pairnet.i18n import _

from . import titles
from .answer import Answer, dated, keys_of
from .choices import CoverageBy, GapSort, GapStatus, RollupKey
from .question import Question

__all__ = [
    "CAPACITY_PATTERN",
    "TOTAL",
    "alignment",
    "balance",
    "capacities",
    "coverage",
    "flows",
    "gaps",
    "recommend",
    "school_coverage",
    "summary",
    "timeline",
    "two_way_coverage",
    "whatif",
]

# The ``group`` of the coverage file's last row: the whole target set.
TOTAL = "total"
# A helper's own capacity, HELPER=NUMBER: the API's schema states it for capacity_for (the
# helper, a reference to resolve, is anything before the last "=", the number ASCII digits).
CAPACITY_PATTERN = "^(.+)=([0-9]{1,4})$"
_CAPACITY = re.compile(CAPACITY_PATTERN)

_COUNTS = ("targets", "covered", "uncovered", "share")
SUMMARY_COLUMNS = ("record", "kind", "side", "level", "mode", "unit_of_measure", "count", "amount")


def coverage(G: nx.MultiDiGraph[str], question: Question, *, by: CoverageBy | None = None) -> Answer[CoverageResult]:
    """Coverage of the question's target set; the file has a row per group, then the total."""
    result = graph_coverage(G, question.targets, levels=question.levels, as_of=question.as_of, by=by and by.value)
    total = {
        "group_id": None,
        "group": TOTAL,
        "code": None,
        **{key: result[key] for key in (*_COUNTS, "through_descendant")},  # type: ignore[literal-required]
    }
    rows = [*result["groups"], total]
    return Answer(
        CoverageResult, result, rows, dated("coverage", question.as_of), "coverage", titles.coverage_title(result)
    )


def two_way_coverage(
    G: nx.MultiDiGraph[str],
    *,
    level: Level = Level.TOWNSHIP,
    helper_within: str | None,
    helped_within: str | None,
    helper_units: Sequence[str] | None,
    as_of: dt.date,
    program: str | None = None,
) -> Answer[TwoWayCoverageResult]:
    """Two-way coverage of ``level``; the file has a row per side."""
    result = graph_two_way_coverage(
        G,
        level=level,
        helper_within=helper_within,
        helped_within=helped_within,
        helper_units=helper_units,
        program=program,
        as_of=as_of,
    )
    rows = [
        {"level": result["level"], "as_of": result["as_of"], "side": side, **result[side]}
        for side in ("helper", "helped")
    ]
    title = titles.two_way_title(result)
    return Answer(TwoWayCoverageResult, result, rows, dated("two-way-coverage", as_of), "two-way", title)


def school_coverage(
    G: nx.MultiDiGraph[str], *, within: str | None, as_of: dt.date, levels: Sequence[Level] | None = None
) -> Answer[SchoolCoverageResult]:
    """The three school coverages; the file has a row for each, then one per stage."""
    result = graph_school_coverage(G, within=within, as_of=as_of, levels=levels or [Level.SCHOOL])
    rows: list[dict[str, Any]] = [
        {"coverage": key, "stage": None, **result[key]} for key in ("townships", "schools", "stages")
    ]
    rows += [{"coverage": "stage", **row} for row in result["by_stage"]]
    title = titles.school_title(G, result, within=within, as_of=as_of)
    return Answer(SchoolCoverageResult, result, rows, dated("school-coverage", as_of), "schools", title)


def timeline(
    G: nx.MultiDiGraph[str], question: Question, *, dates: Iterable[dt.date] = (), years: Iterable[int] = ()
) -> Answer[list[TimelineRow]]:
    """Coverage of the target set on each of ``dates`` and on the last day of each of
    ``years`` (the question's own date aside)."""
    days = sorted({*dates, *(dt.date(year, 12, 31) for year in years)})
    if not days:
        raise InvalidParameter(_("give at least one {0} or {1}"), parameters=("date", "year"))
    rows = graph_timeline(G, days, question.targets, levels=question.levels)
    title = titles.timeline_title(titles.asked_of(G, question), days)
    return Answer(list[TimelineRow], rows, rows, "timeline", "timeline", title)


def gaps(
    G: nx.MultiDiGraph[str],
    question: Question,
    *,
    status: Sequence[GapStatus] | None = None,
    sort: GapSort = GapSort.PARENTS,  # type: ignore[attr-defined]
) -> Answer[GapsResult]:
    """The targets with no active pairing, and why, with what was counted (``asked``); the
    file has a row per gap."""
    rows = graph_gaps(
        G,
        question.targets,
        levels=question.levels,
        as_of=question.as_of,
        status=[s.value for s in status] if status else None,
        sort=sort.value,
    )
    result: GapsResult = {"asked": titles.asked_of(G, question), "gaps": rows}
    title = titles.gaps_title(result["asked"], len(rows))
    return Answer(GapsResult, result, rows, dated("gaps", question.as_of), "gaps", title, keys_of(GapRow))


def alignment(
    G: nx.MultiDiGraph[str], *, within: str | None, levels: Sequence[Level] | None, as_of: dt.date
) -> Answer[AlignmentResult]:
    """Five-in-one consistency; the file holds the pairings that are not aligned."""
    result = graph_alignment(G, levels=levels, as_of=as_of, within=within)
    title = titles.alignment_title(G, within=within, as_of=as_of, levels=levels)
    name = dated("alignment", as_of)
    return Answer(AlignmentResult, result, result["rows"], name, "alignment", title, keys_of(AlignmentRow))


def balance(
    G: nx.MultiDiGraph[str],
    *,
    within: str | None,
    levels: Sequence[Level] | None,
    as_of: dt.date,
    top: int | None,
    program: str | None = None,
) -> Answer[BalanceResult]:
    """The load per helper and level (of ``program``'s pairings only, if given); the file
    holds the helpers' rows."""
    result = graph_balance(G, levels=levels, as_of=as_of, within=within, program=program or None, top=top)
    title = titles.balance_title(G, within=within, as_of=as_of, levels=levels, program=program or None)
    name = dated("balance", as_of)
    return Answer(BalanceResult, result, result["rows"], name, "balance", title, keys_of(BalanceRow))


def capacities(values: Iterable[str] | None) -> dict[str, int]:
    """``HELPER=NUMBER`` settings as ``{reference: number}`` (the references still to resolve).

    >>> capacities(["杨舍镇/善港村=3"])
    {'杨舍镇/善港村': 3}
    """
    parsed: dict[str, int] = {}
    for value in values or ():
        setting = _CAPACITY.fullmatch(value)
        if setting is None:
            raise InvalidParameter(
                _("{value} is not HELPER=NUMBER (e.g. 杨舍镇/善港村=3) in {{0}}").format(
                    value=InvalidParameter.literal(repr(value))
                ),
                parameters=("capacity_for",),
            )
        parsed[setting[1]] = int(setting[2])
    return parsed


def recommend(
    G: nx.MultiDiGraph[str],
    question: Question,
    *,
    pairing_level: Level | None = None,
    helper_kinds: Sequence[Kind] | None = None,
    helpers_within: str | None = None,
    capacity: int = 2,
    capacities: Mapping[str, int] | None = None,
) -> Answer[RecommendationResult]:
    """Partners for the gaps; the file holds the suggestions, then the gaps left open."""
    if question.targets.kind is not None and len(question.targets.kind) > 1:
        raise InvalidParameter(_("{0}: recommendations take one target kind"), parameters=("kind",))
    try:
        result = graph_recommend(
            G,
            question.targets,
            level=pairing_level,
            levels=question.levels,
            helper_kinds=helper_kinds,
            helpers_within=helpers_within,
            capacity=capacity,
            capacities=capacities,
            as_of=question.as_of,
        )
    except ValueError as error:  # the target kind gives no pairing level
        raise InvalidParameter("{0}: " + InvalidParameter.literal(error), parameters=("pairing_level",)) from None
    rows = [*result["suggestions"], *result["unassigned"]]
    title = titles.recommend_title(titles.asked_of(G, question), len(result["suggestions"]))
    name = dated("recommendations", question.as_of)
    return Answer(RecommendationResult, result, rows, name, "recommendations", title, keys_of(Suggestion))


def whatif(
    G: nx.MultiDiGraph[str], question: Question, *, withdraw: Sequence[str], with_units_under: bool = False
) -> Answer[WhatIfResult]:
    """The targets that lose every partner if ``withdraw`` leave; the file holds them."""
    result = graph_whatif(
        G,
        withdraw=withdraw,
        with_units_under=with_units_under,
        targets=question.targets,
        levels=question.levels,
        as_of=question.as_of,
    )
    title = titles.whatif_title(titles.asked_of(G, question), result)
    name = dated("whatif", question.as_of)
    return Answer(WhatIfResult, result, result["rows"], name, "whatif", title, keys_of(WhatIfRow))


def flows(
    G: nx.MultiDiGraph[str],
    *,
    by: Sequence[RollupKey] | None = None,
    kinds: Sequence[FlowKind] | None = None,
    years: Sequence[int] | None = None,
    within: str | None = None,
) -> Answer[list[FlowRollupRow]]:
    """Flows summed per group (per kind if ``by`` is empty)."""
    keys = [key.value for key in by] if by else ["kind"]
    rows = graph_rollup(G, by=keys, kinds=kinds, years=years, within=within)
    title = titles.flows_title(G, keys=keys, within=within)
    # Without rows, the columns asked for, then the sums every row has.
    columns = (*keys, *(key for key in keys_of(FlowRollupRow) if key in FlowRollupRow.__required_keys__))
    return Answer(list[FlowRollupRow], rows, rows, "flows-" + "-".join(keys), "flows", title, columns)


def summary(G: nx.MultiDiGraph[str], *, as_of: dt.date | None = None) -> Answer[SummaryResult]:
    """Units per kind and side, pairings per level and mode, flows per kind; the file has
    the three tables one under the other, each row saying its ``record``."""
    result = graph_summary(G, as_of=as_of)
    rows = [
        {column: ({"record": record} | row).get(column) for column in SUMMARY_COLUMNS}
        for record, table in (("unit", "units"), ("pairing", "pairings"), ("flow", "flows"))
        for row in result[table]  # type: ignore[literal-required]
    ]
    title = titles.summary_title(as_of)
    return Answer(SummaryResult, result, rows, dated("summary", as_of), "summary", title, SUMMARY_COLUMNS)
