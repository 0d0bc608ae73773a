"""A whole-network question counted on the network's columns (:mod:`graph.columnar`).

Coverage and gaps of every county of a country ask about hundreds of thousands of targets:
which are covered, which have a covered unit below them, which county each is in. Asked
of the columns, each of these is a few array operations over the whole network, not a walk
per target. :func:`counted` answers the questions the columns can (the whole network, in
any program, on a date whose hierarchy has no loop) and returns None for the others
(a place, a program, a loop), which :mod:`graph.coverage` and :mod:`graph.gaps` answer
by walking the hierarchy as before; both ways give the same answer
(``tests/graph/test_counted.py`` compares them on the province data set).

Examples
--------
>>> import datetime as dt
>>> from pairnet.graph.model import Dataset, Unit, Pairing
>>> from pairnet.graph.network import build_network
>>> from pairnet.graph.target_set import TargetSet
>>> G = build_network(Dataset(units=(
...     Unit(id="t", kind="township", name="中界镇", side="helped"),
...     Unit(id="v1", kind="village", name="高峰村", side="helped", parent_id="t"),
...     Unit(id="v2", kind="village", name="某村", side="helped", parent_id="t"),
...     Unit(id="e", kind="village", name="善港村", side="helper")),
...     pairings=(Pairing(id="p", helper_id="e", helped_id="v1", level="village"),)))
>>> found = counted(G, TargetSet.of(kind="village", side="helped"), as_of=dt.date(2020, 1, 1), levels=None)
>>> found.ids(found.targets), found.ids(found.uncovered())
(['v1', 'v2'], ['v2'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import cached_property

import networkx as nx
import numpy as np

from .columnar import NO_PARENT, Columns, Dated, Mask, Positions, network_columns
from .model import Kind, Level
from .target_set import TargetSet
from .targets import Hierarchy

__all__ = ["Counted", "counted", "rolled_up"]


def counted(
    G: nx.MultiDiGraph[str], question: TargetSet, *, as_of: dt.date | None, levels: Collection[Level | str] | None
) -> Counted | None:
    """The targets of ``question`` and what covers them, from the columns; None when the
    columns do not answer it (a place or a program is asked about, or the hierarchy on
    ``as_of`` has a loop)."""
    if question.within is not None or question.program is not None:
        return None
    columns = network_columns(G)
    dated = columns.on(as_of)
    if dated is None:
        return None
    wanted = None if levels is None else frozenset(Level(level) for level in levels)
    targets = columns.chosen(
        kinds=question.kind, side=question.side, poverties=question.poverty, stage=question.stage, valid=dated.valid
    )
    return Counted(columns, dated, targets, columns.covered(as_of=as_of, levels=wanted), as_of, wanted)


def rolled_up(G: nx.MultiDiGraph[str], unit_ids: list[str], kind: Kind, as_of: dt.date | None) -> list[str | None]:
    """Each of ``unit_ids`` itself if of ``kind``, else its nearest ancestor of ``kind`` on
    ``as_of`` (None for none), as :meth:`graph.targets.Hierarchy.ancestor` finds it."""
    columns = network_columns(G)
    dated = columns.on(as_of)
    if dated is None:
        # A loop among the parents: the hierarchy walks it.
        hierarchy, nodes = Hierarchy(G, as_of), G.nodes
        return [unit if nodes[unit]["kind"] == kind else hierarchy.ancestor(unit, kind) for unit in unit_ids]
    units = np.fromiter(map(columns.position.__getitem__, unit_ids), np.intp, len(unit_ids))
    ids = columns.ids
    return [None if found == NO_PARENT else ids[found] for found in dated.rolled_up(units, kind).tolist()]


class Counted:
    """The targets of a question (positions in node order) and the units covered.

    Attributes
    ----------
    columns, dated : the network's columns and its hierarchy on the date.
    targets : the targets' positions, in node order (as :func:`graph.targets.select_targets`).
    covered : whether each unit is covered (takes part in an active pairing).
    as_of, levels : the date and the pairing levels that count (None: any).
    """

    def __init__(
        self,
        columns: Columns,
        dated: Dated,
        targets: Positions,
        covered: Mask,
        as_of: dt.date | None,
        levels: frozenset[Level] | None,
    ):
        self.columns = columns
        self.dated = dated
        self.targets = targets
        self.covered = covered
        self.as_of = as_of
        self.levels = levels

    @cached_property
    def through(self) -> Mask:
        """Whether each unit is uncovered with a covered unit below it (``through_descendant``)."""
        return self.dated.above(self.covered) & ~self.covered

    def levels_present(self) -> list[str]:
        """The levels of the active pairings that count, in the model's order."""
        columns = self.columns
        present = set(columns.level[columns.active(self.as_of, self.levels, self.dated.valid)].tolist())
        return [level.value for code, level in enumerate(Level) if code in present]

    def ids(self, units: Positions) -> list[str]:
        """The ids of ``units``."""
        ids = self.columns.ids
        return [ids[unit] for unit in units.tolist()]

    def uncovered(self) -> Positions:
        """The targets not covered, in target order."""
        return self.targets[~self.covered[self.targets]]

    def groups(self, by: str) -> tuple[list[str | None], Positions]:
        """The group of each target for a breakdown ``by`` ``"kind"`` (the kind's value),
        ``"parent"`` or a unit kind (the nearest ancestor of that kind; None for none):
        the groups in first-seen order, and each target's group as an index into them."""
        keys: Positions
        if by == "kind":
            keys = self.columns.kind[self.targets].astype(np.intp)
        elif by == "parent":
            keys = self.dated.parent[self.targets]
        else:
            keys = self.dated.ancestors(self.targets, Kind(by))
        found, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        ids = self.columns.ids
        named: list[str | None]
        if by == "kind":
            named = [self.columns.kind_of(int(code)).value for code in found[order]]
        else:
            named = [None if key == NO_PARENT else ids[key] for key in found[order].tolist()]
        return named, rank[inverse.reshape(-1)]
