"""The rows of the maps index: every helped place (province, prefecture, county) that has
targets, sorted by division code, with its coverage figures from :mod:`pairnet.graph.coverage`.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from pairnet.graph.coverage import coverage
from pairnet.graph.model import Kind
from pairnet.i18n import N_

from .geo import MEASURES

__all__ = ["PLACE_KINDS", "place_rows"]

# The kinds a row can be, as graph.coverage's ``by`` names them, with their label.
PLACE_KINDS: dict[str, str] = {"province": N_("province"), "city": N_("prefecture"), "county": N_("county")}


def place_rows(G: nx.MultiDiGraph, *, as_of: dt.date | None = None) -> list[dict]:
    """One row per helped place with targets: ``id``, ``code``, ``name``, ``kind`` and, per
    measure of :data:`pairnet.maps.geo.MEASURES`, ``covered``/``targets``/``share`` (None
    where the place has no target of that measure); sorted by code, then name.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="520627", code="520627", kind="county", name="沿河土家族自治县", side="helped"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="520627"))))
    >>> [(r["name"], r["kind"], r["figures"]["villages"]["targets"]) for r in place_rows(G)]
    [('沿河土家族自治县', 'county', 1)]
    """
    rows: dict[str, dict] = {}
    for measure, (target_set, _label) in MEASURES.items():
        for kind in PLACE_KINDS:
            result = coverage(G, side="helped", as_of=as_of, by=kind, **target_set)
            for group in result["groups"]:
                if group["group_id"] is None or not group["targets"]:
                    continue
                row = rows.setdefault(
                    group["group_id"],
                    {
                        "id": group["group_id"],
                        "code": group["code"],
                        "name": group["group"],
                        "kind": Kind(kind).value,
                        "figures": {m: None for m in MEASURES},
                    },
                )
                row["figures"][measure] = {k: group[k] for k in ("covered", "targets", "share")}
    return sorted(rows.values(), key=lambda r: (r["code"] or "~", r["name"]))
