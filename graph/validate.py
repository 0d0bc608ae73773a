"""Checks that need more than one record: references, sides, levels, the hierarchy.

Single-record rules (a date in order, no self-pairing) live on the models; this module
checks a whole :class:`~graph.model.Dataset` and reports every problem at once.
"""

from __future__ import annotations

from collections import Counter

from .errors import Problem
from .model import Dataset, Flow, Pairing, Unit, allowed_kinds, level_fits

__all__ = ["check"]


def _at(
    record: Unit | Pairing | Flow, column: str, message: str, value: object = None, expected: str | None = None
) -> Problem:
    src = record.source
    return Problem(
        message=message,
        file=src.file,
        sheet=src.sheet,
        row=src.row,
        column=column,
        value=None if value is None else str(value),
        expected=expected,
    )


def check(dataset: Dataset) -> list[Problem]:
    """Every cross-record problem of ``dataset``, in a stable order.

    Examples
    --------
    >>> from pairnet.graph.model import Unit, Pairing
    >>> a = Unit(id="a", kind="township", name="杨舍镇", side="helper")
    >>> b = Unit(id="b", kind="village", name="高峰村", side="helped")
    >>> [p.message for p in check(Dataset(units=(a, b), pairings=(
    ...     Pairing(id="p", helper_id="a", helped_id="b", level="township"),)))]
    ['level township does not fit township → village']
    """
    problems: list[Problem] = []
    units: dict[str, Unit] = {}
    for kind, records in (("unit", dataset.units), ("pairing", dataset.pairings), ("flow", dataset.flows)):
        seen = Counter(r.id for r in records)
        reported: set[str] = set()
        for record in records:
            if seen[record.id] > 1 and record.id not in reported:
                reported.add(record.id)
                problems.append(_at(record, "id", f"duplicate {kind} id", record.id, "each id once"))
    for unit in dataset.units:
        units.setdefault(unit.id, unit)

    for unit in dataset.units:
        if unit.parent_id is not None and unit.parent_id not in units:
            problems.append(_at(unit, "parent", "unknown parent", unit.parent_id, "a unit in the file or the store"))
        for successor in unit.successor_ids:
            if successor not in units:
                problems.append(
                    _at(unit, "successors", "unknown successor", successor, "a unit in the file or the store")
                )
    problems.extend(_cycles(units))

    for pairing in dataset.pairings:
        helper, helped = units.get(pairing.helper_id), units.get(pairing.helped_id)
        if helper is None:
            problems.append(
                _at(pairing, "helper", "unknown helper", pairing.helper_id, "a unit in the file or the store")
            )
        if helped is None:
            problems.append(
                _at(pairing, "helped", "unknown helped unit", pairing.helped_id, "a unit in the file or the store")
            )
        if helper is None or helped is None:
            continue
        # No side check: roles belong to pairings, so a unit whose hint says "helped"
        # may help in another program (see graph.roles).
        if not level_fits(pairing.level, helper.kind, helped.kind):
            helpers, helpeds = allowed_kinds(pairing.level)
            problems.append(
                _at(
                    pairing,
                    "level",
                    f"level {pairing.level.value} does not fit {helper.kind.value} → {helped.kind.value}",
                    pairing.level.value,
                    f"{'/'.join(sorted(helpers))} → {'/'.join(sorted(helpeds))}",
                )
            )

    pairing_ids = {p.id for p in dataset.pairings}
    for flow in dataset.flows:
        for column, ref in (("from", flow.from_id), ("to", flow.to_id)):
            if ref is not None and ref not in units:
                problems.append(_at(flow, column, f"unknown unit in {column}", ref, "a unit in the file or the store"))
        if flow.pairing_id is not None and flow.pairing_id not in pairing_ids:
            problems.append(
                _at(flow, "pairing", "unknown pairing", flow.pairing_id, "a pairing in the file or the store")
            )
    return problems


def _cycles(units: dict[str, Unit]) -> list[Problem]:
    """One problem per unit whose parent chain loops back on itself."""
    state: dict[str, int] = {}  # 1 = on the current chain, 2 = known to end at a root
    problems: list[Problem] = []
    for start in units:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in units and state.get(node) is None:
            state[node] = 1
            chain.append(node)
            node = units[node].parent_id
        if node is not None and state.get(node) == 1:
            loop = chain[chain.index(node) :]
            names = " → ".join(units[n].name for n in loop + [node])
            unit = units[node]
            problems.append(
                _at(
                    unit,
                    "parent",
                    f"the hierarchy has a cycle: {names}",
                    unit.parent_id,
                    "a parent chain that ends at a root",
                )
            )
        for n in chain:
            state[n] = 2
    return problems
