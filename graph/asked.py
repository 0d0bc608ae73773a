"""What an answer counted: the target kinds, side, poverty, program, place, date and levels.

A share means nothing without its denominator ("0 of 2947 covered" — of what?), so each
coverage and gap answer carries the question it answered, with the place named as well as
identified, for titles and JSON alike.

Examples
--------
>>> import datetime as dt
>>> from pairnet.graph.model import Dataset, Unit
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(Unit(id="c", kind="county", name="沿河土家族自治县", side="helped", code="520627"),)))
>>> a = asked(G, TargetSet.of(kind="village", side="helped", within="c"), levels=["village"], as_of=dt.date(2018, 12, 31))
>>> a["kind"], a["place"], a["as_of"], a["levels"]
(['village'], {'id': 'c', 'code': '520627', 'name': '沿河土家族自治县'}, '2018-12-31', ['village'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import networkx as nx

from .model import Kind, Level, Poverty, level_set
from .results import Asked, Place
from .target_set import TargetSet
from .targets import iso

__all__ = ["asked", "place"]


def place(G: nx.MultiDiGraph[str], unit_id: str | None) -> Place | None:
    """The id, code and name of ``unit_id`` (None for none: the whole network)."""
    if unit_id is None:
        return None
    unit = G.nodes[unit_id]["unit"]
    return {"id": unit_id, "code": unit.code, "name": unit.name}


def asked(
    G: nx.MultiDiGraph[str],
    targets: TargetSet,
    *,
    levels: Iterable[Level | str] | None,
    as_of: dt.date | None,
) -> Asked:
    """The question ``targets``, ``levels`` and ``as_of`` put, in the model's order."""
    wanted = level_set(levels)
    return {
        "kind": None if targets.kind is None else [k.value for k in Kind if k in targets.kind],
        "side": None if targets.side is None else targets.side.value,
        "poverty": None if targets.poverty is None else [p.value for p in Poverty if p in targets.poverty],
        "stage": targets.stage,
        "program": targets.program,
        "place": place(G, targets.within),
        # Dates and levels as JSON has them (see graph.results on declared dates).
        "as_of": iso(as_of),
        "levels": None if wanted is None else [lv.value for lv in Level if lv in wanted],  # type: ignore[misc]
    }
