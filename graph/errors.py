"""The exceptions pairnet raises, one tree for every package::

    PairnetError
    ├── InvalidInput        a file or record set has problems; carries every Problem
    ├── InvalidParameter    a setting of a question is wrong (names the parameter)
    ├── NotFound            a unit, pairing or other named thing does not exist
    └── StoreError          the store could not do what was asked
        └── StoreUnavailable    the store cannot be reached (Neo4j down, bad password...)

Only the edges (CLI, API) turn these into messages for people; everything below raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from pairnet.i18n import _, ngettext

__all__ = [
    "InvalidInput",
    "InvalidParameter",
    "NotFound",
    "PairnetError",
    "Problem",
    "StoreError",
    "StoreUnavailable",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as it can be.

    ``row`` is the spreadsheet row number a person sees (the header is row 1).
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def location(self) -> str:
        """Where the problem is, in the reader's language: ``units.csv, units, row 7, column kind``."""
        parts = [self.file or "", self.sheet or ""]
        if self.row is not None:
            parts.append(_("row {n}").format(n=self.row))
        if self.column:
            parts.append(_("column {name}").format(name=self.column))
        return _(", ").join(p for p in parts if p)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}" if self.location() else self.message
        if self.value is not None:
            text += _(" (value {value!r})").format(value=self.value)
        if self.expected:
            text += _("; expected {expected}").format(expected=self.expected)
        return text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class PairnetError(Exception):
    """The base of every error pairnet raises on purpose."""


class InvalidInput(PairnetError):
    """The input has problems; ``problems`` lists all of them, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = str(self.problems[0]) if self.problems else _("invalid input")
        more = ngettext(" (and {n} more)", " (and {n} more)", count - 1).format(n=count - 1) if count > 1 else ""
        super().__init__(head + more)


class InvalidParameter(PairnetError):
    """A setting of a question is wrong, e.g. two scopes given at once.

    ``message`` may refer to the parameters as ``{0}``, ``{1}``...: each front door spells
    them its own way (``--county`` in the CLI, ``county`` in the API) with :meth:`spelled`.

    >>> error = InvalidParameter("give one of {0}, {1}", parameters=("county", "within"))
    >>> str(error), error.spelled(lambda name: "--" + name)
    ('give one of county, within', 'give one of --county, --within')
    """

    def __init__(self, message: str, *, parameters: tuple[str, ...]):
        self.template = message
        self.parameters = parameters
        super().__init__(self.spelled(str))

    @staticmethod
    def literal(text: object) -> str:
        """``text`` (e.g. a value a person typed) safe to put into a message: braces doubled.

        >>> str(InvalidParameter(InvalidParameter.literal("{x}") + " in {0}", parameters=("kind",)))
        '{x} in kind'
        """
        return str(text).replace("{", "{{").replace("}", "}}")

    def spelled(self, spell: Callable[[str], str]) -> str:
        """The message with each parameter as ``spell`` writes it."""
        return self.template.format(*(spell(name) for name in self.parameters))


class NotFound(PairnetError):
    """A unit, pairing or other named thing does not exist; ``parameter`` names the
    setting of a question that referred to it, if one did."""

    def __init__(self, message: str, *, parameter: str | None = None):
        self.parameter = parameter
        super().__init__(message)


class StoreError(PairnetError):
    """The store could not do what was asked; nothing was written."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or refused the credentials."""
