"""Gaps: the units of a target set with no active pairing, and why.

Each gap comes with its code, its parents on ``as_of`` (township, county and the whole
chain) and a ``status`` that says what a planner needs to know first:

``never_paired``       no pairing at the chosen levels, ever
``ended``              it had pairings, and the last ended on ``last_end``
``not_yet_started``    its pairings start after ``as_of`` (on ``next_start``)
``partner_not_valid``  a pairing is active by its dates, but the partner unit is not
                       valid on ``as_of`` (dissolved or not yet created)
``through_descendant`` not paired itself, but units below it are (``through`` names
                       them: a province whose prefectures are paired); still a gap

The statuses are stable identifiers (for files, the API and option values); the words a
person reads are the front doors' business.

The work is one pass over the active pairings, then one look at the own pairings of each
target they leave uncovered: linear in targets plus pairings (see :mod:`graph.index`).

Examples
--------
>>> import datetime as dt
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(
...     units=(Unit(id="t", kind="township", name="中界镇", side="helped"),
...            Unit(id="v1", kind="village", name="高峰村", side="helped", parent_id="t"),
...            Unit(id="v2", kind="village", name="某村", side="helped", parent_id="t"),
...            Unit(id="e", kind="village", name="善港村", side="helper")),
...     pairings=(Pairing(id="p", helper_id="e", helped_id="v1", level="village",
...                       end=dt.date(2017, 12, 31)),)))
>>> [(g["name"], g["status"], g["last_end"]) for g in gaps(G, kind="village", side="helped", as_of=dt.date(2018, 12, 31), sort="id")]
[('高峰村', 'ended', '2017-12-31'), ('某村', 'never_paired', None)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

import networkx as nx
from networkx.classes.reportviews import NodeView
from typing_extensions import TypedDict, Unpack

from pairnet.i18n import _

from .columnar import NO_PARENT
from .counted import Counted, counted
from .index import Edge, network_index
from .model import Kind, Level, Poverty, Unit
from .reach import reached_through
from .results import GapRow
from .targets import Hierarchy, TargetKeywords, TargetSet, iso, level_set, select_targets, target_set

__all__ = ["GAP_STATUSES", "SORT_KEYS", "gaps"]

# The unit's columns a gap row shows, whose values its ``assumed`` names when they are assumed.
_ASSUMABLE_IN_ROW = ("code", "name", "kind", "parent", "poverty")
GAP_STATUSES = ("never_paired", "ended", "not_yet_started", "partner_not_valid", "through_descendant")
SORT_KEYS = ("parents", "name", "code", "id", "status")
# The values rows carry for a unit's kind and poverty, looked up rather than read off the enums.
_KIND_VALUES = {kind: kind.value for kind in Kind}
_POVERTY_VALUES: dict[Poverty | None, str | None] = {None: None, **{p: p.value for p in Poverty}}


class _Gap(TypedDict):
    """What :func:`_status` adds to a gap's row."""

    status: str
    last_end: str | None
    next_start: str | None
    pairings: int


def _status(
    edges: list[Edge], target: str, nodes: NodeView[str], wanted: frozenset[Level] | None, as_of: dt.date | None
) -> _Gap | None:
    """None if ``target`` is covered, else its status, ``last_end``, ``next_start`` and ``pairings``;
    ``edges`` are the pairings ``target`` takes part in."""
    last_end: dt.date | None = None
    next_start: dt.date | None = None
    partner_invalid = False
    seen = 0
    for helper, helped, pairing in edges:
        if wanted is not None and pairing.level not in wanted:
            continue
        seen += 1
        if pairing.active_on(as_of):
            partner = helper if helped == target else helped
            if as_of is None or nodes[partner]["unit"].valid_on(as_of):
                return None
            partner_invalid = True
        elif pairing.end is not None and as_of is not None and pairing.end < as_of:
            last_end = max(last_end or pairing.end, pairing.end)
        elif pairing.start is not None:
            next_start = min(next_start or pairing.start, pairing.start)
    if last_end is not None:
        status = "ended"
    elif partner_invalid:
        status = "partner_not_valid"
    elif next_start is not None:
        status = "not_yet_started"
    else:
        status = "never_paired"
    return {"status": status, "last_end": iso(last_end), "next_start": iso(next_start), "pairings": seen}


def _walked(
    G: nx.MultiDiGraph[str],
    question: TargetSet,
    wanted: frozenset[Level] | None,
    as_of: dt.date | None,
    statuses: set[str] | None,
) -> list[GapRow]:
    """The gap rows, walking the hierarchy target by target."""
    hierarchy = Hierarchy(G, as_of)
    index = network_index(G)
    program = question.program
    # A target with an active pairing (of the program, if one is asked about) is no gap:
    # one set lookup, instead of a look at its pairings, settles it for most targets.
    covered = {
        unit
        for helper, helped, pairing in index.active(as_of=as_of, levels=wanted)
        if program is None or pairing.program == program
        for unit in (helper, helped)
    }
    incident, nodes = index.incident, index.nodes
    through = reached_through(hierarchy, covered)
    rows: list[GapRow] = []
    for target in select_targets(G, question, as_of=as_of):
        if target in covered:
            continue
        own = incident.get(target, [])
        if program is not None:
            own = [edge for edge in own if edge[2].program == program]
        found = _status(own, target, nodes, wanted, as_of)
        if found is None:
            continue
        below = through.get(target)
        if below:
            found["status"] = "through_descendant"
        if statuses is not None and found["status"] not in statuses:
            continue
        unit: Unit = nodes[target]["unit"]
        rows.append(
            {
                **hierarchy.describe(target),
                "poverty": unit.poverty.value if unit.poverty else None,
                **found,
                "through": "; ".join(nodes[u]["name"] for u in below) if below else None,
                "assumed": [column for column in unit.assumed if column in _ASSUMABLE_IN_ROW],
            }
        )
    return rows


