"""Scopes: an editor writes only under the places they were given.

A person's scopes are unit ids. A **unit** is inside when it or one of its ancestors (by
``parent``) is a scope unit. A **pairing** is inside when its helper *or* its helped unit is
inside: an editor for 沿河 may record who helps 沿河's villages, and an editor for 张家港 whom
张家港's units help; neither may touch a pairing between 思南 and 张家港. A **flow** is inside
when its ``from`` or ``to`` unit, or the pairing it is recorded against, is inside.

An import is refused when it would add, change or (with ``replace``) remove a record that is
not inside; a changed record must be inside both before and after (no moving a unit or a
pairing in from outside). Records a file repeats unchanged are not writes and pass, so a
file may carry a county's ancestors as they are.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from pairnet.graph.errors import PairnetError, Problem
from pairnet.graph.model import Dataset, Flow, Pairing, Unit
from pairnet.i18n import N_, _
from pairnet.imports import Guard
from pairnet.store.people import Person, Role

__all__ = ["OUT_OF_SCOPE", "OutOfScope", "outside_scope", "scope_guard"]

# Person-facing text, in one place (translated where it is used).
OUT_OF_SCOPE = N_("{action} outside {name}'s scopes")
SCOPE_EXPECTED = N_("a record under {places}")
REFUSED = N_("{name} may not write outside their scopes ({places}): {count} record(s) refused; nothing was written")
ACTIONS = {"new": N_("adds a record"), "changed": N_("changes a record"), "removed": N_("removes a record")}

Record = Unit | Pairing | Flow


class OutOfScope(PairnetError):
    """An import that would write outside the person's scopes; ``problems`` lists each record."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


def scope_guard(person: Person) -> Guard | None:
    """The import guard for ``person``: None for an admin (no limit), else a check that
    raises :class:`OutOfScope`."""
    if person.role is Role.ADMIN:
        return None

    def guard(existing: Dataset, incoming: Dataset, source: str, replace: bool) -> None:
        places = {u.id: u.name for u in existing.units if u.id in person.scopes}
        problems = outside_scope(existing, incoming, source=source, replace=replace, person=person, places=places)
        if problems:
            raise OutOfScope(
                _(REFUSED).format(name=person.name, places=_places(person.scopes, places), count=len(problems)),
                problems,
            )

    return guard


def outside_scope(
    existing: Dataset,
    incoming: Dataset,
    *,
    source: str,
    replace: bool,
    person: Person,
    places: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every record that writing ``incoming`` over ``existing`` would add, change or remove
    outside ``person``'s scopes (see the module doc), as problems located in the file."""
    before = _Tree(existing, person.scopes)
    after = _Tree(existing, person.scopes, incoming)
    expected = _(SCOPE_EXPECTED).format(places=_places(person.scopes, places))
    problems: list[Problem] = []
    for table in ("units", "pairings", "flows"):
        old_records = {r.id: r for r in getattr(existing, table)}
        new_ids = set()
        for record in getattr(incoming, table):
            new_ids.add(record.id)
            old = old_records.get(record.id)
            if old is not None and _same(old, record):
                continue
            inside = after.holds(record) and (old is None or before.holds(old))
            if not inside:
                problems.append(_problem("new" if old is None else "changed", table, record, person, expected))
        if replace:
            for old in old_records.values():
                if old.source.file == source and old.id not in new_ids and not before.holds(old):
                    problems.append(_problem("removed", table, old, person, expected))
    return problems


class _Tree:
    """Which records are inside the scopes, by the parents and pairings of ``dataset``
    (as ``update`` would leave them, when given)."""

    def __init__(self, dataset: Dataset, scopes: Collection[str], update: Dataset | None = None):
        self.parents = {u.id: u.parent_id for u in dataset.units}
        self.pairings = {p.id: p for p in dataset.pairings}
        if update is not None:
            self.parents.update({u.id: u.parent_id for u in update.units})
            self.pairings.update({p.id: p for p in update.pairings})
        self.scopes = frozenset(scopes)
        self._known: dict[str, bool] = {}

    def inside(self, unit_id: str | None) -> bool:
        seen: list[str] = []
        current = unit_id
        answer = False
        while current is not None and current not in seen:
            if current in self._known:
                answer = self._known[current]
                break
            if current in self.scopes:
                answer = True
                break
            seen.append(current)
            current = self.parents.get(current)
        for unit in seen:
            self._known[unit] = answer
        return answer

    def holds(self, record: Record) -> bool:
        if isinstance(record, Unit):
            return self.inside(record.id)
        if isinstance(record, Pairing):
            return self.inside(record.helper_id) or self.inside(record.helped_id)
        pairing = self.pairings.get(record.pairing_id or "")
        return self.inside(record.from_id) or self.inside(record.to_id) or (pairing is not None and self.holds(pairing))


def _same(old: Record, new: Record) -> bool:
    return old.model_dump(exclude={"source"}) == new.model_dump(exclude={"source"})


def _places(scopes: Collection[str], places: Mapping[str, str] | None) -> str:
    names = places or {}
    return ", ".join(f"{names[s]} ({s})" if s in names else s for s in scopes) or "none"


def _problem(change: str, table: str, record: Record, person: Person, expected: str) -> Problem:
    return Problem(
        message=_(OUT_OF_SCOPE).format(action=_(ACTIONS[change]), name=person.name),
        file=record.source.file,
        sheet=table,
        row=record.source.row,
        column="id",
        value=record.id,
        expected=expected,
    )
