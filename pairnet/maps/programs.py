"""What the national view's program filter switches among: for each set of programs a reader
can leave ticked, how many poor villages of each place the pairings of those programs cover
(from :func:`pairnet.graph.coverage.covering_programs`), so that the page only looks up.

A set of programs is keyed by its names sorted, each followed by ``|`` (:func:`program_key`;
"" and {""} differ), as the page's script builds the key of the boxes ticked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from itertools import combinations

__all__ = ["MAX_PROGRAMS", "covered_per_program_set", "covered_switch", "program_key", "program_sets"]

# Above this many programs the 2^n sets are too many to send: the filter is not offered.
MAX_PROGRAMS = 5


def program_key(programs: Iterable[str]) -> str:
    """The key of a set of programs ("" is a pairing recorded without one).

    >>> program_key(["万企帮万村", "", "携手奔小康"]), program_key([""]), program_key([])
    ('|万企帮万村|携手奔小康|', '|', '')
    """
    return "".join(f"{name}|" for name in sorted(programs))


def program_sets(programs: Iterable[str]) -> list[frozenset[str]]:
    """Every set of ``programs``, the empty one included.

    >>> [sorted(s) for s in program_sets(["a", "b"])]
    [[], ['a'], ['b'], ['a', 'b']]
    """
    names = sorted(set(programs))
    return [frozenset(chosen) for size in range(len(names) + 1) for chosen in combinations(names, size)]


def covered_per_program_set(
    targets: Iterable[str],
    group_of: Callable[[str], str | None],
    covering: Mapping[str, frozenset[str]],
    programs: Iterable[str],
) -> dict[str, dict[str, int]]:
    """For each group (``group_of(target)``) and each set of ``programs``: how many of its
    ``targets`` a pairing of one of those programs covers (``covering``: the programs that
    cover each unit). With every program ticked this is the group's covered count.

    >>> covering = {"v1": frozenset({"a"}), "v2": frozenset({"a", "b"})}
    >>> covered_per_program_set(["v1", "v2", "v3"], lambda v: "c", covering, ["a", "b"])
    {'c': {'': 0, 'a|': 2, 'b|': 1, 'a|b|': 2}}
    """
    combos: dict[str, Counter] = {}
    for target in targets:
        group = group_of(target)
        if group is not None:
            combos.setdefault(group, Counter())[covering.get(target, frozenset())] += 1
    sets = program_sets(programs)
    return {
        group: {program_key(s): sum(n for combo, n in counted.items() if combo & s) for s in sets}
        for group, counted in combos.items()
    }


def covered_switch(targets: Iterable[str], covering: Mapping[str, frozenset[str]], text: Callable[[int], str]) -> dict:
    """What a figure or a caption of ``targets`` reads for each set of the programs that
    cover them: ``programs`` (those programs, sorted) and ``with`` (``text`` of the number
    covered, by :func:`program_key`). The page keys the programs ticked among ``programs``;
    {} when none or too many programs cover them.

    >>> covering = {"v1": frozenset({"a"}), "v2": frozenset({"a", "b"})}
    >>> covered_switch(["v1", "v2", "v3"], covering, lambda n: f"{n}/3")
    {'programs': ['a', 'b'], 'with': {'': '0/3', 'a|': '2/3', 'b|': '1/3', 'a|b|': '2/3'}}
    """
    targets = list(targets)
    programs = sorted(set().union(*(covering.get(t, frozenset()) for t in targets)))
    if not 0 < len(programs) <= MAX_PROGRAMS:
        return {}
    counted = covered_per_program_set(targets, lambda _target: "", covering, programs)[""]
    return {"programs": programs, "with": {key: text(n) for key, n in counted.items()}}
