"""The people a store knows: who they are, what they may do, and their hashed token.

A :class:`Person` is what a store keeps (SQLite table ``people``, Neo4j ``(:Person)``
nodes); what a role allows and how tokens are made and checked is :mod:`pairnet.people`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Person", "Role"]


class Role(StrEnum):
    """What a person may do: read, write within their scopes, or everything."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Person:
    """One named person with a token.

    ``scopes`` are unit ids: an editor writes only units under them (and the pairings and
    flows that touch such units). ``token_index`` is a short digest of the token that finds
    the person; ``token_hash`` (argon2id, salted) is what proves the token. A revoked person
    stays listed, with the time of revocation, and no token of theirs is accepted.
    """

    name: str
    role: Role
    scopes: tuple[str, ...]
    token_index: str
    token_hash: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None
