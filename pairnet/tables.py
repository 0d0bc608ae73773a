"""Rows of plain dicts as tables: a rich table for the terminal, CSV, XLSX and JSON bytes.

The CLI and the API both export through here, so a planner gets the same file either way.
Spreadsheet exports (CSV, XLSX) neutralise formula injection: a text cell that starts with
``=``, ``+``, ``-`` or ``@`` (also after leading spaces, tabs or line breaks) gets a leading
apostrophe, so Excel and WPS show it as text instead of running it. JSON and the terminal
table keep values as they are, since nothing evaluates them.

Examples
--------
>>> rows = [{"name": "高峰村", "pairings": 2}, {"name": "=HYPERLINK(1)", "pairings": 0}]
>>> to_csv(rows).decode("utf-8-sig").splitlines()
['name,pairings', '高峰村,2', "'=HYPERLINK(1),0"]
>>> to_json(rows, ["pairings"]).decode()
'[{"pairings": 2}, {"pairings": 0}]'
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from pairnet.i18n import _, current_language
from pairnet.loaders.formulas import mark

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "Caption",
    "FORMATS",
    "MEDIA_TYPES",
    "columns_of",
    "neutralise",
    "render",
    "save_workbook",
    "to_csv",
    "to_json",
    "to_rich",
    "to_titled_xlsx",
    "to_xlsx",
]

Row = Mapping[str, object]

FORMATS = ("table", "csv", "json", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Caption:
    """What makes an export report-ready: its ``title`` row (what was counted: kind, place,
    date, levels), and for the XLSX "About" sheet the ``source`` (the exact command or URL
    that produced it) and the store's data ``version``."""

    title: str
    source: str
    version: str = ""


# Widths are measured on this many rows: enough for a fair width, cheap on a million rows.
_WIDTH_SAMPLE = 1000
_MAX_WIDTH = 60


def neutralise(value: object) -> object:
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would read as a
    formula, or that starts with the apostrophe itself, gets a leading apostrophe (which the
    loaders take off again, :mod:`pairnet.loaders.formulas`); anything else is unchanged.

    >>> neutralise("=1+1"), neutralise(" \\t-2"), neutralise("张家港"), neutralise(-2)
    ("'=1+1", "' \\t-2", '张家港', -2)
    """
    return mark(value) if isinstance(value, str) else value


def columns_of(rows: Iterable[Row]) -> list[str]:
    """The keys of ``rows`` in first-seen order.

    >>> columns_of([{"a": 1}, {"b": 2, "a": 3}])
    ['a', 'b']
    """
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _plain(value: object) -> object:
    """A JSON-friendly scalar or container for ``value``."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def _text(value: object) -> str:
    """How ``value`` reads in one text cell: lists joined with ';', mappings as JSON."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 6594 万元, not 6594.0
    if isinstance(value, list):
        return ";".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _columns(rows: Sequence[Row], columns: Sequence[str] | None) -> list[str]:
    return list(columns) if columns is not None else columns_of(rows)


def _csv_cell(value: object) -> str:
    # Numbers are written as they are: "-3" is a number to Excel, not a formula.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return mark(_text(value))


def to_csv(rows: Sequence[Row], columns: Sequence[str] | None = None, *, headers: Sequence[str] | None = None) -> bytes:
    """CSV bytes in UTF-8 with a byte-order mark, so that Excel in Chinese locales reads
    the names right; one header line (``headers``, else the column keys), then one line per row."""
    cols = _columns(rows, columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in (cols if headers is None else headers)])
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in cols])
    return buffer.getvalue().encode("utf-8-sig")


def to_json(rows: Sequence[Row], columns: Sequence[str] | None = None) -> bytes:
    """A JSON array of objects (UTF-8, Chinese kept as is), keys in column order."""
    cols = _columns(rows, columns)
    data = [{c: _plain(row.get(c)) for c in cols} for row in rows]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _xlsx_value(value: object, illegal: re.Pattern) -> object:
    value = value.value if isinstance(value, enum.Enum) else value
    if value is None or isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    return neutralise(illegal.sub("", _text(value)))


# A workbook's stamps (document properties, zip entry times) are this fixed moment, so that
# the same rows give the same bytes from the CLI and the API, today and tomorrow.
_STAMP = dt.datetime(2000, 1, 1)


class _StampedZip(zipfile.ZipFile):
    """A zip archive whose entries all carry :data:`_STAMP` instead of the time of writing."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_STAMP.timetuple()[:6])
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as handle:
            self.writestr(arcname or str(filename), handle.read(), compress_type, compresslevel)


