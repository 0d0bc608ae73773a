"""Response models of the analyses: the documented shape of each ``graph/`` result.

Row models allow extra keys, so that a column an analysis adds later passes through to
clients (and to CSV/XLSX) without a change here; the keys listed are the ones documented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pairnet.graph.model import Level

__all__ = [
    "AlignmentResult",
    "BalanceResult",
    "CoverageCounts",
    "CoverageResult",
    "FlowRollupRow",
    "GapRow",
    "RecommendationResult",
    "SchoolCoverageResult",
    "SummaryResult",
    "TimelineRow",
    "TwoWayCoverageResult",
    "WhatIfResult",
]


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class CoverageCounts(_Row):
    targets: int = Field(ge=0, examples=[50])
    covered: int = Field(ge=0, examples=[50])
    uncovered: int = Field(ge=0, examples=[0])
    share: float | None = Field(description="covered / targets, four places; null for no targets.", examples=[1.0])


class CoverageGroup(CoverageCounts):
    group_id: str | None
    group: str = Field(examples=["中界镇"])
    code: str | None = None


class CoverageResult(CoverageCounts):
    as_of: dt.date | None = None
    levels: list[Level] | None = None
    groups: list[CoverageGroup] = Field(default_factory=list)


class TwoWayCoverageResult(_Row):
    level: Level
    as_of: dt.date | None = None
    helper: CoverageCounts
    helped: CoverageCounts
    full: bool = Field(description="Both sides fully covered (双向全覆盖).")


class StageCoverage(CoverageCounts):
    stage: str


class SchoolCoverageResult(_Row):
    as_of: dt.date | None = None
    townships: CoverageCounts
    schools: CoverageCounts
    stages: CoverageCounts
    by_stage: list[StageCoverage]
    full: bool = Field(description="All three coverages complete (三个全覆盖).")


class TimelineRow(CoverageCounts):
    as_of: dt.date | None


class GapRow(_Row):
    id: str
    code: str | None = None
    name: str = Field(examples=["高峰村"])
    kind: str
    township: str | None = None
    county: str | None = None
    parents: str = Field(examples=["沿河土家族自治县 / 中界镇"])
    poverty: str | None = None
    status: str = Field(examples=["never paired"])
    last_end: dt.date | None = None
    next_start: dt.date | None = None
    pairings: int = Field(ge=0)


class AlignmentCounts(_Row):
    pairings: int = Field(ge=0)
    aligned: int = Field(ge=0)
    misaligned: int = Field(ge=0)
    not_comparable: int = Field(ge=0)
    ratio: float | None


class AlignmentLevel(AlignmentCounts):
    level: Level


class AlignmentRow(_Row):
    pairing_id: str
    level: Level
    helper: str
    helped: str
    helper_id: str
    helped_id: str
    helper_parent: str | None = None
    helped_parent: str | None = None
    status: str


class AlignmentResult(AlignmentCounts):
    as_of: dt.date | None = None
    levels: list[AlignmentLevel]
    rows: list[AlignmentRow]


class BalanceLevel(_Row):
    level: Level
    helpers: int = Field(ge=0)
    pairings: int = Field(ge=0)
    mean: float | None
    max: int | None
    gini: float | None = Field(description="Gini coefficient of the helpers' loads.")


class BalanceRow(_Row):
    helper_id: str
    helper: str
    kind: str
    parents: str
    level: Level
    pairings: int = Field(ge=0)
    helped: int = Field(ge=0)


class BalanceResult(_Row):
    as_of: dt.date | None = None
    levels: list[BalanceLevel]
    rows: list[BalanceRow]


class RecommendationResult(_Row):
    as_of: dt.date | None = None
    level: Level | None
    gaps: int = Field(ge=0)
    closed: int = Field(ge=0)
    open: int = Field(ge=0)
    statement: str = Field(examples=["All 3 gaps can be closed."])
    suggestions: list[dict[str, Any]]
    unassigned: list[dict[str, Any]]


class WhatIfResult(_Row):
    as_of: dt.date | None = None
    withdrawn: list[dict[str, Any]]
    pairings_ended: int = Field(ge=0)
    before: CoverageCounts
    after: CoverageCounts
    rows: list[dict[str, Any]] = Field(description="The targets that lose every partner.")


class FlowRollupRow(_Row):
    unit_of_measure: str | None = Field(examples=["万元"])
    amount: float
    records: int = Field(ge=0)
    projects: int = Field(ge=0)
    townships: int = Field(ge=0)
    villages: int = Field(ge=0)


class SummaryResult(_Row):
    units: list[dict[str, Any]]
    pairings: list[dict[str, Any]]
    flows: list[dict[str, Any]]
    totals: dict[str, int]
