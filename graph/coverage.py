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
import numpy as np
from typing_extensions import Unpack

from pairnet.i18n import _

from .asked import asked
from .columnar import network_columns
from .counted import Counted, counted
from .model import Kind, Level
from .reach import reached_through
from .results import (
    CoverageCounts,
    CoverageGroup,
    CoverageResult,
    TimelineRow,
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
    "count_covered",
    "levels_asked",
    "of_program",
    "share",
]

_NO_GROUP = "(none)"
# Up to this many programs, a unit's programs are counted as the bits of one integer.
_MAX_PROGRAM_BITS = 62


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
    columns = network_columns(G)
    active = columns.active_pairings(as_of)
    codes: dict[str, int] = {}
    for _helper, _helped, pairing in active:
        codes.setdefault(pairing.program or "", len(codes))
    ids = columns.ids
    if len(codes) > _MAX_PROGRAM_BITS:
        programs: dict[str, set[str]] = {}
        for helper, helped, pairing in active:
            for unit_id in (ids[helper], ids[helped]):
                programs.setdefault(unit_id, set()).add(pairing.program or "")
        return {unit_id: frozenset(found) for unit_id, found in programs.items()}
    # Each unit's programs as bits: a frozenset per set of programs met (a handful), not per
    # unit (a national network has hundreds of thousands covered).
    units = np.array([unit for helper, helped, _p in active for unit in (helper, helped)], dtype=np.intp)
    bits = np.left_shift(1, np.array([codes[p.program or ""] for _h, _d, p in active], dtype=np.int64).repeat(2))
    masks = np.zeros(len(ids), dtype=np.int64)
    np.bitwise_or.at(masks, units, bits)
    first = units[np.sort(np.unique(units, return_index=True)[1])].tolist()
    names = list(codes)
    found = masks[first].tolist()
    sets = {mask: frozenset(n for code, n in enumerate(names) if mask >> code & 1) for mask in set(found)}
    return {ids[unit]: sets[mask] for unit, mask in zip(first, found, strict=True)}


def count_covered(targets: list[str], paired: Mapping[str, int]) -> CoverageCounts:
    """The counts of ``targets`` that ``paired`` (unit id → pairings) covers."""
    return _counts(len(targets), sum(1 for t in targets if paired.get(t)))


def _counts(targets: int, covered: int) -> CoverageCounts:
    return {"targets": targets, "covered": covered, "uncovered": targets - covered, "share": share(covered, targets)}


def _through(targets: list[str], paired: Mapping[str, int], through: Mapping[str, object]) -> int:
    """How many of ``targets`` are uncovered but reached through a covered unit below them."""
    return sum(1 for t in targets if t in through and not paired.get(t))


def levels_asked(levels: Level | str | Iterable[Level | str] | None) -> list[str] | None:
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
    wanted = levels_asked(levels)
    question = target_set(targets, selection)
    # A whole-network question is counted on the network's columns; a place, a program or
    # a hierarchy with a loop is walked unit by unit (both give the same answer).
    found = counted(G, question, as_of=as_of, levels=wanted) if _by_known(by) else None
    if found is None:
        counts, through, groups = _walked(G, question, wanted, as_of, by)
    else:
        counts, through, groups = _from_columns(G, found, wanted, as_of, by)
    return {
        "asked": asked(G, question, levels=wanted, as_of=as_of),
        "as_of": iso(as_of),
        "levels": wanted,
        **counts,
        "through_descendant": through,
        "groups": groups,
    }


def _by_known(by: str | None) -> bool:
    return by is None or by in ("level", "kind", "parent") or by in set(Kind)


def _from_columns(
    G: nx.MultiDiGraph[str], found: Counted, wanted: list[str] | None, as_of: dt.date | None, by: str | None
) -> tuple[CoverageCounts, int, list[CoverageGroup]]:
    """:func:`coverage`'s counts, through count and groups, from the columns."""
    targets = found.targets
    covered, through = found.covered[targets], found.through[targets]
    groups: list[CoverageGroup] = []
    if by == "level":
        for level in wanted or found.levels_present():
            at_level = found.columns.covered(as_of=as_of, levels=[Level(level)])
            reached = found.dated.above(at_level) & ~at_level
            hit = at_level[targets]
            groups.append(
                {
                    "group_id": level,
                    "group": level,
                    "code": None,
                    **_counts(len(targets), int(np.count_nonzero(hit))),
                    "through_descendant": int(np.count_nonzero(reached[targets])),
                }
            )
    elif by is not None:
        names, group = found.groups(by)
        sizes = np.bincount(group, minlength=len(names)).tolist()
        hits = np.bincount(group[covered], minlength=len(names)).tolist()
        reached = np.bincount(group[through], minlength=len(names)).tolist()
        for name, size, hit, below in zip(names, sizes, hits, reached, strict=True):
            label: str
            if by == "kind":
                group_id, label, code = name, str(name), None
            else:
                node: dict[str, Any] = G.nodes[name] if name is not None else {}
                group_id, label, code = name, node.get("name", _NO_GROUP), node["unit"].code if node else None
            groups.append(
                {"group_id": group_id, "group": label, "code": code, **_counts(size, hit), "through_descendant": below}
            )
    counts = _counts(len(targets), int(np.count_nonzero(covered)))
    return counts, int(np.count_nonzero(through)), groups


def _walked(
    G: nx.MultiDiGraph[str], question: TargetSet, wanted: list[str] | None, as_of: dt.date | None, by: str | None
) -> tuple[CoverageCounts, int, list[CoverageGroup]]:
    """:func:`coverage`'s counts, through count and groups, walking the hierarchy."""
    chosen = select_targets(G, question, as_of=as_of)
    # In a program, only its pairings cover (and give roles, see select_targets).
    edges = list(of_program(active_edges(G, as_of=as_of, levels=wanted), question.program))
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
                    **count_covered(chosen, at_level),
                    "through_descendant": _through(chosen, at_level, reached),
                }
            )
    elif by is not None:
        groups = _by_parent(G, chosen, paired, through, as_of, by)
    return count_covered(chosen, paired), _through(chosen, paired, through), groups


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
                **count_covered(ids, paired),
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
                **count_covered(ids, paired),
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


def of_program(edges: Iterable[tuple[str, str, Any]], program: str | None) -> Iterator[tuple[str, str, Any]]:
    """The pairings of ``edges`` in ``program`` (all of them for None)."""
    return (edge for edge in edges if program is None or edge[2].program == program)


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
