"""Coverage: the share of a target set with at least one active pairing.

A unit is *covered* on ``as_of`` when a pairing at one of ``levels`` (any level if None)
that is active on that date joins it to a partner valid on that date. Coverage is
computed in one pass over the pairings and one over the targets, whatever their number.
Shares are fractions rounded to four places, or None when the target set is empty.

Examples
--------
>>> import datetime as dt
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(
...     units=(Unit(id="c", kind="county", name="沿河", side="helped"),
...            Unit(id="t", kind="township", name="中界镇", side="helped", parent_id="c"),
...            Unit(id="v1", kind="village", name="高峰村", side="helped", parent_id="t", poverty="deeply_poor"),
...            Unit(id="v2", kind="village", name="某村", side="helped", parent_id="t", poverty="deeply_poor"),
...            Unit(id="e", kind="village", name="善港村", side="helper")),
...     pairings=(Pairing(id="p", helper_id="e", helped_id="v1", level="village", start=dt.date(2017, 6, 1)),)))
>>> r = coverage(G, kind="village", poverty="deeply_poor", within="c", as_of=dt.date(2018, 12, 31), by="township")
>>> r["covered"], r["targets"], r["share"], [(g["group"], g["covered"]) for g in r["groups"]]
(1, 2, 0.5, [('中界镇', 1)])
>>> [row["covered"] for row in coverage_timeline(G, [dt.date(2016, 12, 31), dt.date(2017, 12, 31)], kind="village", side="helped")]
[0, 1]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import networkx as nx
from typing_extensions import Unpack

from pairnet.i18n import _

from .asked import asked, place
from .errors import NotFound
from .model import Kind, Level, Side, allowed_kinds
from .reach import reached_through
from .results import (
    CoverageCounts,
    CoverageGroup,
    CoverageResult,
    SchoolCoverageResult,
    StageCoverage,
    TimelineRow,
    TwoWayCoverageResult,
)
from .targets import (
    Hierarchy,
    TargetKeywords,
    TargetSet,
    active_edges,
    iso,
    level_set,
    paired_counts,
    select_targets,
    target_set,
)

__all__ = [
    "coverage",
    "coverage_timeline",
    "covered_units",
    "covering_programs",
    "school_coverage",
    "share",
    "two_way_coverage",
]

_NO_GROUP = "(none)"


def share(covered: int, targets: int) -> float | None:
    """``covered / targets`` rounded to four places, None for an empty set.

    >>> share(50, 50), share(1, 3), share(0, 0)
    (1.0, 0.3333, None)
    """
    return round(covered / targets, 4) if targets else None


def covered_units(
    G: nx.MultiDiGraph[str], *, as_of: dt.date | None = None, levels: Iterable[Level | str] | None = None
) -> frozenset[str]:
    """The units covered on ``as_of``: joined by a pairing at one of ``levels`` (any if None)
    active on that date to a partner valid on it. Every coverage figure counts these.

    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="e", kind="township", name="杨舍镇", side="helper"),
    ...     Unit(id="w", kind="township", name="中界镇", side="helped"),
    ...     Unit(id="x", kind="township", name="甲镇", side="helped")),
    ...     pairings=(Pairing(id="p", helper_id="e", helped_id="w", level="township"),)))
    >>> sorted(covered_units(G))
    ['e', 'w']
    """
    return frozenset(paired_counts(active_edges(G, as_of=as_of, levels=levels)))


def covering_programs(G: nx.MultiDiGraph[str], *, as_of: dt.date | None = None) -> dict[str, frozenset[str]]:
    """The programs of the pairings that cover each covered unit on ``as_of`` ("" for a
    pairing recorded without one): a unit stays covered with only some programs counted
    exactly when one of its programs is among them, as :func:`covered_units` counts.

    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="e", kind="enterprise", name="沙钢", side="helper"),
    ...     Unit(id="w", kind="village", name="善港村", side="helper"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped")), pairings=(
    ...     Pairing(id="p", helper_id="e", helped_id="v", level="enterprise_village", program="万企帮万村"),
    ...     Pairing(id="q", helper_id="w", helped_id="v", level="village"))))
    >>> sorted(covering_programs(G)["v"]), sorted(covering_programs(G)["e"])
    (['', '万企帮万村'], ['万企帮万村'])
    """
    programs: dict[str, set[str]] = {}
    for helper, helped, pairing in active_edges(G, as_of=as_of):
        for unit_id in (helper, helped):
            programs.setdefault(unit_id, set()).add(pairing.program or "")
    return {unit_id: frozenset(found) for unit_id, found in programs.items()}


def _counts(targets: list[str], paired: dict[str, int]) -> CoverageCounts:
    covered = sum(1 for t in targets if paired.get(t))
    return {
        "targets": len(targets),
        "covered": covered,
        "uncovered": len(targets) - covered,
        "share": share(covered, len(targets)),
    }


def _through(targets: list[str], paired: Mapping[str, int], through: Mapping[str, object]) -> int:
    """How many of ``targets`` are uncovered but reached through a covered unit below them."""
    return sum(1 for t in targets if t in through and not paired.get(t))


def _levels(levels: Level | str | Iterable[Level | str] | None) -> list[str] | None:
    """The levels asked for, in the model's order, as results list them."""
    wanted = level_set(levels)
    return None if wanted is None else [lv.value for lv in Level if lv in wanted]