def _from_columns(
    G: nx.MultiDiGraph[str],
    found: Counted,
    wanted: frozenset[Level] | None,
    as_of: dt.date | None,
    statuses: set[str] | None,
) -> list[GapRow]:
    """The gap rows of :func:`_walked`, from the network's columns: the parents, the
    covered units below and the pairings of every target not covered, found at once."""
    uncovered = found.uncovered()
    columns, dated = found.columns, found.dated
    own = columns.edges_of(uncovered)
    through = dated.reached(found.covered, uncovered[found.through[uncovered]])
    townships = dated.ancestors(uncovered, Kind.TOWNSHIP).tolist()
    counties = dated.ancestors(uncovered, Kind.COUNTY).tolist()
    ids, data, units, nodes = columns.ids, columns.data, columns.units, G.nodes
    # Most gaps have no pairing at all: the same status, found once.
    unpaired = _status([], "", nodes, wanted, as_of)
    assert unpaired is not None
    rows: list[GapRow] = []
    for unit_at, township, county in zip(uncovered.tolist(), townships, counties, strict=True):
        target = ids[unit_at]
        edges = own.get(unit_at)
        status = dict(unpaired) if edges is None else _status(edges, target, nodes, wanted, as_of)
        if status is None:
            continue
        below = through.get(unit_at)
        if below:
            status["status"] = "through_descendant"
        if statuses is not None and status["status"] not in statuses:
            continue
        unit = units[unit_at]
        rows.append(
            {
                "id": target,
                "code": unit.code,
                "name": unit.name,
                "kind": _KIND_VALUES[unit.kind],
                "township": None if township == NO_PARENT else data[township]["name"],
                "county": None if county == NO_PARENT else data[county]["name"],
                "parents": dated.path(unit_at),
                "poverty": _POVERTY_VALUES[unit.poverty],
                **cast(_Gap, status),
                "through": "; ".join(nodes[u]["name"] for u in below) if below else None,
                "assumed": [column for column in unit.assumed if column in _ASSUMABLE_IN_ROW],
            }
        )
    return rows


def gaps(
    G: nx.MultiDiGraph[str],
    targets: TargetSet | None = None,
    *,
    levels: Iterable[Level | str] | None = None,
    as_of: dt.date | None = None,
    status: str | Iterable[str] | None = None,
    sort: str = "parents",
    **selection: Unpack[TargetKeywords],
) -> list[GapRow]:
    """The units of a target set with no active pairing on ``as_of``.

    Parameters
    ----------
    G : the network.
    targets : the target set, or its fields as keywords (see :func:`graph.targets.select_targets`).
    levels : pairing levels that count; None counts every level.
    as_of : the date; None ignores dates.
    status : keep only gaps with this status (or these statuses), from :data:`GAP_STATUSES`.
    sort : ``"parents"`` (by parent chain, then name), ``"name"``, ``"code"``, ``"id"`` or
        ``"status"``; ties are broken by id.

    Returns
    -------
    list of rows: ``id``, ``code``, ``name``, ``kind``, ``township``, ``county``, ``parents``,
    ``poverty``, ``status``, ``through`` (the covered units below it, for
    ``through_descendant``), ``last_end``, ``next_start`` (ISO dates or None), ``pairings``
    (how many pairings at these levels it has at any time) and ``assumed`` (which of the
    unit's values shown are assumed rather than sourced, e.g. ``["poverty"]``).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="b", kind="township", name="乙镇", side="helped", code="520627002"),
    ...     Unit(id="a", kind="township", name="甲镇", side="helped", code="520627001"))))
    >>> [g["code"] for g in gaps(G, kind="township", sort="code")]
    ['520627001', '520627002']
    >>> gaps(G, kind="township", status="ended")
    []
    """
    if sort not in SORT_KEYS:
        raise ValueError(
            _("sort must be one of {keys}, not {value}").format(keys=", ".join(SORT_KEYS), value=repr(sort))
        )
    statuses = {status} if isinstance(status, str) else set(status) if status is not None else None
    if statuses is not None and not statuses <= set(GAP_STATUSES):
        wrong = sorted(statuses - set(GAP_STATUSES))
        raise ValueError(
            _("status must be among {statuses}, not {value}").format(statuses=", ".join(GAP_STATUSES), value=wrong)
        )
    wanted = level_set(levels)
    question = target_set(targets, selection)
    # A whole-network question is counted on the network's columns; a place, a program or
    # a hierarchy with a loop is walked target by target (both give the same rows).
    found = counted(G, question, as_of=as_of, levels=wanted)
    if found is None:
        rows = _walked(G, question, wanted, as_of, statuses)
    else:
        rows = _from_columns(G, found, wanted, as_of, statuses)
    order = {
        "parents": lambda r: (r["parents"], r["name"], r["id"]),
        "name": lambda r: (r["name"], r["id"]),
        "code": lambda r: (r["code"] is None, r["code"] or "", r["id"]),
        "id": lambda r: r["id"],
        "status": lambda r: (GAP_STATUSES.index(r["status"]), r["parents"], r["name"], r["id"]),
    }[sort]
    rows.sort(key=order)
    return rows
