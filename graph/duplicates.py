"""Near-duplicate units: a new unit that is probably a unit already there, mistyped.

Two kinds of slip make a second unit where a person meant one: the same name typed in
another width or with stray spaces (``ＡＢ村`` beside ``AB村``), and a division code one digit
off (``520627110218,高峰村`` beside ``520627110217,高峰村``). Either splits one village's
pairings over two units and miscounts coverage, so a new unit that matches a sibling (a unit
of the same kind under the same parent) this way is a problem naming both; an import may
accept it on purpose (``allow_near_duplicates``). Two siblings of exactly one name whose
codes differ in more than one digit are two units (the register has such villages), and so
are two that one file adds together, each row with its code: the register also lists
siblings of one name one digit apart (干河沟社区, 130402007014 and 130402007018, under
浴新南街道), and a list naming both, codes and all, means both.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from pairnet.i18n import N_, _

from .errors import Problem
from .model import Unit

__all__ = ["name_key", "near_duplicates"]

EXPECTED = N_("a unit that differs from its siblings, or the existing unit's code (allow_near_duplicates to keep both)")


def name_key(name: str) -> str:
    """The name as compared: Unicode NFKC (full-width → half-width), trimmed, spaces
    collapsed, case folded.

    >>> name_key(" ＡＢ村 ") == name_key("AB村") == name_key("ab村")
    True
    """
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _key(unit: Unit) -> tuple[str | None, str, str]:
    # A park may share its name with the township it lies in: only one kind is compared.
    return unit.parent_id, unit.kind.value, name_key(unit.name)


def _suspect(unit: Unit, other: Unit, *, both_added: bool) -> bool:
    """Whether two siblings of one name key look like one unit typed twice (see the module
    docstring for the pairs that are two units)."""
    if unit.name != other.name or not (unit.code and other.code):
        return True
    return not both_added and _one_digit_apart(unit.code, other.code)


def _one_digit_apart(a: str, b: str) -> bool:
    """Whether two codes of one length differ in exactly one digit."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def near_duplicates(known: Iterable[Unit], incoming: Iterable[Unit]) -> list[Problem]:
    """One problem per new unit of ``incoming`` (an id not in ``known``, or one renamed or
    moved) whose name matches
    a sibling's by :func:`name_key`; the problem is located at the new unit's row and names
    the other unit's id, code and path.

    Examples
    --------
    >>> town = Unit(id="520627110", kind="township", name="中界镇", side="helped")
    >>> old = Unit(id="520627110217", code="520627110217", kind="village", name="高峰村",
    ...            side="helped", parent_id="520627110")
    >>> new = old.model_copy(update={"id": "520627110218", "code": "520627110218"})
    >>> [p.message for p in near_duplicates([town, old], [new])]  # doctest: +NORMALIZE_WHITESPACE
    ['code 520627110218 differs by one digit from 高峰村 (id 520627110217, code 520627110217,
      path 中界镇/高峰村), a unit of the same name under the same parent']
    """
    before = {u.id: u for u in known}
    incoming = list(incoming)
    # New: an id not known yet, or a known id given another name, kind or parent.
    new_ids = {u.id for u in incoming if u.id not in before or _key(before[u.id]) != _key(u)}
    units = before | {u.id: u for u in incoming}
    siblings: dict[tuple[str | None, str, str], list[Unit]] = defaultdict(list)
    problems: list[Problem] = []
    for unit in [*before.values(), *incoming]:
        if units[unit.id] is not unit:
            continue  # an old version of a record the file replaces
        group = siblings[_key(unit)]
        if unit.id in new_ids:
            added = unit.id not in before
            other = next((u for u in group if _suspect(unit, u, both_added=added and u.id not in before)), None)
            if other is not None:
                problems.append(_problem(unit, other, units))
        group.append(unit)
    return problems


def _problem(unit: Unit, other: Unit, units: dict[str, Unit]) -> Problem:
    described = _("{name} (id {id}, code {code}, path {path})").format(
        name=other.name, id=other.id, code=other.code or "-", path=_path(other, units)
    )
    if unit.code and other.code and _one_digit_apart(unit.code, other.code):
        message = _(
            "code {code} differs by one digit from {described}, a unit of the same name under the same parent"
        ).format(code=unit.code, described=described)
        column, value = "code", unit.code
    else:
        message = _("name {name} is the same as {described}, a unit under the same parent").format(
            name=unit.name, described=described
        )
        column, value = "name", unit.name
    src = unit.source
    return Problem(
        message=message, file=src.file, sheet=src.sheet, row=src.row, column=column, value=value, expected=_(EXPECTED)
    )


def _path(unit: Unit, units: dict[str, Unit]) -> str:
    """The names from the root to ``unit``, joined by ``/`` (a loop stops the walk)."""
    names: list[str] = []
    seen: set[str] = set()
    node: Unit | None = unit
    while node is not None and node.id not in seen:
        seen.add(node.id)
        names.append(node.name)
        node = units.get(node.parent_id) if node.parent_id else None
    return "/".join(reversed(names))
