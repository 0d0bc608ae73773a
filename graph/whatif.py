"""What-if: the effect of helpers withdrawing.

When helpers withdraw, their active pairings end. The targets whose every active pairing
(at the chosen levels) was with a withdrawing helper lose all their partners and become
gaps; coverage of the target set before and after shows the damage. One pass over the
active pairings.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(
...     units=(Unit(id="a", kind="village", name="善港村", side="helper"),
...            Unit(id="b", kind="enterprise", name="某企业", side="helper"),
...            Unit(id="w1", kind="village", name="高峰村", side="helped"),
...            Unit(id="w2", kind="village", name="某村", side="helped")),
...     pairings=(Pairing(id="p1", helper_id="a", helped_id="w1", level="village"),
...               Pairing(id="p2", helper_id="a", helped_id="w2", level="village"),
...               Pairing(id="p3", helper_id="b", helped_id="w2", level="enterprise_village"))))
>>> r = whatif(G, withdraw=["a"], kind="village", side="helped")
>>> [row["name"] for row in r["rows"]], r["before"]["covered"], r["after"]["covered"]
(['高峰村'], 2, 1)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
from typing_extensions import Unpack

from pairnet.i18n import _

from .coverage import share
from .errors import NotFound
from .model import Level
from .results import WhatIfResult, WhatIfRow
from .targets import Hierarchy, TargetKeywords, TargetSet, active_edges, iso, select_targets, target_set

__all__ = ["whatif"]


def whatif(
    G: nx.MultiDiGraph[str],
    *,
    withdraw: Iterable[str],
    with_units_under: bool = False,
    targets: TargetSet | None = None,
    levels: Iterable[Level | str] | None = None,
    as_of: dt.date | None = None,
    **selection: Unpack[TargetKeywords],
) -> WhatIfResult:
    """What happens to a target set if the helpers ``withdraw`` stop helping.

    Parameters
    ----------
    G : the network.
    withdraw : the ids of the withdrawing helpers.
    with_units_under : whether the units below each of them (on ``as_of``) withdraw too,
        e.g. a town and all its villages and enterprises.
    targets : the target set, or its fields as keywords (see :func:`graph.targets.select_targets`).
    levels : the levels whose pairings count; None counts every level.
    as_of : the date; None ignores dates.

    Returns
    -------
    dict with ``as_of``, ``withdrawn`` (ids and names), ``pairings_ended`` (active pairings
    of the withdrawing helpers at these levels), ``before`` and ``after`` (``targets``,
    ``covered``, ``uncovered``, ``share``) and ``rows``: the targets that lose every partner,
    with their parents and the ``lost`` partners' names, sorted by parents and id.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(Unit(id="a", kind="village", name="善港村", side="helper"),)))
    >>> whatif(G, withdraw=["a"], kind="village", side="helped")["after"]
    {'targets': 0, 'covered': 0, 'uncovered': 0, 'share': None}
    """
    hierarchy = Hierarchy(G, as_of)
    leaving: set[str] = set()
    for helper in withdraw:
        if helper not in G:
            raise NotFound(_("no unit with id {id}").format(id=repr(helper)))
        leaving.add(helper)
        if with_units_under:
            leaving.update(hierarchy.descendants(helper))
    chosen = select_targets(G, target_set(targets, selection), as_of=as_of)
    members = set(chosen)
    partners: dict[str, list[str]] = defaultdict(list)
    ended = 0
    for helper, helped, _pairing in active_edges(G, as_of=as_of, levels=levels):
        ended += helper in leaving
        for unit, partner in ((helped, helper), (helper, helped)):
            if unit in members:
                partners[unit].append(partner)
    before = sum(1 for t in chosen if partners.get(t))
    losing = [t for t in chosen if partners.get(t) and all(p in leaving for p in partners[t])]
    rows: list[WhatIfRow] = [
        {**hierarchy.describe(t), "lost": "; ".join(sorted({G.nodes[p]["name"] for p in partners[t]}))} for t in losing
    ]
    rows.sort(key=lambda r: (r["parents"], r["id"]))
    after = before - len(losing)
    total = len(chosen)
    return {
        "as_of": iso(as_of),
        "withdrawn": [{"id": u, "name": G.nodes[u]["name"]} for u in sorted(leaving)],
        "pairings_ended": ended,
        "before": {"targets": total, "covered": before, "uncovered": total - before, "share": share(before, total)},
        "after": {"targets": total, "covered": after, "uncovered": total - after, "share": share(after, total)},
        "rows": rows,
    }
