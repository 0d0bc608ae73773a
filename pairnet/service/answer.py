"""An answer to a question: the analysis' typed result, its export rows and its name.

Every front door shows the same answer: JSON is :meth:`Answer.document` (the result as its
declared type serialises it), CSV and XLSX are :attr:`Answer.rows` written by
:mod:`pairnet.tables` into a sheet named :attr:`Answer.sheet`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from pairnet.tables import columns_of

__all__ = ["Answer", "dated", "keys_of"]

R = TypeVar("R")


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


@dataclass(frozen=True)
class Answer(Generic[R]):
    """``result`` (of type ``kind``), ``rows`` for a file, ``name`` for a file name (it says
    the date), ``sheet`` for the XLSX sheet and ``title``, what the file's title row says
    was counted (in the current language). ``empty_columns`` are the file's columns when
    there are no rows, so that an empty answer still says what it would list."""

    kind: Any
    result: R
    rows: Sequence[Mapping[str, Any]]
    name: str
    sheet: str
    title: str = ""
    empty_columns: Sequence[str] = ()

    @property
    def columns(self) -> list[str]:
        """The columns of the file: the rows' keys, or ``empty_columns`` without rows."""
        return columns_of(self.rows) or list(self.empty_columns)

    def document(self) -> Any:
        """The result as JSON-ready data, exactly as its declared type serialises it."""
        adapter = _adapter(self.kind)
        return adapter.dump_python(adapter.validate_python(self.result), mode="json")


def keys_of(row_type: Any) -> tuple[str, ...]:
    """The keys a row of the TypedDict ``row_type`` has, in the order it declares them.

    >>> from pairnet.graph.results import TimelineRow
    >>> keys_of(TimelineRow)
    ('targets', 'covered', 'uncovered', 'share', 'as_of')
    """
    return tuple(row_type.__annotations__)


def dated(name: str, as_of: dt.date | None) -> str:
    """A file name that says which date it is about.

    >>> dated("gaps", dt.date(2018, 12, 31)), dated("flows", None)
    ('gaps-2018-12-31', 'flows')
    """
    return f"{name}-{as_of.isoformat()}" if as_of else name
