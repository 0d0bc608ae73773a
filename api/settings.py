"""The API's settings, read from ``PAIRNET_*`` environment variables (or passed in).

One class, :class:`Settings`; :meth:`Settings.refusal` says why a server with these
settings must not start (an empty or well-known token with writes enabled, or demo mode on a
non-loopback address), so that ``pairnet serve`` and any other launcher apply the same rule.
"""

from __future__ import annotations

import ipaddress

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from pairnet.store.store import DEFAULT_STORE

__all__ = ["Settings", "WEAK_TOKENS", "is_loopback"]

# Tokens that appear in examples and templates: a server must never trust them outside a demo.
WEAK_TOKENS = frozenset({"", "pairnet", "secret", "token", "password", "test", "pairnet-token"})
# Placeholders such as .env.example's "change-this-to-a-long-random-token".
PLACEHOLDER_PREFIXES = ("change", "replace", "your", "example", "put-", "set-")
MIN_TOKEN_LENGTH = 16
# A token of few different characters ("aaaaaaaaaaaaaaaa", "abababab...") is guessed at once.
MIN_TOKEN_DISTINCT = 8


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Everything the API needs to know; each field has a ``PAIRNET_`` environment variable."""

    model_config = SettingsConfigDict(env_prefix="PAIRNET_", extra="ignore")

    store: str = Field(DEFAULT_STORE, description="Store URI: a SQLite file path or bolt:// / neo4j:// URI.")
    token: SecretStr = Field(SecretStr(""), description="Bearer token every write must present.")
    read_only: bool = Field(False, description="Refuse every write; no token needed to start.")
    session_secret: SecretStr = Field(
        SecretStr(""),
        description="Key that signs the workbench's sign-in cookies; empty: a random key per process "
        "(sessions then end when the server restarts, and several workers need one set).",
    )
    demo: bool = Field(False, description="Local demo: a weak token is accepted, loopback only.")
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, gt=0, description="Largest accepted upload (request body), in bytes."
    )
    max_page_size: int = Field(1000, gt=0, description="Largest `limit` a list accepts.")
    default_page_size: int = Field(100, gt=0, description="`limit` when none is given.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS; none by default.")
    cache_entries: int = Field(256, gt=0, description="Analysis results kept per process.")

    def writes_enabled(self) -> bool:
        return not self.read_only

    def token_is_weak(self) -> bool:
        """Whether the token is empty, well known, a placeholder, short or of few characters.

        >>> Settings(token="a" * 40).token_is_weak(), Settings(token="7f3a9c2e1b5d8e40").token_is_weak()
        (True, False)
        """
        value = self.token.get_secret_value().strip().lower()
        return (
            value in WEAK_TOKENS
            or value.startswith(PLACEHOLDER_PREFIXES)
            or len(value) < MIN_TOKEN_LENGTH
            or len(set(value)) < MIN_TOKEN_DISTINCT
        )

    def refusal(self, host: str) -> str | None:
        """Why a server bound to ``host`` must not start with these settings, or None.

        >>> Settings(token="short").refusal("127.0.0.1") is not None
        True
        >>> Settings(token="short", demo=True).refusal("127.0.0.1") is None
        True
        >>> Settings(token="short", demo=True).refusal("0.0.0.0") is not None
        True
        >>> Settings(read_only=True).refusal("0.0.0.0") is None
        True
        """
        if self.demo:
            if not is_loopback(host):
                return f"demo mode serves only loopback addresses, not {host}"
            return None
        if self.writes_enabled() and self.token_is_weak():
            return (
                "writes are enabled but PAIRNET_TOKEN is empty, a well-known value, shorter than "
                f"{MIN_TOKEN_LENGTH} characters or made of fewer than {MIN_TOKEN_DISTINCT} different characters; "
                "set a strong token (e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'), "
                "use --read-only, or --demo on loopback"
            )
        return None
