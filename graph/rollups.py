"""Flow roll-ups: funds, projects, people and donations summed by what a report needs.

Flows are grouped by any of :data:`ROLLUP_KEYS` and always by ``unit_of_measure`` (万元
and people never add up). Each row gives the ``amount``, how many flow ``records``, how
many distinct ``projects``, and how many distinct ``townships`` and ``villages`` the flows
reached. A flow's *western end* is its helped-side unit (``to``, else ``from``); its
township and county are those of the western end (itself, or its nearest ancestor of that
kind) as of the end of the flow's year, so a 2018 flow counts under its 2018 township.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Flow
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(
...     units=(Unit(id="t", kind="township", name="中界镇", side="helped"),
...            Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="t"),
...            Unit(id="z", kind="county", name="张家港市", side="helper")),
...     flows=(Flow(id="f1", kind="funds", amount=100, unit_of_measure="万元", year=2018, from_id="z", to_id="v", project="路"),
...            Flow(id="f2", kind="funds", amount=50.5, unit_of_measure="万元", year=2018, from_id="z", to_id="t", project="水"),
...            Flow(id="f3", kind="people_lifted", amount=30, unit_of_measure="人", year=2018, to_id="v"))))
>>> [(r["kind"], r["amount"], r["projects"], r["townships"], r["villages"]) for r in rollup(G)]
[('funds', 150.5, 2, 1, 1), ('people_lifted', 30.0, 0, 1, 1)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import networkx as nx

from pairnet.i18n import _

from .model import Flow, FlowKind, Kind, Pairing, Side
from .results import FlowRollupRow
from .targets import Hierarchy

__all__ = ["ROLLUP_KEYS", "rollup"]

ROLLUP_KEYS = ("kind", "level", "year", "township", "county", "pairing", "project", "from", "to")


def rollup(
    G: nx.MultiDiGraph[str],
    *,
    by: Iterable[str] = ("kind",),
    kinds: Iterable[FlowKind | str] | None = None,
    years: Iterable[int] | None = None,
    within: str | None = None,
) -> list[FlowRollupRow]:
    """Flows summed per group.

    Parameters
    ----------
    G : the network (its flows are ``G.graph["flows"]``).
    by : the keys to group by, from :data:`ROLLUP_KEYS`; ``unit_of_measure`` is always added.
    kinds : only flows of these kinds; None keeps all.
    years : only flows of these years; None keeps all (also flows without a year).
    within : only flows whose western end is this unit or below it.

    Returns
    -------
    list of rows: the ``by`` keys (names for units, the level's value, ``"helper → helped"``
    for a pairing; None where a flow has none), ``unit_of_measure``, ``amount``,
    ``records``, ``projects``, ``townships``, ``villages``; sorted by the keys.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset
    >>> from pairnet.graph.network import build_network
    >>> rollup(build_network(Dataset()), by=["year", "level"])
    []
    """
    by = [by] if isinstance(by, str) else list(by)
    unknown = [key for key in by if key not in ROLLUP_KEYS]
    if unknown:
        raise ValueError(
            _("cannot group flows by {keys}; expected some of {known}").format(
                keys=", ".join(unknown), known=", ".join(ROLLUP_KEYS)
            )
        )
    kinds = {FlowKind(k) for k in ([kinds] if isinstance(kinds, str) else kinds)} if kinds is not None else None
    years = set(years) if years is not None else None
    edges: Iterable[tuple[str, str, str, Pairing]] = G.edges(keys=True, data="pairing")
    pairings = {key: pairing for _, _, key, pairing in edges}
    hierarchies: dict[int | None, Hierarchy] = {}
    inside = set(Hierarchy(G).descendants(within)) | {within} if within is not None else None
    groups: dict[tuple[int | str | None, ...], dict[str, Any]] = {}
    flow: Flow
    for flow in G.graph["flows"]:
        if (kinds is not None and flow.kind not in kinds) or (years is not None and flow.year not in years):
            continue
        west = _western_end(G, flow)
        if inside is not None and west not in inside:
            continue
        if flow.year not in hierarchies:
            hierarchies[flow.year] = Hierarchy(G, dt.date(flow.year, 12, 31) if flow.year else None)
        hierarchy = hierarchies[flow.year]
        township = _self_or_ancestor(G, hierarchy, west, Kind.TOWNSHIP)
        village = _self_or_ancestor(G, hierarchy, west, Kind.VILLAGE)
        pairing = pairings.get(flow.pairing_id) if flow.pairing_id is not None else None
        values = {
            "kind": flow.kind.value,
            "level": pairing.level.value if pairing is not None else None,
            "year": flow.year,
            "township": _name(G, township),
            "county": _name(G, _self_or_ancestor(G, hierarchy, west, Kind.COUNTY)),
            "pairing": _pairing_label(G, pairing),
            "project": flow.project,
            "from": _name(G, flow.from_id),
            "to": _name(G, flow.to_id),
        }
        key = (*(values[k] for k in by), flow.unit_of_measure)
        group = groups.setdefault(
            key, {"amount": 0.0, "records": 0, "projects": set(), "townships": set(), "villages": set()}
        )
        group["amount"] += flow.amount
        group["records"] += 1
        for field, value in (("projects", flow.project), ("townships", township), ("villages", village)):
            if value is not None:
                group[field].add(value)
    rows: list[FlowRollupRow] = []
    for key in sorted(groups, key=lambda k: tuple((v is None, str(v) if v is not None else "") for v in k)):
        group = groups[key]
        # The grouping keys are the caller's choice: a row holds those of ``by`` only.
        rows.append(
            cast(
                FlowRollupRow,
                {
                    **dict(zip(by, key, strict=False)),
                    "unit_of_measure": key[-1],
                    "amount": round(group["amount"], 4),
                    "records": group["records"],
                    "projects": len(group["projects"]),
                    "townships": len(group["townships"]),
                    "villages": len(group["villages"]),
                },
            )
        )
    return rows


def _western_end(G: nx.MultiDiGraph[str], flow: Flow) -> str | None:
    for end in (flow.to_id, flow.from_id):
        if end is not None and end in G and Side.HELPED in G.nodes[end]["sides"]:
            return end
    return None


def _self_or_ancestor(G: nx.MultiDiGraph[str], hierarchy: Hierarchy, unit_id: str | None, kind: Kind) -> str | None:
    if unit_id is None:
        return None
    if G.nodes[unit_id]["kind"] == kind:
        return unit_id
    return hierarchy.ancestor(unit_id, kind)


def _name(G: nx.MultiDiGraph[str], unit_id: str | None) -> str | None:
    name: str | None = G.nodes[unit_id]["name"] if unit_id is not None and unit_id in G else None
    return name


def _pairing_label(G: nx.MultiDiGraph[str], pairing: Pairing | None) -> str | None:
    if pairing is None:
        return None
    return f"{_name(G, pairing.helper_id)} → {_name(G, pairing.helped_id)}"
