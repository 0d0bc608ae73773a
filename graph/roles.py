"""Roles: which side a unit is on, as its pairings say.

A unit has no fixed side. A pairing says who helps whom in which program, so a Jiangsu
county can help a Guizhou county (东西部协作) and be helped by a southern Jiangsu city
(南北挂钩) at once. The sides of a unit, in one program or in all of them, are:

1. the roles its pairings (of that program) give it, at any date;
2. else its ``side`` hint, from a file's 方向 column or ``load-register --side``;
3. else the sides of its parent, found the same way (a village with no pairing of its
   own is on the side of its township, county...);
4. else none: the unit is on no side, and a question about one side leaves it out.

Examples
--------
>>> from pairnet.graph.model import Pairing, Unit
>>> units = [Unit(id="js", kind="province", name="江苏省"),
...          Unit(id="sz", kind="city", name="苏州市", parent_id="js"),
...          Unit(id="ks", kind="county", name="昆山市", parent_id="sz"),
...          Unit(id="v", kind="village", name="某村", parent_id="ks"),
...          Unit(id="gz", kind="county", name="某县", side="helped")]
>>> pairings = [Pairing(id="a", helper_id="ks", helped_id="gz", level="government", program="东西部协作"),
...             Pairing(id="b", helper_id="sz", helped_id="ks", level="government", program="南北挂钩")]
>>> sides = unit_sides(units, pairings)
>>> [sorted(s.value for s in sides[u]) for u in ("ks", "v", "gz", "js")]
[['helped', 'helper'], ['helped', 'helper'], ['helped'], []]
>>> sorted(s.value for s in unit_sides(units, pairings, program="南北挂钩")["v"])
['helped']
>>> display_side(sides["ks"], None), display_side(frozenset(), None)
(<Side.HELPER: 'helper'>, None)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .model import Pairing, Side, Unit

__all__ = ["NO_SIDE", "display_side", "unit_sides"]

NO_SIDE: frozenset[Side] = frozenset()
_ONE = {side: frozenset({side}) for side in Side}


def unit_sides(
    units: Iterable[Unit], pairings: Iterable[Pairing], *, program: str | None = None
) -> dict[str, frozenset[Side]]:
    """The sides of every unit (see the module docstring), in ``program`` (all if None).

    Parameters
    ----------
    units : the units; parents not among them count as absent.
    pairings : the pairings whose roles count, at any date.
    program : only pairings of this program give roles; None: every pairing.

    Returns
    -------
    dict
        Unit id → the set of its sides (empty: on no side).
    """
    roles: dict[str, set[Side]] = defaultdict(set)
    for p in pairings:
        if program is None or p.program == program:
            roles[p.helper_id].add(Side.HELPER)
            roles[p.helped_id].add(Side.HELPED)
    records = {u.id: u for u in units}
    sides: dict[str, frozenset[Side]] = {}
    for unit_id in records:
        # Walk up to the first unit whose sides are known or given, then fill the walk in.
        walk: list[str] = []
        node: str | None = unit_id
        found = NO_SIDE
        while node is not None and node in records:
            if node in sides:
                found = sides[node]
                break
            record = records[node]
            if node in roles:
                found = frozenset(roles[node])
                sides[node] = found
                break
            if record.side is not None:
                found = sides[node] = _ONE[record.side]
                break
            if node in walk:  # a loop among parents: no side to inherit
                break
            walk.append(node)
            node = record.parent_id
        for visited in walk:
            sides[visited] = found
    return sides


def display_side(sides: frozenset[Side], hint: Side | None) -> Side | None:
    """The one side to draw or count a unit under: its only side; of two, the hint if it
    is one of them, else the helper side (the unit helps somewhere); None for none."""
    if len(sides) == 1:
        return next(iter(sides))
    if not sides:
        return None
    return hint if hint in sides else Side.HELPER
