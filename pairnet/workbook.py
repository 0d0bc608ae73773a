"""Report-ready workbooks: sheets a cooperation office forwards as they are.

Each sheet has a title row naming the question, place, date and levels, then a header row
in the reader's language (:func:`pairnet.service.wording.header`), then the rows with enum
values as labels, real date cells, shares formatted as percentages, an autofilter over the
table, the title and header frozen, and widths fitted to the content. A last sheet holds
the figures and the exact command or URL that produced the workbook.

The same sheets always give the same bytes (:func:`pairnet.tables.save_workbook`), so the
CLI and the API send the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from pairnet.i18n import N_, _
from pairnet.service.wording import PERCENT_COLUMNS, header, labelled
from pairnet.tables import neutralise, save_workbook

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["DATE_COLUMNS", "Sheet", "to_report_xlsx"]

DATE_COLUMNS = frozenset({"as_of", "last_end", "next_start", "start", "end", "valid_from", "valid_to"})
ABOUT_SHEET = N_("About")
SOURCE = N_("Produced by")
ASSUMED = N_("Assumed values")
ITALICS_NOTE = N_(
    "Values in italics are assumed: chosen by a rule or an assumption of the data, not taken from a source"
)
_MAX_WIDTH = 60
_DATE_FORMAT = "yyyy-mm-dd"
_PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Sheet:
    """One sheet of a report: its tab ``name``, ``title`` row, ``columns`` (identifiers,
    shown through :func:`~pairnet.service.wording.header`) and ``rows``."""

    name: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def _text(value: str) -> object:
    """``value`` as a cell can hold it: without the control characters XLSX forbids (a title
    repeats what was asked, ``stage`` or ``program`` text included), and neutralised."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def _cell(column: str, value: object) -> object:
    if column in DATE_COLUMNS and isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return _text(value)
    if isinstance(value, (list, tuple)):
        return _text(";".join(str(item) for item in value))
    if value is None or isinstance(value, (bool, int, float, dt.date)):
        return value
    return _text(str(value))


def _shown(value: object, column: str) -> str:
    if isinstance(value, float) and column in PERCENT_COLUMNS:
        return f"{value:.1%}"
    return "" if value is None else str(value)


def _fill(ws: Worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = list(sheet.columns)
    ws.append([_text(sheet.title)])  # a title names places: a name may look like a formula
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([header(column) for column in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    italic = Font(italic=True)
    for original, row in zip(sheet.rows, labelled(sheet.rows), strict=True):
        ws.append([_cell(column, row.get(column)) for column in columns])
        for column in original.get("assumed") or ():  # assumed values: marked and in italics
            if column in columns:
                ws.cell(ws.max_row, columns.index(column) + 1).font = italic
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = ws[letter][2:]
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = _DATE_FORMAT
            elif column in PERCENT_COLUMNS and isinstance(cell.value, float):
                cell.number_format = _PERCENT_FORMAT
        width = max([cell_len(header(column)), *(cell_len(_shown(cell.value, column)) for cell in cells)])
        ws.column_dimensions[letter].width = min(max(width, 8) + 2, _MAX_WIDTH)
    ws.freeze_panes = "A3"
    last = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"


def to_report_xlsx(sheets: Sequence[Sheet], *, figures: Sequence[tuple[str, object]], source: str) -> bytes:
    """A workbook of ``sheets``, then a sheet with the ``figures`` (label, value) and the
    ``source``: the command or URL that produced it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    if workbook.active is not None:  # the default sheet: the report names its own
        workbook.remove(workbook.active)
    for sheet in sheets:
        _fill(workbook.create_sheet(title=sheet.name[:31]), sheet)
    about = workbook.create_sheet(title=_(ABOUT_SHEET)[:31])
    for label, value in figures:
        about.append([_text(label), _cell("", value)])
        cell = about.cell(about.max_row, 2)
        if isinstance(value, dt.date):
            cell.number_format = _DATE_FORMAT
        elif isinstance(value, float):
            cell.number_format = _PERCENT_FORMAT
    if any(row.get("assumed") for sheet in sheets for row in sheet.rows):
        about.append([_(ASSUMED), _(ITALICS_NOTE)])
    about.append([])
    about.append([_(SOURCE), _text(source)])
    for cell in about["A"]:
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = min(max(cell_len(str(c.value or "")) for c in about["A"]) + 2, _MAX_WIDTH)
    about.column_dimensions["B"].width = _MAX_WIDTH
    return save_workbook(workbook)