def to_xlsx(rows: Sequence[Row], columns: Sequence[str] | None = None, *, sheet: str = "data") -> bytes:
    """An XLSX workbook with one sheet: a bold, frozen header row, then the rows; numbers
    and dates stay numbers and dates, column widths fit the content (CJK counts double).
    The same rows always give the same bytes (the workbook's stamps are fixed)."""
    # openpyxl (and the numpy it pulls in) takes most of a second to import: only on use.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = _columns(rows, columns)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=sheet[:31] or "data")
    values = [[_xlsx_value(row.get(c), ILLEGAL_CHARACTERS_RE) for c in cols] for row in rows]
    for index, column in enumerate(cols, start=1):
        sample = [column, *(_text(v) for v in (r[index - 1] for r in values[:_WIDTH_SAMPLE]))]
        width = max(cell_len(s) for s in sample)
        ws.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in cols:
        cell = WriteOnlyCell(ws, value=str(_xlsx_value(column, ILLEGAL_CHARACTERS_RE)))  # a header: text
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row_values in values:
        ws.append(row_values)
    return save_workbook(workbook)


def save_workbook(workbook: Workbook) -> bytes:
    """The bytes of an openpyxl ``workbook``, its stamps fixed: the same content always
    gives the same bytes, from the CLI and the API, today and tomorrow."""
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = workbook.properties.modified = _STAMP
    buffer = io.BytesIO()
    ExcelWriter(workbook, _StampedZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


def to_rich(rows: Sequence[Row], columns: Sequence[str] | None = None, *, title: str | None = None) -> Table:
    """A :class:`rich.table.Table` of ``rows``; numbers are right-aligned."""
    cols = _columns(rows, columns)
    table = Table(title=title)
    for column in cols:
        numeric = any(
            isinstance(row.get(column), (int, float)) and not isinstance(row.get(column), bool) for row in rows
        )
        table.add_column(column, justify="right" if numeric else "left")
    for row in rows:
        # Text, not str: a name like "[/x]" is data, not rich markup.
        table.add_row(*(Text(_text(row.get(c))) for c in cols))
    return table


def to_titled_xlsx(rows: Sequence[Row], columns: Sequence[str] | None, caption: Caption, *, sheet: str) -> bytes:
    """A report-ready XLSX in the style of ``pairnet report`` (:mod:`pairnet.workbook`):
    title row, header in the reader's language, labels, date and percent cells, autofilter,
    frozen title and header, fitted widths, and an "About" sheet with the title, the data
    version and the command or URL."""
    from pairnet.workbook import Sheet, to_report_xlsx

    figures: list[tuple[str, object]] = [(_("question"), caption.title), (_("rows"), len(rows))]
    if caption.version:
        figures.append((_("data version"), caption.version))
    return to_report_xlsx(
        [Sheet(sheet[:31] or "data", caption.title, _columns(rows, columns), rows)],
        figures=figures,
        source=caption.source,
    )


def render(
    rows: Sequence[Row],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    sheet: str = "data",
    caption: Caption | None = None,
) -> bytes:
    """``rows`` as the bytes of a file in ``fmt`` (csv, json or xlsx); with a ``caption``
    XLSX is report-ready (:func:`to_titled_xlsx`). JSON stays what tools read: identifiers
    as keys and values. CSV has one header row and no title, in the reader's language: in
    Chinese the input format's Chinese column names and the enum labels, as in the XLSX; in
    English the identifiers themselves (``unit_of_measure``, ``never_paired``), which the
    scripts that read CSV rely on. Either way a list of units, pairings or flows loads
    back as it is. The CSV has a byte-order mark, so that Excel reads the Chinese right."""
    if fmt == "csv":
        # Imported on use: the wording pulls in the service layer and networkx.
        from pairnet.service.wording import header, labelled

        if current_language() != "zh":
            return to_csv(rows, columns)
        cols = _columns(rows, columns)
        return to_csv(labelled(rows), cols, headers=[header(column) for column in cols])
    if fmt == "json":
        return to_json(rows, columns)
    if fmt == "xlsx":
        return (
            to_xlsx(rows, columns, sheet=sheet)
            if caption is None
            else to_titled_xlsx(rows, columns, caption, sheet=sheet)
        )
    raise ValueError(_("unknown format {value}; expected one of csv, json, xlsx").format(value=repr(fmt)))