def coverage(
    G: nx.MultiDiGraph[str],
    targets: TargetSet | None = None,
    *,
    levels: Iterable[Level | str] | None = None,
    as_of: dt.date | None = None,
    by: str | None = None,
    **selection: Unpack[TargetKeywords],
) -> CoverageResult:
    """Coverage of a target set, overall and optionally broken down.

    Parameters
    ----------
    G : the network.
    targets : the target set, or its fields as keywords (see :func:`graph.targets.select_targets`).
    levels : pairing levels that count (one or several); None counts every level.
    as_of : the date; None ignores dates.
    by : ``"level"`` (one group per level, each counting only its own pairings), ``"kind"``
        (the targets' own kinds), ``"parent"`` (the unit's parent on ``as_of``) or a unit kind (``"township"``, ``"county"``: the
        nearest ancestor of that kind on ``as_of``); None gives no breakdown.

    Returns
    -------
    dict with ``asked`` (what was counted: kinds, side, poverty, stage, place, date, levels),
    ``as_of``, ``levels``, ``targets``, ``covered``, ``uncovered``, ``share``,
    ``through_descendant`` (uncovered targets with a covered unit below them) and
    ``groups`` (a list of rows with ``group_id``, ``group``, ``code`` and the same counts,
    in first-seen order; empty when ``by`` is None).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="a", kind="township", name="甲镇", side="helped"),
    ...     Unit(id="b", kind="township", name="乙镇", side="helped"),
    ...     Unit(id="e", kind="township", name="杨舍镇", side="helper")),
    ...     pairings=(Pairing(id="p", helper_id="e", helped_id="a", level="township"),)))
    >>> r = coverage(G, kind="township", side="helped", by="level")
    >>> r["share"], [(g["group"], g["covered"], g["targets"]) for g in r["groups"]]
    (0.5, [('township', 1, 2)])
    """
    wanted = _levels(levels)
    question = target_set(targets, selection)
    chosen = select_targets(G, question, as_of=as_of)
    # In a program, only its pairings cover (and give roles, see select_targets).
    edges = list(_of_program(active_edges(G, as_of=as_of, levels=wanted), question.program))
    groups: list[CoverageGroup] = []
    paired = paired_counts(edges)
    through = reached_through(Hierarchy(G, as_of), paired)
    if by == "level":
        present = {p.level.value for _, _, p in edges}
        for level in wanted or [lv.value for lv in Level if lv.value in present]:
            at_level = paired_counts(e for e in edges if e[2].level == level)
            reached = reached_through(Hierarchy(G, as_of), at_level)
            groups.append(
                {
                    "group_id": level,
                    "group": level,
                    "code": None,
                    **_counts(chosen, at_level),
                    "through_descendant": _through(chosen, at_level, reached),
                }
            )
    elif by is not None:
        groups = _by_parent(G, chosen, paired, through, as_of, by)
    counts = _counts(chosen, paired)
    return {
        "asked": asked(G, question, levels=wanted, as_of=as_of),
        "as_of": iso(as_of),
        "levels": wanted,
        **counts,
        "through_descendant": _through(chosen, paired, through),
        "groups": groups,
    }


def _by_parent(
    G: nx.MultiDiGraph[str],
    targets: list[str],
    paired: dict[str, int],
    through: Mapping[str, object],
    as_of: dt.date | None,
    by: str,
) -> list[CoverageGroup]:
    hierarchy = Hierarchy(G, as_of)
    find: Callable[[str], str | None] | None
    if by == "parent":
        find = hierarchy.parent
    elif by == "kind":
        find = None
    elif by in set(Kind):
        ancestor_kind = Kind(by)
        find = lambda t: hierarchy.ancestor(t, ancestor_kind)  # noqa: E731
    else:
        raise ValueError(
            _("by must be 'level', 'parent', 'kind' or a unit kind ({kinds}), not {value}").format(
                kinds=", ".join(Kind), value=repr(by)
            )
        )
    if find is None:
        return [
            {
                "group_id": kind,
                "group": kind,
                "code": None,
                **_counts(ids, paired),
                "through_descendant": _through(ids, paired, through),
            }
            for kind, ids in _group(targets, lambda t: G.nodes[t]["kind"].value).items()
        ]
    groups: list[CoverageGroup] = []
    for group_id, ids in _group(targets, find).items():
        node: dict[str, Any] = G.nodes[group_id] if group_id is not None else {}
        groups.append(
            {
                "group_id": group_id,
                "group": node.get("name", _NO_GROUP),
                "code": node["unit"].code if node else None,
                **_counts(ids, paired),
                "through_descendant": _through(ids, paired, through),
            }
        )
    return groups


