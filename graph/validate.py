"""Checks that need more than one record: references, sides, levels, the hierarchy.

Single-record rules (a date in order, no self-pairing) live on the models; this module
checks a whole :class:`~graph.model.Dataset` and reports every problem at once.
"""

from __future__ import annotations

from collections import Counter

from pairnet.i18n import N_, _

from .errors import Problem
from .model import Dataset, Flow, Pairing, Unit, allowed_kinds, level_fits

__all__ = ["check"]

# What a repeated id is the id of, in the words of the message.
_IN_FILE_OR_STORE = N_("a unit in the file or the store")
_RECORDS = {"unit": N_("unit"), "pairing": N_("pairing"), "flow": N_("flow")}


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
                problems.append(
                    _at(
                        record,
                        "id",
                        _("duplicate {what} id").format(what=_(_RECORDS[kind])),
                        record.id,
                        _("each id once"),
                    )
                )
    for unit in dataset.units:
        units.setdefault(unit.id, unit)

    for unit in dataset.units:
        if unit.parent_id is not None and unit.parent_id not in units:
            problems.append(_at(unit, "parent", _("unknown parent"), unit.parent_id, _(_IN_FILE_OR_STORE)))
        for successor in unit.successor_ids:
            if successor not in units:
                problems.append(_at(unit, "successors", _("unknown successor"), successor, _(_IN_FILE_OR_STORE)))
    problems.extend(_cycles(units))

    for pairing in dataset.pairings:
        helper, helped = units.get(pairing.helper_id), units.get(pairing.helped_id)
        if helper is None:
            problems.append(_at(pairing, "helper", _("unknown helper"), pairing.helper_id, _(_IN_FILE_OR_STORE)))
        if helped is None:
            problems.append(_at(pairing, "helped", _("unknown helped unit"), pairing.helped_id, _(_IN_FILE_OR_STORE)))
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
                    _("level {level} does not fit {helper} → {helped}").format(
                        level=pairing.level.value, helper=helper.kind.value, helped=helped.kind.value
                    ),
                    pairing.level.value,
                    f"{'/'.join(sorted(helpers))} → {'/'.join(sorted(helpeds))}",
                )
            )

    pairing_ids = {p.id for p in dataset.pairings}
    for flow in dataset.flows:
        for column, ref in (("from", flow.from_id), ("to", flow.to_id)):
            if ref is not None and ref not in units:
                problems.append(
                    _at(flow, column, _("unknown unit in {column}").format(column=column), ref, _(_IN_FILE_OR_STORE))
                )
        if flow.pairing_id is not None and flow.pairing_id not in pairing_ids:
            problems.append(
                _at(flow, "pairing", _("unknown pairing"), flow.pairing_id, _("a pairing in the file or the store"))
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
                    _("the hierarchy has a cycle: {path}").format(path=names),
                    unit.parent_id,
                    _("a parent chain that ends at a root"),
                )
            )
        for n in chain:
            state[n] = 2
    return problems
