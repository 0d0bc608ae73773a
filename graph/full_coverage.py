"""Full coverage as plans state it: two-way coverage of a level (双向全覆盖) and the three
full coverages of school pairings (三个全覆盖), counted as :mod:`graph.coverage` counts.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(
...     Unit(id="e", kind="township", name="杨舍镇", side="helper"),
...     Unit(id="a", kind="township", name="甲镇", side="helped")), pairings=(
...     Pairing(id="p", helper_id="e", helped_id="a", level="township"),)))
>>> two_way_coverage(G)["full"]
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import networkx as nx

from pairnet.i18n import _

from .asked import place
from .coverage import count_covered, levels_asked, of_program
from .errors import NotFound
from .model import Kind, Level, Side, allowed_kinds
from .results import SchoolCoverageResult, StageCoverage, TwoWayCoverageResult
from .targets import Hierarchy, active_edges, iso, paired_counts, select_targets

__all__ = ["school_coverage", "two_way_coverage"]


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
    paired = paired_counts(of_program(active_edges(G, as_of=as_of, levels=[level]), program))
    if helper_units is None and not every_helper:
        members = {helper for helper, _, _ in of_program(active_edges(G, levels=[level]), program)}
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
        sides[side.value] = count_covered(targets, paired)
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
    wanted = levels_asked(levels)
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
    by_stage: list[StageCoverage] = [
        {"stage": stage, **count_covered(ids, paired)} for stage, ids in sorted(stages.items())
    ]
    stage_paired = {row["stage"]: row["covered"] for row in by_stage}
    counts = {
        "townships": count_covered(townships, township_paired),
        "schools": count_covered(schools, paired),
        "stages": count_covered(sorted(stages), stage_paired),
    }
    return {
        "as_of": iso(as_of),
        "townships": counts["townships"],
        "schools": counts["schools"],
        "stages": counts["stages"],
        "by_stage": by_stage,
        "full": all(c["targets"] > 0 and c["uncovered"] == 0 for c in counts.values()),
    }
