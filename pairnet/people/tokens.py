"""Tokens: made at random, shown once, kept only as an argon2id hash.

argon2id (argon2-cffi's :class:`~argon2.PasswordHasher`, its RFC 9106 defaults) rather than
``hashlib.scrypt``: the library keeps the parameters and the salt in the hash it returns and
says when a stored hash needs redoing, so nothing about the format is ours to get wrong. A
token is 256 random bits, so the hash guards a copied store rather than a guessable secret.

A person is found by :func:`token_index`, the first 64 bits of the token's SHA-256: too
short to stand in for the token, long enough that two tokens never share one in practice;
only the argon2id hash proves a token.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_token", "new_token", "token_index", "token_matches"]

_HASHER = PasswordHasher()


def new_token() -> str:
    """A new random token (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def token_index(token: str) -> str:
    """The short digest under which the holder of ``token`` is found.

    >>> token_index("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def hash_token(token: str) -> str:
    """The argon2id hash kept in place of ``token``."""
    return _HASHER.hash(token)


def token_matches(token: str, token_hash: str) -> bool:
    """Whether ``token`` is the one ``token_hash`` was made from."""
    try:
        return _HASHER.verify(token_hash, token)
    except (VerificationError, InvalidHashError):
        return False
