"""Small literal networks for the analysis tests: one county pair, written out by hand.

East: city 张家港 (E) with towns E1, E2 and their villages e11, e12, e21; an enterprise.
West: county 沿河 (W) with townships W1, W2 and a township W3 that exists only from 2021
(it takes over W2's village w22); villages w11, w12 (W1), w21, w22 (W2 in the register
before 2021, W3 after).
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from pairnet.graph.model import Dataset, Flow, Pairing, Unit
from pairnet.graph.network import build_network

D = dt.date


def unit(id, kind, name, side, parent=None, **fields) -> Unit:
    return Unit(id=id, kind=kind, name=name, side=side, parent_id=parent, **fields)


def pairing(id, helper, helped, level, start=None, end=None, **fields) -> Pairing:
    return Pairing(id=id, helper_id=helper, helped_id=helped, level=level, start=start, end=end, **fields)


def county_pair_units() -> list[Unit]:
    return [
        unit("E", "county", "张家港市", "helper", code="320582"),
        unit("E1", "township", "杨舍镇", "helper", "E"),
        unit("E2", "township", "塘桥镇", "helper", "E"),
        unit("e11", "village", "善港村", "helper", "E1"),
        unit("e12", "village", "东村", "helper", "E1"),
        unit("e21", "village", "南村", "helper", "E2"),
        unit("ent", "enterprise", "某国企", "helper", "E", ownership="state"),
        unit("W", "county", "沿河土家族自治县", "helped", code="520627"),
        unit("W1", "township", "中界镇", "helped", "W", code="520627110"),
        unit("W2", "township", "团结街道", "helped", "W", code="520627001", successor_ids=("W3",)),
        unit("W3", "township", "祐溪街道", "helped", "W", code="520627009", valid_from=D(2021, 1, 1)),
        unit("w11", "village", "高峰村", "helped", "W1", code="520627110201", poverty="deeply_poor"),
        unit("w12", "village", "甲村", "helped", "W1", code="520627110202", poverty="poor"),
        unit("w21", "village", "乙村", "helped", "W2", code="520627001201", poverty="deeply_poor"),
        unit("w22", "village", "丙村", "helped", "W3", code="520627009201", poverty="deeply_poor"),
    ]


def network(units=(), pairings=(), flows=()) -> nx.MultiDiGraph:
    return build_network(Dataset(units=tuple(units), pairings=tuple(pairings), flows=tuple(flows)))


def county_pair(pairings=(), flows=(), extra_units=()) -> nx.MultiDiGraph:
    return network([*county_pair_units(), *extra_units], pairings, flows)


def flow(id, kind, amount, **fields) -> Flow:
    return Flow(id=id, kind=kind, amount=amount, **fields)
