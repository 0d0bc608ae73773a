"""Recommendations: partners for the gaps, as a min-cost flow with helper capacities.

The candidates for a gap are the helpers (of the chosen kinds, on the helper side, valid
on ``as_of``) below an eastern *partner* of one of the gap's ancestors, from its parent
up to its county: the partners of its township first, then those of its county. A helper
below a partner of the gap's own parent is *aligned* (五位一体: the new pairing would sit
inside a pairing of the parents). Each helper takes at most its capacity (``capacity``,
or its entry in ``capacities``) of active pairings at the level, counting those it has.

The assignment maximises the number of gaps closed and, among those, minimises a cost
that prefers, in this order: deeply poor targets over others, aligned partners over
partners further up, helpers with less load (every extra pairing costs more than the one
before, which spreads the load), and lower helper ids. Gaps with the same candidates and
priority, and helpers with the same partners, load and room, are interchangeable: the
flow (:func:`networkx.network_simplex`) runs between such classes and one node per
partner, a network of a few nodes per township and town however many villages there are,
and the result is dealt out to the members in order (gaps by parents and id, helpers by
id, round by round). The same network always gives the same suggestions.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(
...     units=(Unit(id="E", kind="township", name="经开区", side="helper"),
...            Unit(id="W", kind="township", name="中界镇", side="helped"),
...            Unit(id="e1", kind="village", name="善港村", side="helper", parent_id="E"),
...            Unit(id="e2", kind="village", name="东村", side="helper", parent_id="E"),
...            Unit(id="w1", kind="village", name="高峰村", side="helped", parent_id="W", poverty="deeply_poor"),
...            Unit(id="w2", kind="village", name="某村", side="helped", parent_id="W", poverty="deeply_poor")),
...     pairings=(Pairing(id="t", helper_id="E", helped_id="W", level="township"),)))
>>> r = recommend(G, kind="village", poverty="deeply_poor", capacity=1)
>>> [(s["target"], s["helper"], s["aligned"]) for s in r["suggestions"]], r["open"]
([('高峰村', '善港村', True), ('某村', '东村', True)], 0)
>>> r = recommend(G, kind="village", poverty="deeply_poor", capacity=1, capacities={"e2": 0})
>>> r["closed"], r["unassigned"][0]["target"], r["statement"]
(1, '某村', '1 of 2 gaps can be closed; 1 stays open: 1 because every candidate helper is at capacity.')
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import cast

import networkx as nx
from typing_extensions import Unpack

from pairnet.i18n import N_, _, ngettext

from .model import Kind, Level, Poverty, Side, allowed_kinds, infer_level
from .results import RecommendationResult, Suggestion, Unassigned
from .targets import Hierarchy, TargetKeywords, TargetSet, active_edges, iso, level_set, select_targets, target_set

__all__ = ["recommend"]

#: A node of the flow problem: ("gaps", class), ("pool", partner), ("helpers", class), the sink.
_FlowNode = tuple[str | int, ...]
_SINK: _FlowNode = ("sink",)
# The ``reason`` of a gap left open: stable English (tools compare it), translated where a
# person reads it (pairnet.service.wording).
NO_CANDIDATE = N_("no candidate helper: no ancestor up to its county has a partner with helpers of these kinds")
AT_CAPACITY = N_("every candidate helper is at capacity")


def recommend(
    G: nx.MultiDiGraph[str],
    targets: TargetSet | None = None,
    *,
    level: Level | str | None = None,
    levels: Iterable[Level | str] | None = None,
    helper_kinds: Iterable[Kind | str] | None = None,
    helpers_within: str | None = None,
    capacity: int = 2,
    capacities: Mapping[str, int] | None = None,
    as_of: dt.date | None = None,
    **selection: Unpack[TargetKeywords],
) -> RecommendationResult:
    """Suggested partners for the helped units of a target set that have no active pairing.

    Parameters
    ----------
    G : the network.
    targets : the target set, or its fields as keywords (see
        :func:`graph.targets.select_targets`): one kind, always on the helped side.
    level : the level of the suggested pairings; by default the level that pairs two units
        of ``kind`` (village → village, township → township, school → school).
    levels : the levels whose pairings cover a target; None counts every level.
    helper_kinds : the kinds a suggested helper may have; by default ``kind`` when the level
        allows it, else every helper kind the level allows.
    helpers_within : a last-resort pool: helpers below this unit (e.g. the eastern city),
        used after every partner's pool.
    capacity, capacities : active pairings at ``level`` a helper may carry: the default, and
        overrides by helper id.
    as_of : the date; None ignores dates.

    Returns
    -------
    dict with ``as_of``, ``level``, ``gaps``, ``closed``, ``open``, ``statement`` (one
    sentence), ``suggestions`` (rows: the target, the helper with its township and parents,
    ``aligned``, ``via`` — the
    partner whose pool the helper came from — ``helper_load``, ``capacity``,
    ``capacity_left`` after all suggestions, and ``reasons``) and ``unassigned`` (rows: the
    target and ``reason``), both sorted by the target's parents and id.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(Unit(id="w", kind="village", name="某村", side="helped"),)))
    >>> r = recommend(G, kind="village")
    >>> r["statement"], r["unassigned"][0]["reason"] == NO_CANDIDATE
    ('0 of 1 gaps can be closed; 1 stays open: 1 for want of a candidate helper.', True)
    """
    chosen = target_set(targets, selection)
    if chosen.kind is not None and len(chosen.kind) > 1:
        raise ValueError(_("recommendations take one target kind"))
    kind = next(iter(chosen.kind)) if chosen.kind else None
    level = _level(kind, level)
    helper_kinds = _helper_kinds(kind, level, helper_kinds)
    capacities = dict(capacities or {})
    hierarchy = Hierarchy(G, as_of)
    active = list(active_edges(G, as_of=as_of))
    wanted = level_set(levels)
    covered = {u for h, w, p in active if wanted is None or p.level in wanted for u in (h, w)}
    helped = TargetSet(chosen.kind, Side.HELPED, chosen.poverty, chosen.within, chosen.stage)
    gaps = sorted(
        (t for t in select_targets(G, helped, as_of=as_of) if t not in covered), key=lambda t: (hierarchy.path(t), t)
    )
    partners: dict[str, list[str]] = defaultdict(list)
    load: dict[str, int] = defaultdict(int)
    for helper, helped_unit, pairing in active:
        partners[helped_unit].append(helper)
        if pairing.level == level:
            load[helper] += 1

    pool_members: dict[str, list[str]] = {}

    def pool(root: str) -> list[str]:
        if root not in pool_members:
            below = [root, *hierarchy.descendants(root)]
            pool_members[root] = sorted(
                n
                for n in below
                if G.nodes[n]["kind"] in helper_kinds and Side.HELPER in G.nodes[n]["sides"] and hierarchy.valid(n)
            )
        return pool_members[root]

    # gap → {partner: (steps up, the ancestor the partner is paired with)}
    routes: dict[str, dict[str, tuple[int, str | None]]] = {}
    for gap in gaps:
        found: dict[str, tuple[int, str | None]] = {}
        chain = hierarchy.chain(gap)
        for steps, ancestor in enumerate(_up_to_county(G, chain)):
            for partner in sorted(set(partners.get(ancestor, ()))):
                if partner not in found and pool(partner):
                    found[partner] = (steps, ancestor)
        if helpers_within is not None and helpers_within not in found and pool(helpers_within):
            found[helpers_within] = (len(chain) + 1, None)
        routes[gap] = found

    used_pools = {partner for found in routes.values() for partner in found}
    helpers = sorted({h for partner in used_pools for h in pool(partner)})
    limit = {h: max(0, capacities.get(h, capacity) - load[h]) for h in helpers}
    assignment = _solve(gaps, routes, pool, helpers, limit, load, poverty_of=lambda g: G.nodes[g]["unit"].poverty)

    given: dict[str, int] = defaultdict(int)
    for helper, _partner in assignment.values():
        given[helper] += 1
    suggestions: list[Suggestion] = []
    unassigned: list[Unassigned] = []
    for gap in gaps:
        described = hierarchy.describe(gap)
        target: Unassigned = {
            "target": described["name"],
            "target_id": described["id"],
            "target_code": described["code"],
            "target_kind": described["kind"],
            "township": described["township"],
            "county": described["county"],
            "parents": described["parents"],
        }
        if gap not in assignment:
            reason = AT_CAPACITY if routes[gap] else NO_CANDIDATE
            unassigned.append({**target, "reason": reason})
            continue
        helper, partner = assignment[gap]
        steps, partner_of = routes[gap][partner]
        cap = capacities.get(helper, capacity)
        row: Suggestion = {
            **target,
            "helper": G.nodes[helper]["name"],
            "helper_id": helper,
            "helper_township": _name(G, hierarchy.ancestor(helper, Kind.TOWNSHIP)),
            "helper_parents": hierarchy.path(helper),
            "aligned": steps == 0,
            "via": G.nodes[partner]["name"],
            "helper_load": load[helper],
            "capacity": cap,
            "capacity_left": cap - load[helper] - given[helper],
            "reasons": "",
        }
        row["reasons"] = _reasons(G, row, partner_of)
        suggestions.append(row)
    return {
        "as_of": iso(as_of),
        "level": level.value,
        "gaps": len(gaps),
        "closed": len(suggestions),
        "open": len(unassigned),
        "statement": _statement(len(gaps), unassigned),
        "suggestions": suggestions,
        "unassigned": unassigned,
    }


def _level(kind: Kind | None, level: Level | str | None) -> Level:
    if level is not None:
        return Level(level)
    inferred = infer_level(kind, kind) if kind is not None else None
    if inferred is None:
        raise ValueError(_("give the level of the suggested pairings (it cannot be inferred from the target kind)"))
    return inferred


def _helper_kinds(kind: Kind | None, level: Level, helper_kinds: Iterable[Kind | str] | None) -> frozenset[Kind]:
    if helper_kinds is not None:
        return frozenset(Kind(k) for k in ([helper_kinds] if isinstance(helper_kinds, str) else helper_kinds))
    allowed = allowed_kinds(level)[0]
    if kind is not None and Kind(kind) in allowed:
        return frozenset({Kind(kind)})
    return allowed


def _up_to_county(G: nx.MultiDiGraph[str], chain: list[str]) -> list[str]:
    """The ancestors from the parent up to (and with) the nearest county."""
    for index, node in enumerate(chain):
        if G.nodes[node]["kind"] == Kind.COUNTY:
            return chain[: index + 1]
    return chain


def _solve(
    gaps: list[str],
    routes: dict[str, dict[str, tuple[int, str | None]]],
    pool: Callable[[str], list[str]],
    helpers: list[str],
    limit: dict[str, int],
    load: dict[str, int],
    *,
    poverty_of: Callable[[str], Poverty | None],
) -> dict[str, tuple[str, str]]:
    """gap → (helper, partner): a maximum assignment of least cost (see the module docstring).

    Gaps with the same routes and priority, and helpers with the same pools, load and room,
    are interchangeable, so the flow runs between such classes (a few per township and
    town, whatever their size) and is then dealt out to the members in id order.
    """
    gap_classes: dict[tuple[tuple[tuple[int, str], ...], bool], list[str]] = defaultdict(list)
    for gap in gaps:
        key = (
            tuple(sorted((steps, partner) for partner, (steps, _) in routes[gap].items())),
            poverty_of(gap) == Poverty.DEEPLY_POOR,
        )
        gap_classes[key].append(gap)
    pools_of: dict[str, list[str]] = defaultdict(list)
    for partner in sorted({p for r in routes.values() for p in r}):
        for helper in pool(partner):
            pools_of[helper].append(partner)
    helper_classes: dict[tuple[tuple[str, ...], int, int], list[str]] = defaultdict(list)
    for helper in helpers:
        if limit[helper]:
            helper_classes[(tuple(pools_of[helper]), load[helper], limit[helper])].append(helper)
    per_load = len(helper_classes) + 1
    per_step = per_load * (max((load[h] + limit[h] for h in helpers), default=0) + 2)
    top_step = max((s for r in routes.values() for s, _ in r.values()), default=0)
    # Leaving a gap open must cost more than any rearrangement could save (see _statement).
    open_cost = (len(gap_classes) + 2 * len(helper_classes) + len(pools_of) + 2) * per_step * (top_step + 2)

    F: nx.MultiDiGraph[_FlowNode] = nx.MultiDiGraph()
    F.add_node(_SINK, demand=len(gaps))
    for index, ((gap_routes, deep), members) in enumerate(gap_classes.items()):
        node = ("gaps", index)
        F.add_node(node, demand=-len(members))
        F.add_edge(node, _SINK, capacity=len(members), weight=open_cost * (2 if deep else 1))
        for steps, partner in gap_routes:
            F.add_edge(node, ("pool", partner), capacity=len(members), weight=steps * per_step)
    for rank, ((pools, current, room), members) in enumerate(helper_classes.items()):
        node = ("helpers", rank)
        for partner in pools:
            F.add_edge(("pool", partner), node, capacity=room * len(members), weight=0)
        # One arc per extra pairing, each dearer than the last: convex cost, even load.
        for extra in range(1, room + 1):
            F.add_edge(node, _SINK, capacity=len(members), weight=(current + extra) * per_load + rank)
    flow = _min_cost_flow(F)

    # Deal out: each helper class's pairings go round by round, lowest ids first.
    slots: dict[int, list[str]] = {}
    for rank, members in enumerate(helper_classes.values()):
        node = ("helpers", rank)
        taken = sum(flow[node][_SINK].values())
        slots[rank] = [members[i % len(members)] for i in range(taken)]
    takes: dict[str, list[tuple[int, int]]] = defaultdict(list)  # pool → [(helper class, amount)]
    for rank, (pools, _load, _limit) in enumerate(helper_classes):
        for partner in pools:
            amount = sum(flow[("pool", partner)][("helpers", rank)].values())
            if amount:
                takes[partner].append((rank, amount))
    assignment: dict[str, tuple[str, str]] = {}
    for index, ((gap_routes, _aligned), members) in enumerate(gap_classes.items()):
        waiting = iter(members)
        for _steps, partner in gap_routes:
            for _unit in range(sum(flow[("gaps", index)][("pool", partner)].values())):
                rank, amount = takes[partner][0]
                assignment[next(waiting)] = (slots[rank].pop(0), partner)
                takes[partner][0] = (rank, amount - 1)
                if amount == 1:
                    takes[partner].pop(0)
    return assignment


def _min_cost_flow(F: nx.MultiDiGraph[_FlowNode]) -> dict[_FlowNode, dict[_FlowNode, dict[str, int]]]:
    """The flow of least cost, solved apart for each part that only meets the others at the
    sink (one eastern partner's pools and the gaps around them): many small problems are
    much faster than one large one."""
    flow: dict[_FlowNode, dict[_FlowNode, dict[str, int]]] = {node: defaultdict(dict) for node in F}
    # The stubs type a view as a plain Graph; it is a view of F, a MultiDiGraph.
    rest = cast("nx.MultiDiGraph[_FlowNode]", nx.restricted_view(F, [_SINK], []))
    for part in sorted(nx.weakly_connected_components(rest), key=min):
        H: nx.MultiDiGraph[_FlowNode] = nx.MultiDiGraph()
        H.add_nodes_from((node, F.nodes[node]) for node in part)
        H.add_node(_SINK, demand=-sum(F.nodes[node].get("demand", 0) for node in part))
        for tail, head, key, data in F.out_edges(part, keys=True, data=True):
            H.add_edge(tail, head, key, **data)
        for node, targets in nx.network_simplex(H)[1].items():
            if node != _SINK:
                flow[node].update(targets)
    return flow


def _name(G: nx.MultiDiGraph[str], unit_id: str | None) -> str | None:
    name: str | None = None if unit_id is None else G.nodes[unit_id]["name"]
    return name


def _reasons(G: nx.MultiDiGraph[str], row: Suggestion, ancestor: str | None) -> str:
    where = (
        _("below {via}, the partner of {ancestor}").format(via=row["via"], ancestor=G.nodes[ancestor]["name"])
        if ancestor is not None
        else _("below {via} (the last-resort pool)").format(via=row["via"])
    )
    aligned = _("aligned with the parents' pairing") if row["aligned"] else _("not aligned: its parents are not paired")
    return _("{where}; {aligned}; load {load} of capacity {capacity}, {left} left after").format(
        where=where, aligned=aligned, load=row["helper_load"], capacity=row["capacity"], left=row["capacity_left"]
    )


def _statement(gaps: int, unassigned: list[Unassigned]) -> str:
    if not unassigned:
        if not gaps:
            return _("There are no gaps to close.")
        return ngettext("The {n} gap can be closed.", "All {n} gaps can be closed.", gaps).format(n=gaps)
    closed = gaps - len(unassigned)
    no_candidate = sum(1 for u in unassigned if u["reason"] == NO_CANDIDATE)
    full = len(unassigned) - no_candidate
    why = []
    if no_candidate:
        why.append(_("{n} for want of a candidate helper").format(n=no_candidate))
    if full:
        why.append(_("{n} because every candidate helper is at capacity").format(n=full))
    return ngettext(
        "{closed} of {gaps} gaps can be closed; {n} stays open: {why}.",
        "{closed} of {gaps} gaps can be closed; {n} stay open: {why}.",
        len(unassigned),
    ).format(closed=closed, gaps=gaps, n=len(unassigned), why=_(" and ").join(why))
