"""Bounds on what an input may hold, checked as it is read and before any heavy work.

Each bound is a named setting with a default and a ``PAIRNET_*`` environment variable, and
each refusal names its setting, so that a person with a real file this large knows what to
raise. The bound on the file's bytes (``PAIRNET_MAX_INPUT_BYTES``) is in :mod:`.files`.

============================  ========  ================================================
setting                       default   bounds
============================  ========  ================================================
``PAIRNET_MAX_COLUMNS``       500       columns in one row of a sheet (or JSON keys)
``PAIRNET_MAX_CELL_CHARS``    32,767    characters in one cell (Excel's own limit)
``PAIRNET_MAX_ROWS``          3,000,000 rows in one sheet
``PAIRNET_MAX_JSON_DEPTH``    32        nesting of arrays and objects in a JSON file
``PAIRNET_MAX_PROBLEMS``      1,000     problems reported; the rest are counted
============================  ========  ================================================
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pairnet.graph.errors import InvalidInput, Problem
from pairnet.i18n import N_, _

__all__ = ["LIMITS", "Limit", "bounded_rows", "capped", "check_json_depth"]


@dataclass(frozen=True)
class Limit:
    """One bound: its environment variable, default and what it counts."""

    variable: str
    default: int
    counts: str  # marked with N_, translated when a message is built

    @property
    def value(self) -> int:
        """The bound in force: the environment variable if set to a positive number, else the default."""
        text = os.environ.get(self.variable, "").strip()
        return int(text) if text.isdigit() and int(text) > 0 else self.default

    def exceeded(self, found: str) -> str:
        """The message for an input over this bound."""
        return _("{found}, over the limit of {limit} {counts} ({variable})").format(
            found=found, limit=f"{self.value:,}", counts=_(self.counts), variable=self.variable
        )


LIMITS = {
    "columns": Limit("PAIRNET_MAX_COLUMNS", 500, N_("columns per row")),
    "cell_chars": Limit("PAIRNET_MAX_CELL_CHARS", 32_767, N_("characters per cell")),
    "rows": Limit("PAIRNET_MAX_ROWS", 3_000_000, N_("rows per sheet")),
    "json_depth": Limit("PAIRNET_MAX_JSON_DEPTH", 32, N_("levels of nesting")),
    "problems": Limit("PAIRNET_MAX_PROBLEMS", 1_000, N_("problems reported")),
}


def _refuse(limit: str, found: str, expected: str, **where: Any) -> InvalidInput:
    return InvalidInput([Problem(message=LIMITS[limit].exceeded(found), expected=expected, **where)])


def bounded_rows(
    rows: Iterable[tuple[int, tuple[object, ...]]], *, file: str, sheet: str
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """``rows`` as they come, refused (:class:`InvalidInput`) at the first row past the bound
    on rows, the first row with too many columns or the first cell that is too long."""
    max_rows, max_columns, max_chars = (LIMITS[k].value for k in ("rows", "columns", "cell_chars"))
    for count, (number, cells) in enumerate(rows, 1):
        if count > max_rows:
            raise _refuse(
                "rows",
                _("more than {n} rows").format(n=f"{max_rows:,}"),
                _("split the file"),
                file=file,
                sheet=sheet,
                row=number,
            )
        if len(cells) > max_columns:
            raise _refuse(
                "columns",
                _("{n} columns").format(n=f"{len(cells):,}"),
                _("one column per field; remove the empty or repeated columns"),
                file=file,
                sheet=sheet,
                row=number,
            )
        if _longest(cells) <= max_chars:
            yield number, cells
            continue
        for index, cell in enumerate(cells):
            if type(cell) is str and len(cell) > max_chars:
                raise _refuse(
                    "cell_chars",
                    _("a cell of {n} characters").format(n=f"{len(cell):,}"),
                    _("a name, code or note of ordinary length"),
                    file=file,
                    sheet=sheet,
                    row=number,
                    column=str(index + 1),
                )
        yield number, cells


def _longest(cells: tuple[object, ...]) -> int:
    """At least the length of the longest text among ``cells`` (one native pass when all are
    texts, as in a CSV row); a length over the bound is then looked at cell by cell."""
    try:
        return max(map(len, cells), default=0)  # type: ignore[arg-type]
    except TypeError:  # a workbook's numbers and dates, a JSON file's numbers
        return max((len(c) for c in cells if type(c) is str), default=0)


# A JSON string, written as "unrolled loop" (runs of plain characters, then one escape) for speed.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def check_json_depth(text: str, *, file: str) -> None:
    """Refuse JSON text nested deeper than the bound, before the parser recurses into it."""
    limit = LIMITS["json_depth"].value
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            raise _refuse(
                "json_depth",
                _("arrays or objects nested more than {n} deep").format(n=limit),
                _('{"units": [{...}, ...], "pairings": [...], "flows": [...]}'),
                file=file,
            )


def capped(problems: list[Problem]) -> list[Problem]:
    """The first problems up to the bound, then one line counting the rest."""
    limit = LIMITS["problems"].value
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    more = Problem(
        message=_("{rest} more problems not shown: only the first {limit} are reported (PAIRNET_MAX_PROBLEMS)").format(
            rest=f"{rest:,}", limit=f"{limit:,}"
        ),
        file=problems[limit].file,
        expected=_("fix the problems shown and check again"),
    )
    return [*problems[:limit], more]
