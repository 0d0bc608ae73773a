"""Balance: how the pairings are spread over the helpers.

For each level, the active pairings each helper carries, the most loaded helpers, and
the Gini coefficient of the loads (0 when every helper carries the same number, towards
1 when one helper carries nearly all). Only helpers with at least one active pairing at a
level take part in that level's figures. One pass over the active pairings.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(
...     units=(Unit(id="a", kind="township", name="杨舍镇", side="helper"),
...            Unit(id="b", kind="township", name="塘桥镇", side="helper"),
...            *(Unit(id=f"w{i}", kind="township", name=f"镇{i}", side="helped") for i in range(4))),
...     pairings=(*(Pairing(id=f"p{i}", helper_id="a", helped_id=f"w{i}", level="township") for i in range(3)),
...               Pairing(id="p3", helper_id="b", helped_id="w3", level="township"))))
>>> r = balance(G)
>>> r["levels"][0]["max"], r["levels"][0]["gini"], [(row["helper"], row["pairings"]) for row in r["rows"]]
(3, 0.25, [('杨舍镇', 3), ('塘桥镇', 1)])
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from .model import Level
from .results import BalanceLevel, BalanceResult, BalanceRow
from .targets import Hierarchy, active_edges, iso

__all__ = ["balance", "gini"]


def gini(values: Iterable[float]) -> float | None:
    """The Gini coefficient of non-negative ``values``, rounded to four places; None for
    no values, 0.0 when all are zero.

    >>> gini([1, 1, 1]), gini([0, 0, 3]), gini([]), gini([0, 0])
    (0.0, 0.6667, None, 0.0)
    """
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0:
        return None
    if total == 0:
        return 0.0
    weighted = sum(rank * value for rank, value in enumerate(ordered, start=1))
    return round(2 * weighted / (n * total) - (n + 1) / n, 4)


def balance(
    G: nx.MultiDiGraph[str],
    *,
    levels: Iterable[Level | str] | None = None,
    as_of: dt.date | None = None,
    within: str | None = None,
    program: str | None = None,
    top: int | None = None,
) -> BalanceResult:
    """The load of each helper per level, the most loaded first.

    Parameters
    ----------
    G : the network.
    levels : the levels to count; None counts every level.
    as_of : the date; None ignores dates.
    within : only helpers below this unit on ``as_of`` (e.g. the eastern city).
    program : only this program's pairings count (as recorded); a unit helped in another
        program is a helper here only through its pairings of this one. None counts all.
    top : keep only this many rows (the most loaded); None keeps all.

    Returns
    -------
    dict with ``as_of``, ``program``; ``levels`` (per level: ``level``, ``helpers``, ``pairings``,
    ``mean``, ``max``, ``gini``) and ``rows`` (per helper and level: ``helper_id``,
    ``helper``, ``kind``, ``parents``, ``level``, ``pairings``, ``helped``), sorted by
    pairings (most first), then level and helper id.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset
    >>> from pairnet.graph.network import build_network
    >>> balance(build_network(Dataset()))
    {'as_of': None, 'program': None, 'levels': [], 'rows': []}
    """
    hierarchy = Hierarchy(G, as_of)
    inside = set(hierarchy.descendants(within)) if within is not None else None
    loads: dict[tuple[Level, str], list[str]] = defaultdict(list)
    for helper, helped, pairing in active_edges(G, as_of=as_of, levels=levels):
        if (inside is None or helper in inside) and (program is None or pairing.program == program):
            loads[(pairing.level, helper)].append(helped)
    order = list(Level)
    rows: list[BalanceRow] = [
        {
            "helper_id": helper,
            "helper": G.nodes[helper]["name"],
            "kind": G.nodes[helper]["kind"].value,
            "parents": hierarchy.path(helper),
            "level": level.value,
            "pairings": len(helped),
            "helped": len(set(helped)),
        }
        for (level, helper), helped in loads.items()
    ]
    rows.sort(key=lambda r: (-r["pairings"], order.index(Level(r["level"])), r["helper_id"]))
    per_level: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        per_level[row["level"]].append(row["pairings"])
    level_rows: list[BalanceLevel] = [
        {
            "level": level,
            "helpers": len(counts),
            "pairings": sum(counts),
            "mean": round(sum(counts) / len(counts), 2),
            "max": max(counts),
            "gini": gini(counts),
        }
        for level, counts in sorted(per_level.items(), key=lambda kv: order.index(Level(kv[0])))
    ]
    return {
        "as_of": iso(as_of),
        "program": program,
        "levels": level_rows,
        "rows": rows[:top] if top is not None else rows,
    }