_Key = TypeVar("_Key", bound=Hashable)


def _group(targets: list[str], key: Callable[[str], _Key]) -> dict[_Key, list[str]]:
    members: dict[_Key, list[str]] = {}
    for target in targets:
        members.setdefault(key(target), []).append(target)
    return members


def two_way_coverage(
    G: nx.MultiDiGraph[str],
    *,
    level: Level | str = Level.TOWNSHIP,
    helper_within: str | None = None,
    helped_within: str | None = None,
    helper_units: Iterable[str] | None = None,
    helped_units: Iterable[str] | None = None,
    program: str | None = None,
    every_helper: bool = False,
    as_of: dt.date | None = None,
) -> TwoWayCoverageResult:
    """Two-way coverage of a level (双向全覆盖): the units of the level's kinds on each side,
    below ``helper_within`` and ``helped_within``, and how many have a pairing at ``level``.

    The helper side is the set of units the program's pairings at ``level`` make helpers
    (at any date, of ``program`` if given, below ``helper_within`` if given): the
    program's members, not every unit below a root (Zhangjiagang's "10 towns (zones)" are
    10 of its 13 township-level units). ``every_helper`` takes every unit of the level's
    helper kinds below ``helper_within`` instead; ``helper_units`` / ``helped_units`` name a
    side's units outright (ids). Units not valid on ``as_of`` drop out.

    Returns a dict with ``level``, ``as_of``, ``program``, ``helper_set`` (``named``,
    ``pairings`` or ``within``), ``helper_place`` and ``helped_place`` (the roots, named),
    ``helper`` and ``helped`` (each with ``targets``, ``covered``, ``uncovered``, ``share``)
    and ``full`` (both sides fully covered).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="e", kind="township", name="杨舍镇", side="helper"),
    ...     Unit(id="a", kind="township", name="甲镇", side="helped"),
    ...     Unit(id="b", kind="township", name="乙镇", side="helped")), pairings=(
    ...     Pairing(id="p1", helper_id="e", helped_id="a", level="township"),
    ...     Pairing(id="p2", helper_id="e", helped_id="b", level="township"))))
    >>> r = two_way_coverage(G)
    >>> r["helper"]["covered"], r["helped"]["covered"], r["full"]
    (1, 2, True)
    """
    level = Level(level)
    helper_kinds, helped_kinds = allowed_kinds(level)
    paired = paired_counts(_of_program(active_edges(G, as_of=as_of, levels=[level]), program))
    if helper_units is None and not every_helper:
        members = {helper for helper, _, _ in _of_program(active_edges(G, levels=[level]), program)}
        helper_units = [
            u for u in select_targets(G, kind=helper_kinds, within=helper_within, as_of=as_of) if u in members
        ]
        helper_set = "pairings"
    else:
        helper_set = "within" if helper_units is None else "named"
    sides = {}
    for side, kinds, within, named in (
        (Side.HELPER, helper_kinds, helper_within, helper_units),
        (Side.HELPED, helped_kinds, helped_within, helped_units),
    ):
        if named is None:
            # An explicit helper root names the helper side itself: every unit of the
            # kinds below it, whatever its roles; elsewhere a side is a role in the program.
            chosen = None if side is Side.HELPER and within is not None else side
            targets = select_targets(G, kind=kinds, side=chosen, within=within, program=program, as_of=as_of)
        else:
            targets = sorted({u for u in named if _known(G, u) and G.nodes[u]["unit"].valid_on(as_of)})
        sides[side.value] = _counts(targets, paired)
    full = all(s["targets"] > 0 and s["uncovered"] == 0 for s in sides.values())
    return {
        "level": level.value,
        "as_of": iso(as_of),
        "program": program,
        "helper_set": helper_set,
        "helper_place": place(G, helper_within),
        "helped_place": place(G, helped_within),
        "helper": sides[Side.HELPER.value],
        "helped": sides[Side.HELPED.value],
        "full": full,
    }


