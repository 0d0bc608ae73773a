"""Who may do what: roles, and finding the person a token belongs to.

- ``viewer`` reads;
- ``editor`` reads, and writes within their scopes (:mod:`pairnet.people.scopes`);
- ``admin`` writes anything (people are managed with ``pairnet users``, by whoever holds the store).
"""

from __future__ import annotations

from collections.abc import Iterable

from pairnet.store.people import Person, Role

from .tokens import token_index, token_matches

__all__ = ["find_holder", "may_write"]


def may_write(person: Person) -> bool:
    """Whether ``person`` may import at all (an editor only within their scopes)."""
    return person.active and person.role in (Role.EDITOR, Role.ADMIN)


def find_holder(people: Iterable[Person], token: str) -> Person | None:
    """The active person whose token ``token`` is, or None (unknown or revoked)."""
    index = token_index(token)
    for person in people:
        if person.active and person.token_index == index and token_matches(token, person.token_hash):
            return person
    return None
