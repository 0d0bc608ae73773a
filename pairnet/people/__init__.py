"""Named people instead of one shared token: roles, scopes and hashed tokens.

Add people with :func:`add_person` (``pairnet users add``); the API finds the person a
bearer token belongs to with :func:`find_holder`, lets them write if :func:`may_write`,
and limits an editor's imports with :func:`scope_guard`. The records themselves are kept by
the store (:class:`~pairnet.store.people.Person`, ``Store.save_person``/``Store.people``).
"""

from pairnet.store.people import Person, Role

from .access import find_holder, may_write
from .directory import add_person, revoke_person, scope_names
from .scopes import OutOfScope, outside_scope, scope_guard

__all__ = [
    "OutOfScope",
    "Person",
    "Role",
    "add_person",
    "find_holder",
    "may_write",
    "outside_scope",
    "revoke_person",
    "scope_guard",
    "scope_names",
]