def _of_program(edges: Iterable[tuple[str, str, Any]], program: str | None) -> Iterator[tuple[str, str, Any]]:
    """The pairings of ``edges`` in ``program`` (all of them for None)."""
    return (edge for edge in edges if program is None or edge[2].program == program)


def _known(G: nx.MultiDiGraph[str], unit_id: str) -> bool:
    if unit_id not in G:
        raise NotFound(_("no unit with id {id}").format(id=repr(unit_id)))
    return True


def school_coverage(
    G: nx.MultiDiGraph[str],
    *,
    within: str | None = None,
    as_of: dt.date | None = None,
    levels: Iterable[Level | str] | None = (Level.SCHOOL,),
) -> SchoolCoverageResult:
    """The three full coverages of school pairings (三个全覆盖) on the helped side below
    ``within``: every township has a paired school, every school is paired, every school
    stage has a paired school.

    Returns a dict with ``townships``, ``schools`` and ``stages`` (each with ``targets``,
    ``covered``, ``uncovered``, ``share``), ``by_stage`` (per stage: its schools' coverage)
    and ``full`` (all three complete). A township counts as covered when a paired school is
    below it on ``as_of``; schools without a stage are left out of the stages.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="c", kind="county", name="沿河", side="helped"),
    ...     Unit(id="t", kind="township", name="中界镇", side="helped", parent_id="c"),
    ...     Unit(id="s1", kind="school", name="中界小学", side="helped", parent_id="t", stage="primary"),
    ...     Unit(id="s2", kind="school", name="沿河中学", side="helped", parent_id="c", stage="secondary"),
    ...     Unit(id="e", kind="school", name="港城小学", side="helper")), pairings=(
    ...     Pairing(id="p", helper_id="e", helped_id="s1", level="school"),)))
    >>> r = school_coverage(G, within="c")
    >>> r["townships"]["share"], r["schools"]["share"], r["stages"]["share"], r["full"]
    (1.0, 0.5, 0.5, False)
    """
    wanted = _levels(levels)
    paired = paired_counts(active_edges(G, as_of=as_of, levels=wanted))
    schools = select_targets(G, kind=Kind.SCHOOL, side=Side.HELPED, within=within, as_of=as_of)
    townships = select_targets(G, kind=Kind.TOWNSHIP, side=Side.HELPED, within=within, as_of=as_of)
    hierarchy = Hierarchy(G, as_of)
    township_paired: dict[str, int] = {}
    stages: dict[str, list[str]] = {}
    for school in schools:
        if paired.get(school):
            township = hierarchy.ancestor(school, Kind.TOWNSHIP)
            if township is not None:
                township_paired[township] = 1
        stage = G.nodes[school]["unit"].stage
        if stage:
            stages.setdefault(stage, []).append(school)
    by_stage: list[StageCoverage] = [{"stage": stage, **_counts(ids, paired)} for stage, ids in sorted(stages.items())]
    stage_paired = {row["stage"]: row["covered"] for row in by_stage}
    counts = {
        "townships": _counts(townships, township_paired),
        "schools": _counts(schools, paired),
        "stages": _counts(sorted(stages), stage_paired),
    }
    return {
        "as_of": iso(as_of),
        "townships": counts["townships"],
        "schools": counts["schools"],
        "stages": counts["stages"],
        "by_stage": by_stage,
        "full": all(c["targets"] > 0 and c["uncovered"] == 0 for c in counts.values()),
    }


def coverage_timeline(
    G: nx.MultiDiGraph[str],
    dates: Iterable[dt.date],
    targets: TargetSet | None = None,
    *,
    levels: Iterable[Level | str] | None = None,
    **selection: Unpack[TargetKeywords],
) -> list[TimelineRow]:
    """Coverage at each of ``dates``: one row per date with ``as_of``, ``targets``,
    ``covered``, ``uncovered`` and ``share``, for the target set and ``levels`` of
    :func:`coverage`.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(Unit(id="a", kind="village", name="甲村", side="helped"),)))
    >>> coverage_timeline(G, [dt.date(2020, 12, 31)], kind="village")
    [{'as_of': '2020-12-31', 'targets': 1, 'covered': 0, 'uncovered': 1, 'share': 0.0}]
    """
    chosen = target_set(targets, selection)
    rows: list[TimelineRow] = []
    for day in dates:
        result = coverage(G, chosen, levels=levels, as_of=day)
        rows.append(
            {
                "as_of": result["as_of"],
                "targets": result["targets"],
                "covered": result["covered"],
                "uncovered": result["uncovered"],
                "share": result["share"],
            }
        )
    return rows
