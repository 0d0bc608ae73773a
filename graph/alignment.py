"""Alignment: the five-in-one consistency of the levels.

Five-in-one (五位一体) means the levels fit together: when a village of 中界镇 is paired
with a village of the Development Zone, 中界镇 is paired with the Development Zone too. A
pairing is *aligned* on ``as_of`` when the helped unit's parent (on that date) has an
active pairing, at any level, with the helper's nearest ancestor of the same kind. It is

``aligned``                 those two are paired
``parents_not_paired``      they are not
``no_comparable_parent``    the helped unit has no parent, or the helper has no ancestor
                            of that kind (an enterprise under the city, a department):
                            such pairings are counted apart and left out of the ratio

The ratio is aligned / (aligned + parents_not_paired), per level and overall; None when
nothing is comparable. One pass over the active pairings.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(
...     units=(Unit(id="E", kind="township", name="经开区", side="helper"),
...            Unit(id="W", kind="township", name="中界镇", side="helped"),
...            Unit(id="X", kind="township", name="黑水镇", side="helped"),
...            Unit(id="e", kind="village", name="善港村", side="helper", parent_id="E"),
...            Unit(id="w", kind="village", name="高峰村", side="helped", parent_id="W"),
...            Unit(id="x", kind="village", name="某村", side="helped", parent_id="X")),
...     pairings=(Pairing(id="t", helper_id="E", helped_id="W", level="township"),
...               Pairing(id="v1", helper_id="e", helped_id="w", level="village"),
...               Pairing(id="v2", helper_id="e", helped_id="x", level="village"))))
>>> r = alignment(G, levels=["village"])
>>> r["aligned"], r["misaligned"], r["ratio"], [row["pairing_id"] for row in r["rows"]]
(1, 1, 0.5, ['v2'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import networkx as nx

from .coverage import share
from .model import Level
from .results import AlignmentCounts, AlignmentLevel, AlignmentResult, AlignmentRow
from .targets import Hierarchy, active_edges, iso, level_set

__all__ = ["ALIGNMENT_STATUSES", "alignment"]

ALIGNMENT_STATUSES = ("aligned", "parents_not_paired", "no_comparable_parent")


def alignment(
    G: nx.MultiDiGraph[str],
    *,
    levels: Iterable[Level | str] | None = None,
    as_of: dt.date | None = None,
    within: str | None = None,
) -> AlignmentResult:
    """How far the pairings at ``levels`` are aligned with pairings of their parents.

    Parameters
    ----------
    G : the network.
    levels : the levels to check; None checks every level.
    as_of : the date; None ignores dates.
    within : only pairings whose helped unit is below this unit on ``as_of`` (a county,
        a township).

    Returns
    -------
    dict with ``as_of``, ``pairings``, ``aligned``, ``misaligned``, ``not_comparable``,
    ``ratio``; ``levels`` (the same counts per level, in level order) and ``rows`` (every
    pairing that is not aligned, with ``pairing_id``, ``level``, ``helper``, ``helped``,
    their ids, ``helper_parent``, ``helped_parent`` and ``status``): the pairings whose
    parents are not paired first, then by level and id.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="s", kind="enterprise", name="国企", side="helper"),
    ...     Unit(id="w", kind="village", name="高峰村", side="helped")), pairings=(
    ...     Pairing(id="p", helper_id="s", helped_id="w", level="enterprise_village"),)))
    >>> r = alignment(G)
    >>> r["not_comparable"], r["ratio"], r["rows"][0]["status"]
    (1, None, 'no_comparable_parent')
    """
    hierarchy = Hierarchy(G, as_of)
    active = list(active_edges(G, as_of=as_of))
    paired_units = {(helper, helped) for helper, helped, _ in active}
    wanted = level_set(levels)
    inside = set(hierarchy.descendants(within)) if within is not None else None
    per_level: dict[Level, dict[str, int]] = {}
    rows: list[AlignmentRow] = []
    for helper, helped, pairing in active:
        if wanted is not None and pairing.level not in wanted:
            continue
        if inside is not None and helped not in inside:
            continue
        helped_parent = hierarchy.parent(helped)
        helper_parent = None
        if helped_parent is not None:
            helper_parent = hierarchy.ancestor(helper, G.nodes[helped_parent]["kind"])
        if helper_parent is None:
            status = "no_comparable_parent"
        elif (helper_parent, helped_parent) in paired_units:
            status = "aligned"
        else:
            status = "parents_not_paired"
        counts = per_level.setdefault(pairing.level, dict.fromkeys(ALIGNMENT_STATUSES, 0))
        counts[status] += 1
        if status != "aligned":
            rows.append(
                {
                    "pairing_id": pairing.id,
                    "level": pairing.level.value,
                    "helper": G.nodes[helper]["name"],
                    "helped": G.nodes[helped]["name"],
                    "helper_parent": None if helper_parent is None else G.nodes[helper_parent]["name"],
                    "helped_parent": None if helped_parent is None else G.nodes[helped_parent]["name"],
                    "status": status,
                    "helper_id": helper,
                    "helped_id": helped,
                }
            )
    rows.sort(
        key=lambda r: (ALIGNMENT_STATUSES.index(r["status"]), list(Level).index(Level(r["level"])), r["pairing_id"])
    )
    level_rows: list[AlignmentLevel] = [
        {"level": level.value, **_summary(counts)}
        for level, counts in sorted(per_level.items(), key=lambda kv: list(Level).index(kv[0]))
    ]
    total = {status: sum(c[status] for c in per_level.values()) for status in ALIGNMENT_STATUSES}
    return {"as_of": iso(as_of), **_summary(total), "levels": level_rows, "rows": rows}


def _summary(counts: dict[str, int]) -> AlignmentCounts:
    aligned, misaligned = counts["aligned"], counts["parents_not_paired"]
    return {
        "pairings": sum(counts.values()),
        "aligned": aligned,
        "misaligned": misaligned,
        "not_comparable": counts["no_comparable_parent"],
        "ratio": share(aligned, aligned + misaligned),
    }
