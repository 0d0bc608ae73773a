"""The shapes of the analyses' results, declared once.

Each analysis of :mod:`pairnet.graph` returns one of these. They are ``TypedDict`` s rather
than dataclasses or models so that a result stays a plain dict (``result["share"]``, JSON
as is, cached and compared cheaply, no conversion on a million rows) while its keys are
written down in one place: the API uses them as response models (pydantic validates and
documents ``TypedDict`` s), the service and the exporters as annotations.

Dates are ISO strings in the results (``"2018-12-31"``); they are declared as dates so that
the API documents them as such and serialises them back to the same string. Levels are
their values (``"village"``), declared as :class:`~graph.model.Level` for the same reason.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from pairnet.i18n import N_

from .model import Level

__all__ = [
    "AlignmentCounts",
    "AlignmentLevel",
    "AlignmentResult",
    "AlignmentRow",
    "Asked",
    "BalanceLevel",
    "BalanceResult",
    "BalanceRow",
    "CoverageCounts",
    "CoverageGroup",
    "CoverageResult",
    "FlowRollupRow",
    "GapRow",
    "GapsResult",
    "Place",
    "RecommendationResult",
    "SchoolCoverageResult",
    "StageCoverage",
    "Suggestion",
    "SummaryFlowRow",
    "SummaryPairingRow",
    "SummaryResult",
    "SummaryTotals",
    "SummaryUnitRow",
    "TimelineRow",
    "TwoWayCoverageResult",
    "UnitRow",
    "Unassigned",
    "WhatIfResult",
    "WhatIfRow",
    "Withdrawn",
]

Count = Annotated[int, Field(ge=0)]
if TYPE_CHECKING:
    # What the analyses put there (see the module docstring): an ISO string, a level's value.
    Day = str | None
    LevelName = str
else:
    # What the API reads and documents: pydantic resolves the annotations at run time.
    Day = dt.date | None
    LevelName = Level


class Place(TypedDict):
    """A unit named as well as identified: where a question was asked."""

    id: str
    code: str | None
    name: Annotated[str, Field(examples=["沿河土家族自治县"])]


class Asked(TypedDict):
    """What an answer counted: the targets' kinds, side (a role in the pairings), poverty
    statuses, stage and program (null: any), the place they lie below (null: everywhere), the date and the pairing levels that
    count (null: every level)."""

    kind: Annotated[list[str] | None, Field(examples=[["village"]])]
    side: str | None
    poverty: list[str] | None
    stage: str | None
    program: Annotated[
        str | None,
        Field(
            description=N_(
                "The side is the role in this program's pairings, and only they cover (null: every program)."
            )
        ),
    ]
    place: Place | None
    as_of: Day
    levels: list[Level] | None


class CoverageCounts(TypedDict):
    """How many of a target set are covered."""

    targets: Count
    covered: Count
    uncovered: Count
    share: Annotated[float | None, Field(description=N_("covered / targets, four places; null for no targets."))]


class CoverageGroup(CoverageCounts):
    group_id: str | None
    group: Annotated[str, Field(examples=["中界镇"])]
    code: str | None
    through_descendant: Annotated[
        Count, Field(description=N_("The group's uncovered targets reached only through a covered unit below them."))
    ]


class CoverageResult(CoverageCounts):
    asked: Asked
    as_of: Day
    levels: list[LevelName] | None
    through_descendant: Annotated[
        Count,
        Field(
            description=N_("Uncovered targets reached only through a covered unit below them (not counted as covered).")
        ),
    ]
    groups: list[CoverageGroup]


class TwoWayCoverageResult(TypedDict):
    level: LevelName
    as_of: Day
    program: str | None
    helper_set: Annotated[
        str,
        Field(
            description=N_(
                "Where the helper side's units come from: `named` (given one by one), "
                "`pairings` (the helpers of the level's pairings, below the helper root if one is given) "
                "or `within` (every unit of the level's kinds below the helper root)."
            )
        ),
    ]
    helper_place: Place | None
    helped_place: Place | None
    helper: CoverageCounts
    helped: CoverageCounts
    full: Annotated[bool, Field(description=N_("Both sides fully covered (双向全覆盖)."))]


class StageCoverage(CoverageCounts):
    stage: str


class SchoolCoverageResult(TypedDict):
    as_of: Day
    townships: CoverageCounts
    schools: CoverageCounts
    stages: CoverageCounts
    by_stage: list[StageCoverage]
    full: Annotated[bool, Field(description=N_("All three coverages complete (三个全覆盖)."))]


class TimelineRow(CoverageCounts):
    as_of: Day


class UnitRow(TypedDict):
    """The columns a row about a unit starts with (:meth:`graph.targets.Hierarchy.describe`)."""

    id: str
    code: str | None
    name: Annotated[str, Field(examples=["高峰村"])]
    kind: str
    township: str | None
    county: str | None
    parents: Annotated[str, Field(examples=["沿河土家族自治县 / 中界镇"])]


class GapRow(UnitRow):
    poverty: str | None
    status: Annotated[str, Field(examples=["never_paired"])]
    through: Annotated[
        str | None,
        Field(description=N_("With status through_descendant: the covered units below it, joined by '; '.")),
    ]
    last_end: Day
    next_start: Day
    pairings: Count
    assumed: Annotated[
        list[str],
        Field(description=N_("The columns of this row whose values are assumed, not sourced."), examples=[["poverty"]]),
    ]


class GapsResult(TypedDict):
    """The gaps with what was counted: ``asked`` as coverage carries it."""

    asked: Asked
    gaps: list[GapRow]


class AlignmentCounts(TypedDict):
    pairings: Count
    aligned: Count
    misaligned: Count
    not_comparable: Count
    ratio: float | None


class AlignmentLevel(AlignmentCounts):
    level: LevelName


class AlignmentRow(TypedDict):
    pairing_id: str
    level: LevelName
    helper: str
    helped: str
    helper_parent: str | None
    helped_parent: str | None
    status: str
    helper_id: str
    helped_id: str


class AlignmentResult(AlignmentCounts):
    as_of: Day
    levels: list[AlignmentLevel]
    rows: list[AlignmentRow]


class BalanceLevel(TypedDict):
    level: LevelName
    helpers: Count
    pairings: Count
    mean: float | None
    max: int | None
    gini: Annotated[float | None, Field(description=N_("Gini coefficient of the helpers' loads."))]


class BalanceRow(TypedDict):
    helper_id: str
    helper: str
    kind: str
    parents: str
    level: LevelName
    pairings: Count
    helped: Count


class BalanceResult(TypedDict):
    as_of: Day
    program: Annotated[str | None, Field(description=N_("The program whose pairings were counted; null: all."))]
    levels: list[BalanceLevel]
    rows: list[BalanceRow]


class Unassigned(TypedDict):
    """A gap a recommendation leaves open, and why."""

    target: str
    target_id: str
    target_code: str | None
    target_kind: str
    township: str | None
    county: str | None
    parents: str
    reason: NotRequired[str]


class Suggestion(Unassigned):
    """A suggested pairing for a gap, with its reasons."""

    helper: str
    helper_id: str
    helper_township: str | None
    helper_parents: str
    aligned: bool
    via: str
    helper_load: Count
    capacity: Count
    capacity_left: int
    reasons: str


class RecommendationResult(TypedDict):
    as_of: Day
    level: LevelName | None
    gaps: Count
    closed: Count
    open: Count
    statement: Annotated[str, Field(examples=["All 3 gaps can be closed."])]
    suggestions: list[Suggestion]
    unassigned: list[Unassigned]


class Withdrawn(TypedDict):
    id: str
    name: str


class WhatIfRow(UnitRow):
    lost: Annotated[str, Field(description=N_("The names of the partners lost, joined by '; '."))]


class WhatIfResult(TypedDict):
    as_of: Day
    withdrawn: list[Withdrawn]
    pairings_ended: Count
    before: CoverageCounts
    after: CoverageCounts
    rows: Annotated[list[WhatIfRow], Field(description=N_("The targets that lose every partner."))]


# The group keys of a roll-up row are those asked for (``by``); "from" is a keyword, hence
# the functional form.
FlowRollupRow = TypedDict(
    "FlowRollupRow",
    {
        "kind": NotRequired[str],
        "level": NotRequired[str | None],
        "year": NotRequired[int | None],
        "township": NotRequired[str | None],
        "county": NotRequired[str | None],
        "pairing": NotRequired[str | None],
        "project": NotRequired[str | None],
        "from": NotRequired[str | None],
        "to": NotRequired[str | None],
        "unit_of_measure": Annotated[str | None, Field(examples=["万元"])],
        "amount": float,
        "records": Count,
        "projects": Count,
        "townships": Count,
        "villages": Count,
    },
)


class SummaryUnitRow(TypedDict):
    """Valid units of one kind on one side (``None``: a unit no pairing and no hint places)."""

    kind: Annotated[str, Field(examples=["village"])]
    side: Annotated[str | None, Field(examples=["helped"])]
    count: Count


class SummaryPairingRow(TypedDict):
    """Active pairings of one level and mode (``mode`` null for pairings without one)."""

    level: Annotated[str, Field(examples=["village"])]
    mode: str | None
    count: Count


class SummaryFlowRow(TypedDict):
    """Flows of one kind and unit of measure, counted and summed."""

    kind: Annotated[str, Field(examples=["funds"])]
    unit_of_measure: Annotated[str | None, Field(examples=["万元"])]
    count: Count
    amount: float


class SummaryTotals(TypedDict):
    """How many units, pairings and flows were counted in all."""

    units: Count
    pairings: Count
    flows: Count


class SummaryResult(TypedDict):
    units: list[SummaryUnitRow]
    pairings: list[SummaryPairingRow]
    flows: list[SummaryFlowRow]
    totals: SummaryTotals
