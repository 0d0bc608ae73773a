"""Target sets, and the hierarchy and pairings as they stand on a date.

Every analysis starts here: :func:`select_targets` picks the units a question is about
(the deeply poor villages of a county, the townships of a county, the schools...), and
:class:`Hierarchy` answers "who is the parent of this unit on that date?".

Boundaries change: a unit whose registered parent is not valid on ``as_of`` (the villages
of 祐溪街道, created in 2021, looked at in 2018) is placed under the *predecessor* of that
parent: the unit valid on ``as_of`` that lists the parent among its ``successor_ids``
(the first by id if several do). Parent chains, per-parent breakdowns and ``within`` all
use this placement, so a 2018 report groups those villages under their 2018 township.

Examples
--------
>>> import datetime as dt
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(
...     Unit(id="c", kind="county", name="沿河", side="helped"),
...     Unit(id="old", kind="township", name="团结街道", side="helped", parent_id="c",
...          successor_ids=("new",)),
...     Unit(id="new", kind="township", name="祐溪街道", side="helped", parent_id="c",
...          valid_from=dt.date(2021, 1, 1)),
...     Unit(id="v", kind="village", name="某村", side="helped", parent_id="new",
...          poverty="deeply_poor"))))
>>> Hierarchy(G, dt.date(2018, 12, 31)).parent("v"), Hierarchy(G, dt.date(2023, 1, 1)).parent("v")
('old', 'new')
>>> select_targets(G, kind="village", within="old", as_of=dt.date(2018, 12, 31))
['v']
>>> select_targets(G, kind="village", within="old", as_of=dt.date(2023, 1, 1))
[]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Literal

import networkx as nx
from typing_extensions import Unpack

from pairnet.i18n import _

from .errors import InvalidInput, NotFound, Problem
from .index import Edge, NetworkIndex, network_index
from .model import Kind, Level, Unit, level_set
from .results import UnitRow
from .roles import NO_SIDE
from .target_set import PLANNED_TARGETS, TargetKeywords, TargetSet, expects_partner, target_set

__all__ = [
    "PLANNED_TARGETS",
    "Hierarchy",
    "TargetKeywords",
    "TargetSet",
    "active_edges",
    "expects_partner",
    "iso",
    "level_set",
    "paired_counts",
    "resolve_unit",
    "select_targets",
    "target_set",
]


def iso(day: dt.date | None) -> str | None:
    """A date as results carry it: an ISO string, or None.

    >>> iso(dt.date(2018, 12, 31)), iso(None)
    ('2018-12-31', None)
    """
    return None if day is None else day.isoformat()


#: Memos of one network and date: predecessors; parents; chains; ancestors by kind; paths.
_Memos = tuple[
    dict[str, str],
    dict[str, str | None],
    dict[str, "tuple[str, ...] | Literal[_Memo.IN_PROGRESS]"],
    dict[Kind, dict[str, str | None]],
    dict[str, str],
]


class Hierarchy:
    """The parent of each unit as of a date (see the module docstring on boundary changes).

    The first one of a network and date costs a pass over the units that have successors
    (see :mod:`graph.index`); every one of that network and date then shares the parents and
    chains found, so each unit's are looked up once.
    """

    def __init__(self, G: nx.MultiDiGraph[str], as_of: dt.date | None = None):
        self.G = G
        self.as_of = as_of
        index = network_index(G)
        self._nodes = G.nodes
        # Every Hierarchy of a network and date shares what was found: the predecessors
        # and each unit's parent and chain, so repeated questions cost a dictionary lookup.
        self._invalid = index.invalid(as_of)
        self._children = G.graph["children"]
        self._predecessor, self._parents, self._chains, self._ancestors, self._paths = index.cached(
            ("hierarchy", as_of), lambda: _dated(index, as_of)
        )

    def unit(self, unit_id: str) -> Unit:
        record: Unit = self._nodes[unit_id]["unit"]
        return record

    def valid(self, unit_id: str) -> bool:
        return (
            unit_id not in self._invalid
            if unit_id in self._nodes
            else self._nodes[unit_id]["unit"].valid_on(self.as_of)
        )

    def parent(self, unit_id: str) -> str | None:
        """The parent of ``unit_id`` on the date, or None at a root."""
        known: str | None | Literal[_Memo.UNKNOWN] = self._parents.get(unit_id, _Memo.UNKNOWN)
        if known is not _Memo.UNKNOWN:
            return known
        parent: str | None = self._nodes[unit_id]["parent_id"]
        if parent is not None and parent in self._nodes and parent in self._invalid:
            parent = self._find_parent(parent)
        elif parent not in self._nodes:
            parent = None
        self._parents[unit_id] = parent
        return parent

    def _find_parent(self, parent: str) -> str | None:
        """The parent on the date of a unit whose registered ``parent`` is not valid then."""
        nodes = self._nodes
        seen = set()
        while parent is not None and parent in nodes and parent in self._invalid and parent not in seen:
            seen.add(parent)
            if parent in self._predecessor:
                return self._predecessor[parent]
            # No predecessor: skip the invalid level rather than lose the unit.
            parent = nodes[parent]["parent_id"]
        return parent if parent in nodes else None

    def chain(self, unit_id: str) -> list[str]:
        """The ancestors of ``unit_id`` on the date, nearest first."""
        return list(self._chain(unit_id))

    def _chain(self, unit_id: str) -> tuple[str, ...]:
        known = self._chains.get(unit_id, _Memo.UNKNOWN)
        if known is not _Memo.UNKNOWN and known is not _Memo.IN_PROGRESS:
            return known
        parent = self.parent(unit_id)
        if parent is None:
            chain: tuple[str, ...] = ()
        elif known is _Memo.IN_PROGRESS:
            # A loop among the parents: walk it step by step, as far as it goes.
            walked: list[str] = []
            while parent is not None and parent not in walked:
                walked.append(parent)
                parent = self.parent(parent)
            return tuple(walked)
        elif unit_id in self._children:
            # Only units with children are asked for again (as parents): keeping the chain
            # of every leaf would cost memory and collector time for nothing. A leaf is in
            # no loop, so only these need the marker.
            self._chains[unit_id] = _Memo.IN_PROGRESS
            chain = self._chains[unit_id] = (parent, *self._above(parent))
        else:
            chain = (parent, *self._above(parent))
        return chain

    def _above(self, parent: str) -> tuple[str, ...]:
        """The chain of ``parent``, cut where it comes back to ``parent`` (a walk from one
        of its children stops there)."""
        above = self._chain(parent)
        return above[: above.index(parent)] if parent in above else above

    def ancestor(self, unit_id: str, kind: Kind | str) -> str | None:
        """The nearest ancestor of ``kind``, or None."""
        if kind.__class__ is not Kind:
            kind = Kind(kind)
        parent = self.parent(unit_id)
        if parent is None:
            return None
        nodes = self._nodes
        if nodes[parent]["kind"] == kind:
            return parent
        # Above the parent it is the parent's own nearest ancestor of the kind, shared by
        # all of the parent's children.
        known = self._ancestors.setdefault(kind, {})
        try:
            return known[parent]
        except KeyError:
            found = known[parent] = next((n for n in self._above(parent) if nodes[n]["kind"] == kind), None)
            return found

    def path(self, unit_id: str) -> str:
        """The names of the ancestors, root first, joined by `` / ``."""
        parent = self.parent(unit_id)
        if parent is None:
            return ""
        try:
            return self._paths[parent]
        except KeyError:
            nodes = self._nodes
            found = self._paths[parent] = " / ".join(nodes[n]["name"] for n in reversed((parent, *self._above(parent))))
            return found

    def describe(self, unit_id: str) -> UnitRow:
        """The columns a row about a unit starts with."""
        unit = self.unit(unit_id)
        township = self.ancestor(unit_id, Kind.TOWNSHIP)
        county = self.ancestor(unit_id, Kind.COUNTY)
        return {
            "id": unit_id,
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind.value,
            "township": None if township is None else self._nodes[township]["name"],
            "county": None if county is None else self._nodes[county]["name"],
            "parents": self.path(unit_id),
        }

    def descendants(self, root: str) -> Iterator[str]:
        """Every unit below ``root`` on the date: its registered descendants, and those of
        each successor of ``root`` that is not yet (or no longer) valid."""
        children = self.G.graph["children"]
        roots = [root]
        if self.as_of is not None:
            roots.extend(s for s, p in sorted(self._predecessor.items()) if p == root)
        seen: set[str] = set()
        for top in roots:
            if top != root:
                seen.add(top)
                yield top
            stack = list(reversed(children.get(top, ())))
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                yield node
                stack.extend(reversed(children.get(node, ())))


class _Memo(Enum):
    """Markers in the memos: not looked up yet; being looked up (a loop among parents)."""

    UNKNOWN = "unknown"
    IN_PROGRESS = "in_progress"


def _dated(index: NetworkIndex, as_of: dt.date | None) -> _Memos:
    """The predecessor of each successor not valid on ``as_of``, and empty memos of
    parents, chains, ancestors by kind and paths."""
    predecessor: dict[str, str] = {}
    if as_of is not None:
        nodes = index.nodes
        for node in index.with_successors:
            if nodes[node]["unit"].valid_on(as_of):
                for successor in nodes[node]["unit"].successor_ids:
                    if successor in nodes and not nodes[successor]["unit"].valid_on(as_of):
                        predecessor.setdefault(successor, node)
    return predecessor, {}, {}, {}, {}


def select_targets(
    G: nx.MultiDiGraph[str],
    targets: TargetSet | None = None,
    *,
    as_of: dt.date | None = None,
    **selection: Unpack[TargetKeywords],
) -> list[str]:
    """The ids of the units of a target set, in hierarchy order.

    Parameters
    ----------
    G : the network (:func:`graph.network.build_network`).
    targets : the target set; or its fields as keywords:
        ``kind`` (one kind or several; None means every kind), ``side`` (``"helper"`` or
        ``"helped"``: the role the unit's pairings give it, see :mod:`graph.roles`; None
        means any side, also none), ``program`` (the side is the role in this program's
        pairings; None: in any), ``poverty`` (``"deeply_poor"``, ``"poor"`` or both;
        None means any, also none), ``within`` (the id of a root unit: only units below it
        on ``as_of``), ``stage`` (only schools of this stage).
    as_of : only units valid on this date; None ignores dates.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="c", kind="county", name="沿河", side="helped"),
    ...     Unit(id="a", kind="village", name="甲村", side="helped", parent_id="c", poverty="deeply_poor"),
    ...     Unit(id="b", kind="village", name="乙村", side="helped", parent_id="c", poverty="poor"))))
    >>> select_targets(G, kind="village", poverty="deeply_poor", within="c")
    ['a']
    >>> select_targets(G, TargetSet.of(kind="village", poverty=["deeply_poor", "poor"]))
    ['a', 'b']
    """
    chosen = target_set(targets, selection)
    within = chosen.within
    if within is not None and within not in G:
        raise NotFound(_("no unit with id {id}").format(id=repr(within)))
    index = network_index(G)
    if within is None:
        return list(index.cached(("targets", chosen, as_of), lambda: _selected(index, chosen, as_of)))
    nodes = index.nodes
    invalid = index.invalid(as_of)
    sides = index.sides(chosen.program)
    selected = []
    for node in Hierarchy(G, as_of).descendants(within):
        if node not in invalid and chosen.admits(nodes[node]["unit"], sides.get(node, NO_SIDE)):
            selected.append(node)
    return selected


def _selected(index: NetworkIndex, chosen: TargetSet, as_of: dt.date | None) -> tuple[str, ...]:
    """The target set below no root, from the index's groups, which already hold only
    units of the kinds, sides and poverty asked for."""
    side, stage = chosen.side, chosen.stage
    candidates = index.select(
        kinds=chosen.kind, sides=None if side is None else (side,), poverties=chosen.poverty, program=chosen.program
    )
    invalid = index.invalid(as_of)
    if stage is not None:
        nodes = index.nodes
        candidates = [n for n in candidates if nodes[n]["unit"].stage == stage]
    return tuple(n for n in candidates if n not in invalid) if invalid else tuple(candidates)


def active_edges(
    G: nx.MultiDiGraph[str],
    *,
    as_of: dt.date | None = None,
    levels: Iterable[Level | str] | None = None,
) -> Iterator[Edge]:
    """``(helper_id, helped_id, pairing)`` for every pairing active on ``as_of`` at any of
    ``levels`` (all levels if None) whose two units are valid on that date; one pass over
    the edges, in edge order.

    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="e", kind="township", name="杨舍镇", side="helper"),
    ...     Unit(id="w", kind="township", name="中界镇", side="helped")), pairings=(
    ...     Pairing(id="p", helper_id="e", helped_id="w", level="township", end=dt.date(2020, 12, 31)),)))
    >>> [p.id for _, _, p in active_edges(G, as_of=dt.date(2020, 1, 1))], list(active_edges(G, as_of=dt.date(2021, 1, 1)))
    (['p'], [])
    """
    yield from network_index(G).active(as_of=as_of, levels=level_set(levels))


def resolve_unit(G: nx.MultiDiGraph[str], reference: str) -> str:
    """The id of the unit a person means: an id, a division code at any length, a name as
    people write it (``沿河县``, ``江苏省苏州市张家港市``), or a name path within parents
    (``沿河土家族自治县/中界镇``); see :class:`~loaders.references.Resolver`.

    Raises :class:`~graph.errors.NotFound` when nothing matches and
    :class:`~graph.errors.InvalidInput` (listing the candidates) when several do.

    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="520627", code="520627", kind="county", name="沿河土家族自治县", side="helped"),
    ...     Unit(id="t", kind="township", name="中界镇", side="helped", parent_id="520627"))))
    >>> resolve_unit(G, "沿河土家族自治县/中界镇"), resolve_unit(G, "520627"), resolve_unit(G, "中界镇")
    ('t', '520627', 't')
    """
    reference = reference.strip()
    if reference in G:
        return reference
    # Imported here: the loaders build on the graph package, and the graph needs their
    # resolver only when a person names a unit, so that both read names the same way.
    from pairnet.loaders.names import code_keys
    from pairnet.loaders.references import RefError, Resolver

    # A register code is its unit's id: no need to index a national graph for it.
    shortened = next((key for key in code_keys(reference)[1:] if key in G), None)
    if shortened is not None:
        return shortened
    resolver: Resolver | None = G.graph.get("resolver")
    if resolver is None:
        resolver = G.graph["resolver"] = Resolver([], known=(G.nodes[node]["unit"] for node in G))
    try:
        found = resolver.resolve(reference).id
    except RefError as exc:
        if exc.ambiguous:
            raise InvalidInput([Problem(message=exc.message, value=reference, expected=exc.expected)]) from None
        message = _("{problem} (value {value}; expected {expected})")
        raise NotFound(message.format(problem=exc.message, value=repr(reference), expected=exc.expected)) from None
    assert found is not None  # a known unit is resolved to its own id
    return found


def paired_counts(edges: Iterable[tuple[str, str, object]]) -> dict[str, int]:
    """How many of ``edges`` touch each unit (as helper or helped)."""
    counts: dict[str, int] = defaultdict(int)
    for helper, helped, _pairing in edges:
        counts[helper] += 1
        counts[helped] += 1
    return counts
