"""The panel of a helper-side unit's map: what the unit and the units below it help, by
pairing level (the helped units of their active pairings, from :mod:`pairnet.graph`)."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from pairnet.graph.model import Level
from pairnet.graph.targets import TargetSet, active_edges, select_targets
from pairnet.i18n.labels import label

from .parts import path_key

__all__ = ["MAX_LISTED", "helped_by_level"]

# Helped units named per level; the rest are counted.
MAX_LISTED = 30


def helped_by_level(G: nx.MultiDiGraph, unit_id: str, *, as_of: dt.date | None) -> list[dict]:
    """What ``unit_id`` and every unit below it help on ``as_of``, per pairing level in the
    model's order: ``level`` (identifier), ``label``, ``count`` (distinct helped units),
    ``pairings`` and ``units`` (the first :data:`MAX_LISTED` helped units, ``id``, ``name``,
    ``code``, in the order of their parents).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="z", kind="city", name="张家港市", side="helper"),
    ...     Unit(id="t", kind="township", name="杨舍镇", side="helper", parent_id="z"),
    ...     Unit(id="y", kind="county", name="沿河土家族自治县", side="helped"),
    ...     Unit(id="u", kind="township", name="中界镇", side="helped", parent_id="y")),
    ...     pairings=(Pairing(id="p", helper_id="z", helped_id="y", level="government"),
    ...               Pairing(id="q", helper_id="t", helped_id="u", level="township"))))
    >>> [(row["level"], [u["name"] for u in row["units"]]) for row in helped_by_level(G, "z", as_of=None)]
    [('government', ['沿河土家族自治县']), ('township', ['中界镇'])]
    """
    below = {unit_id, *select_targets(G, TargetSet(within=unit_id), as_of=as_of)}
    helped: dict[Level, set[str]] = {}
    pairings: dict[Level, int] = {}
    for helper, helped_id, pairing in active_edges(G, as_of=as_of):
        if helper in below:
            helped.setdefault(pairing.level, set()).add(helped_id)
            pairings[pairing.level] = pairings.get(pairing.level, 0) + 1
    rows = []
    for level in Level:
        if level not in helped:
            continue
        units = sorted(helped[level], key=lambda i: path_key(G, i))
        rows.append(
            {
                "level": level.value,
                "label": label(level),
                "count": len(units),
                "pairings": pairings[level],
                "units": [
                    {"id": i, "name": G.nodes[i]["name"], "code": G.nodes[i]["unit"].code or ""}
                    for i in units[:MAX_LISTED]
                ],
            }
        )
    return rows
