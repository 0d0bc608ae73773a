"""Adding, listing and revoking people: what ``pairnet users`` does, over any store."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from pairnet.graph.errors import InvalidInput, NotFound, PairnetError, Problem
from pairnet.graph.network import build_network
from pairnet.graph.targets import resolve_unit
from pairnet.i18n import N_, _
from pairnet.store.people import Person, Role
from pairnet.store.store import Store

from .tokens import hash_token, new_token, token_index

__all__ = ["MAX_NAME", "NAME_PATTERN", "NameTaken", "add_person", "revoke_person", "scope_names"]

MAX_NAME = 100
# A name's characters: letters of Chinese (CJK and its extension A) and of Latin scripts, digits,
# and · ' ’ - . _ ( ) （ ） between words; spaces around and inside it. A list rather than
# "printable": the API's schema states it (NewPerson), and a pattern read alike by Python, the
# Rust engine of pydantic and a client's ECMA-262 one can only list what it takes.
_LETTER = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u3400-\u4dbf\u4e00-\u9fff"
_BETWEEN = "\u00b7'\u2019.\\-_()\uff08\uff09"
NAME_PATTERN = f"^ *[{_LETTER}][{_LETTER}{_BETWEEN} ]*$"
_NAME = re.compile(NAME_PATTERN)

# Person-facing text, in one place (the catalog's; translated when raised).
BAD_NAME = N_("a person's name is 1 to {max} letters, digits or spaces (and · ' - . _ ( ) between them)")
TAKEN = N_("{name} already has a token; revoke it first (pairnet users revoke {name})")
NO_SCOPE = N_("an editor needs at least one scope (--scope CODE_OR_NAME)")
SCOPE_NOT_ALLOWED = N_("a {role} has no scopes: scopes limit an editor's writes")
UNKNOWN_SCOPE = N_("no unit {ref} in the store")
NO_SUCH_PERSON = N_("no person named {name}; the store knows: {known}")
NOBODY = N_("nobody")


class NameTaken(PairnetError):
    """An active person already has the name: a conflict with the store's people, not bad input."""


def add_person(store: Store, name: str, role: Role, scopes: Sequence[str] = ()) -> tuple[Person, str]:
    """Add ``name`` with ``role`` (an editor limited to the units ``scopes`` names: codes,
    ids or name paths) and a new token. Returns the person and the token, which is kept
    nowhere else: show it once. A revoked name may be given again."""
    if not (_NAME.fullmatch(name) and len(name.strip()) <= MAX_NAME):
        raise InvalidInput([Problem(_(BAD_NAME).format(max=MAX_NAME), column="name", value=name[:MAX_NAME])])
    name = name.strip()
    if any(p.name == name and p.active for p in store.people()):
        raise NameTaken(_(TAKEN).format(name=name))
    if role is Role.EDITOR and not scopes:
        raise InvalidInput([Problem(_(NO_SCOPE), column="scope")])
    if role is not Role.EDITOR and scopes:
        raise InvalidInput(
            [Problem(_(SCOPE_NOT_ALLOWED).format(role=role.value), column="scope", value=", ".join(scopes))]
        )
    token = new_token()
    person = Person(
        name=name,
        role=role,
        scopes=_resolve_scopes(store, scopes),
        token_index=token_index(token),
        token_hash=hash_token(token),
        created_at=dt.datetime.now(dt.UTC),
    )
    store.save_person(person)
    return person, token


def revoke_person(store: Store, name: str) -> Person:
    """Revoke ``name``'s token from now on; the person stays listed. Raises NotFound."""
    people = store.people()
    person = next((p for p in people if p.name == name.strip()), None)
    if person is None:
        raise NotFound(_(NO_SUCH_PERSON).format(name=repr(name), known=", ".join(p.name for p in people) or _(NOBODY)))
    if person.active:
        person = replace(person, revoked_at=dt.datetime.now(dt.UTC))
        store.save_person(person)
    return person


def scope_names(store: Store, people: Sequence[Person]) -> dict[str, str]:
    """The names of the units that ``people``'s scopes are, by id (for listings and messages)."""
    wanted = {s for p in people for s in p.scopes}
    return {u.id: u.name for u in store.snapshot().units if u.id in wanted} if wanted else {}


def _resolve_scopes(store: Store, references: Sequence[str]) -> tuple[str, ...]:
    if not references:
        return ()
    G = build_network(store.snapshot())
    ids: list[str] = []
    problems: list[Problem] = []
    for reference in references:
        try:
            ids.append(resolve_unit(G, reference))
        except NotFound:
            problems.append(Problem(_(UNKNOWN_SCOPE).format(ref=repr(reference)), column="scope", value=reference))
        except InvalidInput as ambiguous:
            problems.extend(ambiguous.problems)
    if problems:
        raise InvalidInput(problems)
    return tuple(dict.fromkeys(ids))
