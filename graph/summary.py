"""What a network holds, counted: units per kind and side, pairings per level and mode,
flows per kind with their sums per unit of measure.

This is the first thing a planner sees after a load; the rows are ready for a table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from enum import Enum

import networkx as nx

from .model import FlowKind, Kind, Level, Mode, Side
from .network import active_pairings, flows, valid_units
from .results import SummaryFlowRow, SummaryPairingRow, SummaryResult, SummaryUnitRow

__all__ = ["summary"]


def _order(enum: type[Enum], value: Enum | None) -> int:
    """Enum members sort in the order the model declares them; None sorts last."""
    return len(enum) if value is None else list(enum).index(value)


def summary(G: nx.MultiDiGraph[str], *, as_of: dt.date | None = None) -> SummaryResult:
    """Counts of the units, pairings and flows of ``G``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A network from :func:`graph.network.build_network`.
    as_of : datetime.date, optional
        Count only units valid on this day, pairings active on it (with both units valid)
        and flows of its year or earlier (flows without a year always count). ``None``
        counts everything.

    Returns
    -------
    dict
        ``units``: rows ``{kind, side, count}``; ``pairings``: rows ``{level, mode, count}``
        (``mode`` is None for pairings without one); ``flows``: rows ``{kind,
        unit_of_measure, count, amount}``; ``totals``: ``{units, pairings, flows}``.
        Rows follow the order of the model's enums.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing, Flow
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(
    ...     units=(Unit(id="e", kind="township", name="杨舍镇", side="helper"),
    ...            Unit(id="w", kind="township", name="中界镇", side="helped"),
    ...            Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="w")),
    ...     pairings=(Pairing(id="p", helper_id="e", helped_id="w", level="township"),),
    ...     flows=(Flow(id="f1", kind="funds", amount=100, unit_of_measure="万元", year=2018),
    ...            Flow(id="f2", kind="funds", amount=50.5, unit_of_measure="万元", year=2019))))
    >>> result = summary(G)
    >>> result["units"]
    [{'kind': 'township', 'side': 'helper', 'count': 1}, {'kind': 'township', 'side': 'helped', 'count': 1}, {'kind': 'village', 'side': 'helped', 'count': 1}]
    >>> result["pairings"]
    [{'level': 'township', 'mode': None, 'count': 1}]
    >>> result["flows"]
    [{'kind': 'funds', 'unit_of_measure': '万元', 'count': 2, 'amount': 150.5}]
    >>> summary(G, as_of=dt.date(2018, 6, 30))["flows"][0]["amount"]
    100.0
    >>> result["totals"]
    {'units': 3, 'pairings': 1, 'flows': 2}
    """
    units = Counter((G.nodes[n]["kind"], G.nodes[n]["side"]) for n in valid_units(G, as_of))
    pairings = Counter((p.level, p.mode) for p in active_pairings(G, as_of=as_of))
    flow_counts: Counter[tuple[FlowKind, str | None]] = Counter()
    flow_sums: dict[tuple[FlowKind, str | None], float] = defaultdict(float)
    counted_flows = 0
    for flow in flows(G):
        if as_of is not None and flow.year is not None and flow.year > as_of.year:
            continue
        key = (flow.kind, flow.unit_of_measure)
        flow_counts[key] += 1
        flow_sums[key] += flow.amount
        counted_flows += 1

    unit_rows: list[SummaryUnitRow] = [
        {"kind": Kind(kind).value, "side": None if side is None else Side(side).value, "count": count}
        for (kind, side), count in sorted(
            units.items(), key=lambda kv: (_order(Kind, kv[0][0]), _order(Side, kv[0][1]))
        )
    ]
    pairing_rows: list[SummaryPairingRow] = [
        {"level": Level(level).value, "mode": None if mode is None else Mode(mode).value, "count": count}
        for (level, mode), count in sorted(
            pairings.items(), key=lambda kv: (_order(Level, kv[0][0]), _order(Mode, kv[0][1]))
        )
    ]
    flow_rows: list[SummaryFlowRow] = [
        {
            "kind": FlowKind(kind).value,
            "unit_of_measure": measure,
            "count": flow_counts[(kind, measure)],
            "amount": flow_sums[(kind, measure)],
        }
        for kind, measure in sorted(flow_counts, key=lambda key: (_order(FlowKind, key[0]), key[1] or ""))
    ]
    return {
        "units": unit_rows,
        "pairings": pairing_rows,
        "flows": flow_rows,
        "totals": {"units": sum(units.values()), "pairings": sum(pairings.values()), "flows": counted_flows},
    }
