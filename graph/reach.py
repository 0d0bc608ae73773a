"""Units reached only through a descendant: a province with paired prefectures, a county
whose townships are paired, is not paired itself, yet "never paired" would mislead.

Coverage counts such a unit apart (``through_descendant``) and gaps give it that status
with the names of the covered units below it; neither counts it as covered.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(
...     Unit(id="p", kind="province", name="河北省", side="helped"),
...     Unit(id="c", kind="city", name="张家口市", side="helped", parent_id="p"),
...     Unit(id="x", kind="county", name="某县", side="helped", parent_id="c"))))
>>> reached_through(Hierarchy(G), covered={"c", "x"})
{'p': ['c']}
"""

from __future__ import annotations

from collections.abc import Collection

from .index import network_index
from .targets import Hierarchy

__all__ = ["reached_through"]


def reached_through(hierarchy: Hierarchy, covered: Collection[str]) -> dict[str, list[str]]:
    """For each uncovered ancestor of a covered unit on the hierarchy's date, the topmost
    covered units below it (sorted by id); one walk up the chain of each covered unit.

    Kept with the network's indexes per date and covered set: coverage and gaps of each
    county of a national network ask it again and again with the same set, and the walk
    covers every covered unit of the network. Callers only read the answer."""
    key = ("reached-through", hierarchy.as_of, frozenset(covered))
    return network_index(hierarchy.G).cached(key, lambda: _walk(hierarchy, covered))


def _walk(hierarchy: Hierarchy, covered: Collection[str]) -> dict[str, list[str]]:
    below: dict[str, set[str]] = {}
    for unit in covered:
        for ancestor in hierarchy.chain(unit):
            if ancestor in covered:
                # That ancestor's own walk names it to the units above it.
                break
            below.setdefault(ancestor, set()).add(unit)
    return {ancestor: sorted(units) for ancestor, units in below.items()}
