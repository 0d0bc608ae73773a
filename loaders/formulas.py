"""The mark that keeps a spreadsheet from running a cell as a formula, and its inverse.

Exports (:mod:`pairnet.tables`) put an apostrophe before text that a spreadsheet would read
as a formula (``=``, ``+``, ``-``, ``@`` first) and before text that already starts with an
apostrophe, so that the mark is never ambiguous; the loaders take exactly one apostrophe off
such text, so that export → import gives back the original text.
"""

from __future__ import annotations

__all__ = ["FORMULA_MARK", "FORMULA_STARTS", "mark", "unmark"]

FORMULA_MARK = "'"
FORMULA_STARTS = ("=", "+", "-", "@")
_MARKED = (*FORMULA_STARTS, FORMULA_MARK)


def mark(text: str) -> str:
    """``text`` safe for a spreadsheet cell.

    >>> mark("=1+1"), mark(" -2"), mark("'s-Hertogenbosch"), mark("张家港")
    ("'=1+1", "' -2", "''s-Hertogenbosch", '张家港')
    """
    return FORMULA_MARK + text if text.lstrip(" \t\r\n").startswith(_MARKED) else text


def unmark(text: str) -> str:
    """The text :func:`mark` was given: one apostrophe off marked text, else unchanged.

    >>> unmark("'=1+1"), unmark("' -2"), unmark("''s-Hertogenbosch"), unmark("'abc")
    ('=1+1', ' -2', "'s-Hertogenbosch", "'abc")
    """
    if text.startswith(FORMULA_MARK) and text[1:].lstrip(" \t\r\n").startswith(_MARKED):
        return text[1:]
    return text
