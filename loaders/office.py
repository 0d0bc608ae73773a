"""The other formats offices send: old Excel workbooks (.xls) and tables in Word (.docx).

An .xls workbook is read like an .xlsx one: each sheet named units, pairings or flows (or
单位, 结对, 流动) is a :class:`~loaders.files.Sheet`, date cells become dates. In a Word
document each table is a sheet, labelled ``表1``, ``表2`` ... in problems; which sheet it
holds is read from the paragraph just above it (a caption such as ``东西部协作结对名单``),
else from the file's name. The header row is then found as in a workbook, below any title
rows inside the table.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import xlrd
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from xlrd.biffh import XLRDError

from pairnet.graph.errors import InvalidInput, Problem
from pairnet.i18n import _

__all__ = ["RawSheet", "docx_sheets", "xls_sheets"]

# (sheet it holds, its label in problems, its rows as (row number, cells))
RawSheet = tuple[str, str, Iterator[tuple[int, tuple[object, ...]]]]

# Words in a caption that say which sheet a Word table holds, tried in this order:
# 结对 before 单位, since a pairing list's caption often names units too (帮扶单位结对表).
_CAPTION_WORDS = (("结对", "pairings"), ("流动", "flows"), ("单位", "units"))


def _fail(message: str, file: str, expected: str, **where: Any) -> InvalidInput:
    return InvalidInput([Problem(message=message, file=file, expected=expected, **where)])


def _xls_rows(book: xlrd.book.Book, sheet: xlrd.sheet.Sheet) -> Iterator[tuple[int, tuple[object, ...]]]:
    for index in range(sheet.nrows):
        cells: list[object] = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    cells.append(xlrd.xldate_as_datetime(float(cell.value), book.datemode))
                except (xlrd.xldate.XLDateError, OverflowError):
                    cells.append(cell.value)  # the date column's parser reports it
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                cells.append(bool(cell.value))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                cells.append(None)
            else:
                cells.append(cell.value)
        yield index + 1, tuple(cells)


@contextlib.contextmanager
def xls_sheets(path: Path, *, file: str, sheet_for: Callable[[str], str | None]) -> Iterator[list[RawSheet]]:
    """The sheets of an old .xls workbook whose names ``sheet_for`` knows."""
    expected = _("an .xls workbook saved by Excel or WPS (or the workbook saved as .xlsx)")
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except (XLRDError, OSError, EOFError, ValueError, AssertionError, IndexError, KeyError) as exc:
        raise _fail(_("not a readable .xls workbook: {reason}").format(reason=exc), file, expected) from None
    try:
        sheets = []
        for sheet in book.sheets():
            name = sheet_for(sheet.name)
            if name is not None:
                sheets.append((name, sheet.name, _xls_rows(book, sheet)))
        if not sheets:
            raise _fail(
                _("no sheet named units, pairings or flows (found: {titles})").format(
                    titles="、".join(book.sheet_names())
                ),
                file,
                _("sheets units, pairings, flows (or 单位, 结对, 流动)"),
            )
        yield sheets
    finally:
        book.release_resources()


def _caption_sheet(caption: str | None, sheet_for: Callable[[str], str | None]) -> str | None:
    if not caption:
        return None
    named = sheet_for(caption)
    return named or next((sheet for word, sheet in _CAPTION_WORDS if word in caption), None)


def _word_rows(table: WordTable) -> Iterator[tuple[int, tuple[object, ...]]]:
    for number, row in enumerate(table.rows, 1):
        yield number, tuple(cell.text for cell in row.cells)


@contextlib.contextmanager
def docx_sheets(path: Path, *, file: str, sheet_for: Callable[[str], str | None]) -> Iterator[list[RawSheet]]:
    """One sheet per table of a Word document (see the module's description)."""
    expected = _("a Word .docx document holding tables")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _fail(_("not a readable .docx document: {reason}").format(reason=exc), file, expected) from None
    except Exception as exc:  # python-docx raises its own types for damaged parts
        raise _fail(
            _("not a readable .docx document: {reason}").format(reason=type(exc).__name__), file, expected
        ) from None
    sheets, problems, caption, number = [], [], None, 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            caption = block.text.strip() or caption
            continue
        number += 1
        label = f"表{number}"
        name = _caption_sheet(caption, sheet_for) or sheet_for(path.stem)
        if name is None:
            problems.append(
                Problem(
                    message=_("cannot tell which sheet this table holds"),
                    file=file,
                    sheet=label,
                    expected=_("a caption above the table such as 结对名单 or 单位清单, or a file named 结对.docx"),
                )
            )
        else:
            sheets.append((name, label, _word_rows(block)))
        caption = None
    if not number:
        raise _fail(_("the document holds no table"), file, expected)
    if problems:
        raise InvalidInput(problems)
    yield sheets
