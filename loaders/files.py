"""Opening an input: an .xlsx workbook, a folder of CSVs, one CSV or a JSON file → sheets
(old .xls workbooks and Word tables: :mod:`loaders.office`).

A :class:`Sheet` is one table of the input (units, pairings or flows) as raw rows; nothing
here knows what the columns mean. Anything that makes the whole file unreadable (empty,
the wrong type, truncated, undecodable, macros) raises :class:`~graph.InvalidInput`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from pairnet.graph.errors import InvalidInput, Problem
from pairnet.i18n import N_, _

from .formulas import FORMULA_MARK, unmark
from .limits import LIMITS, bounded_rows, check_json_depth
from .office import docx_sheets, xls_sheets
from .values import normalize

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "SHEETS",
    "SHEET_NAMES",
    "Sheet",
    "decode",
    "max_input_bytes",
    "open_sheets",
    "sheet_for",
]

SHEETS = ("units", "pairings", "flows")

# The names a sheet (or a CSV file's stem) may have; a mapping file can add more.
SHEET_NAMES = {
    "units": ("units", "unit", "单位", "单位表", "单位清单"),
    "pairings": ("pairings", "pairing", "结对", "结对关系", "结对帮扶", "结对表"),
    "flows": ("flows", "flow", "流动", "帮扶流动", "资金人员流动", "流动表"),
}

_MAGIC = {
    b"%PDF": N_("a PDF document"),
    b"\xd0\xcf\x11\xe0": N_("an old .xls (or other OLE) file"),
    b"PK\x03\x04": N_("a zip archive (an .xlsx workbook?)"),
    b"\x89PNG": N_("a PNG image"),
    b"\xff\xd8\xff": N_("a JPEG image"),
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb"}
_OFFICE = {".xls": xls_sheets, ".docx": docx_sheets}
DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024
# Workbook XML is verbose: the same rows take about four times the bytes of a CSV.
_WORKBOOK_FACTOR = 4


def max_input_bytes() -> int:
    """The most bytes a CSV or JSON input may hold; a workbook may hold four times that once
    uncompressed (the bound that stops a zip bomb). ``PAIRNET_MAX_INPUT_BYTES`` overrides the
    default of 256 MiB, about three times a national file of a million units."""
    return int(os.environ.get("PAIRNET_MAX_INPUT_BYTES") or DEFAULT_MAX_INPUT_BYTES)


def _too_large(size: int, what: str, file: str, *, limit: int) -> InvalidInput:
    return _fail(
        _("{what} {size} bytes, over the limit of {limit} bytes (PAIRNET_MAX_INPUT_BYTES)").format(
            what=what, size=f"{size:,}", limit=f"{limit:,}"
        ),
        file,
        _("at most {limit} bytes; split the file").format(limit=f"{limit:,}"),
    )


@dataclass
class Sheet:
    """One table of the input.

    ``rows`` yields ``(row number as a person sees it, cells)``. A workbook or CSV sheet
    starts with its header row (row 1); a JSON list has no header row, so ``header`` is
    given and its objects are rows 1, 2, ...
    """

    name: str
    label: str
    file: str
    rows: Iterator[tuple[int, tuple[object, ...]]]
    header: tuple[str, ...] | None = None


def _fail(message: str, file: str, expected: str | None = None, **where: Any) -> InvalidInput:
    return InvalidInput([Problem(message=message, file=file, expected=expected, **where)])


def sheet_for(name: str, extra: dict[str, str] | None = None) -> str | None:
    """The sheet a sheet name or CSV stem stands for, or ``None``.

    >>> sheet_for("结对"), sheet_for("zhangjiagang-yanhe-units"), sheet_for("说明")
    ('pairings', 'units', None)
    """
    names = {normalize(a): sheet for sheet, aliases in SHEET_NAMES.items() for a in aliases}
    names.update((normalize(k), v) for k, v in (extra or {}).items())
    key = normalize(name)
    if key in names:
        return names[key]
    last = re.split(r"[-_.\s]+", name.strip())[-1]
    return names.get(normalize(last))


def decode(data: bytes, file: str) -> str:
    """Text of a CSV or JSON file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _fail(
                    _("not valid {encoding} text despite its byte-order mark: {reason} at byte {start}").format(
                        encoding=encoding.upper(), reason=exc.reason, start=exc.start
                    ),
                    file,
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise _fail(
                _("cannot decode the text: not UTF-8 (byte {byte} at offset {offset}) and not GB18030/GBK").format(
                    byte=f"{data[utf8_error.start]:#04x}", offset=utf8_error.start
                ),
                file,
                _("text saved as CSV UTF-8, UTF-8 with BOM or GB18030/GBK"),
            ) from None


def _read_bytes(path: Path, file: str, expected: str) -> bytes:
    size = path.stat().st_size
    if size > (limit := max_input_bytes()):
        raise _too_large(size, _("the file holds"), file, limit=limit)
    data = path.read_bytes()
    if not next((data[len(bom) :] for bom, _ in _BOMS if data.startswith(bom)), data).strip():
        raise _fail(_("the file is empty"), file, expected)
    return data


def _looks_binary(data: bytes, file: str, expected: str) -> None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise _fail(_("not a text file: it looks like {what}").format(what=_(what)), file, expected)
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(_("not a text file: it holds binary data"), file, expected)


def _csv_sheet(path: Path, *, name: str, label: str, file: str) -> Sheet:
    expected = _("a CSV text file")
    data = _read_bytes(path, file, expected)
    _looks_binary(data, file, expected)
    content = decode(data, file)
    first_line = content.split("\n", 1)[0]
    delimiter = "," if "," in first_line else "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    rows = bounded_rows(_csv_rows(content, delimiter, file=file, label=label), file=file, sheet=label)
    return Sheet(name=name, label=label, file=file, rows=rows)


def _csv_rows(content: str, delimiter: str, *, file: str, label: str) -> Iterator[tuple[int, tuple[object, ...]]]:
    # The csv module stops a field at its own bound, so an endless cell is never held whole.
    csv.field_size_limit(LIMITS["cell_chars"].value + 1)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    # Only a text holding the mark somewhere can hold a marked cell: the others skip the look at each cell.
    cells_of = _unmarked if FORMULA_MARK in content else tuple
    number = 0
    try:
        for number, row in enumerate(reader, 1):
            yield number, cells_of(tuple(row))
    except csv.Error as exc:
        if "field limit" not in str(exc):  # a NUL past the sniffed start, or broken quoting
            raise _fail(
                _("not a readable CSV line"), file, _("text without NUL characters"), sheet=label, row=number + 1
            ) from None
        raise _fail(
            LIMITS["cell_chars"].exceeded(_("a cell longer than the limit")),
            file,
            _("a name, code or note of ordinary length (or a missing closing quote)"),
            sheet=label,
            row=number + 1,
        ) from None


def _json_sheets(path: Path, *, file: str, extra: dict[str, str]) -> list[Sheet]:
    expected = _('a JSON object {"units": [...], "pairings": [...], "flows": [...]}')
    data = _read_bytes(path, file, expected)
    _looks_binary(data, file, expected)
    text = decode(data, file)
    check_json_depth(text, file=file)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            _("not valid JSON: {reason} at line {line}, column {column}").format(
                reason=exc.msg, line=exc.lineno, column=exc.colno
            ),
            file,
            expected,
        ) from None
    if not isinstance(document, dict):
        raise _fail(_("the top level is a JSON {type}").format(type=type(document).__name__), file, expected)
    sheets, problems = [], []
    for key, items in document.items():
        name = sheet_for(key, extra)
        if name is None:
            problems.append(
                Problem(
                    message=_("unknown key"), file=file, sheet=key, value=key, expected=_("units, pairings or flows")
                )
            )
            continue
        if not isinstance(items, list):
            problems.append(
                Problem(message=_("not a list of objects"), file=file, sheet=key, expected=_("a list of objects"))
            )
            continue
        bad = [n for n, item in enumerate(items, 1) if not isinstance(item, dict)]
        shown = max(0, LIMITS["problems"].value - len(problems))
        expected = _("a JSON object with one key per column")
        problems.extend(
            Problem(message=_("not an object"), file=file, sheet=key, row=n, expected=expected) for n in bad[:shown]
        )
        if len(bad) > shown:
            problems.append(
                Problem(
                    message=LIMITS["problems"].exceeded(
                        _("{n} more items that are not objects").format(n=f"{len(bad) - shown:,}")
                    ),
                    file=file,
                    sheet=key,
                    expected=expected,
                )
            )
            raise InvalidInput(problems)
        header = tuple(dict.fromkeys(k for item in items if isinstance(item, dict) for k in item))
        if len(header) > LIMITS["columns"].value:
            raise _fail(
                LIMITS["columns"].exceeded(_("{n} different keys").format(n=f"{len(header):,}")),
                file,
                _("one key per field, the same in every object"),
                sheet=key,
            )
        rows = bounded_rows(_json_rows(items, header), file=file, sheet=key)
        sheets.append(Sheet(name=name, label=key, file=file, rows=rows, header=header))
    if problems:
        raise InvalidInput(problems)
    return sheets


def _json_rows(items: list[object], header: tuple[str, ...]) -> Iterator[tuple[int, tuple[object, ...]]]:
    return ((n, tuple(item.get(k) for k in header)) for n, item in enumerate(items, 1) if isinstance(item, dict))


def _unmarked(cells: tuple[object, ...]) -> tuple[object, ...]:
    """``cells`` with the export's formula mark taken off (see :mod:`.formulas`)."""
    if any(type(c) is str and c.startswith(FORMULA_MARK) for c in cells):
        return tuple(unmark(c) if type(c) is str else c for c in cells)
    return cells


def _xlsx_rows(
    cell_rows: Callable[[], Iterator[tuple[object, ...]]], file: str, label: str
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The rows ``cell_rows()`` yields (a worksheet's), numbered; a damaged part is a problem."""
    try:
        for number, cells in enumerate(cell_rows(), 1):
            yield number, _unmarked(cells)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as exc:
        raise _fail(
            _("the workbook is damaged: {fault}").format(fault=_workbook_fault(exc)),
            file,
            _("an intact .xlsx workbook"),
            sheet=label,
        ) from None


def _workbook_fault(error: Exception) -> str:
    """What is wrong with a workbook, in our words: a library's own message may name the
    server's temporary files or its internals, so only the archive's own findings pass."""
    text = str(error)
    if isinstance(error, zipfile.BadZipFile) and "Bad CRC-32 for file" in text:
        # names the damaged part of the archive (its last word), nothing of the server
        return _("Bad CRC-32 for file {part}").format(part=text.rsplit(" ", 1)[-1])
    if isinstance(error, zipfile.BadZipFile) and "Bad magic number for" in text:
        return _("a part of the archive has a damaged header")
    if "amplification" in text or "entit" in text.lower() or "DTD" in text:
        return _("it declares XML entities (a DTD), which workbooks never need")
    if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError)):
        return _("the archive is truncated or damaged")
    return _("a part of it is damaged or not in the xlsx format")


@contextlib.contextmanager
def _xlsx_sheets(path: Path, *, file: str, extra: dict[str, str]) -> Iterator[list[Sheet]]:
    expected = _("an .xlsx workbook saved by Excel, WPS or LibreOffice")
    data = _read_bytes(path, file, expected)
    for magic, what in _MAGIC.items():
        if data.startswith(magic) and magic != b"PK\x03\x04":
            raise _fail(_("not an xlsx workbook: it looks like {what}").format(what=_(what)), file, expected)
    if not data.startswith(b"PK\x03\x04"):
        raise _fail(_("not an xlsx workbook: it is not a zip archive (plain text renamed .xlsx?)"), file, expected)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _fail(
            _("not an xlsx workbook: the archive is truncated or damaged ({reason})").format(reason=exc), file, expected
        ) from None
    members = {info.filename for info in infos}
    # zipfile never inflates an entry past its declared size, so the declared sizes bound the read.
    uncompressed = sum(info.file_size for info in infos)
    if uncompressed > (limit := _WORKBOOK_FACTOR * max_input_bytes()):
        raise _too_large(uncompressed, _("uncompressed, the workbook holds"), file, limit=limit)
    if any(m.lower().endswith("vbaproject.bin") for m in members):
        raise _fail(
            _("the workbook contains macros; they are not accepted"), file, _("an .xlsx workbook without macros")
        )
    if "xl/workbook.xml" not in members:
        raise _fail(_("not an xlsx workbook: a zip archive without xl/workbook.xml"), file, expected)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for damaged parts
        raise _fail(
            _("not a readable xlsx workbook: {fault}").format(fault=_workbook_fault(exc)), file, expected
        ) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            name = sheet_for(worksheet.title, extra)
            if name is None:
                continue  # other sheets (a read-me, a chart) are allowed and ignored
            worksheet.reset_dimensions()  # some writers record wrong dimensions
            cell_rows = functools.partial(worksheet.iter_rows, values_only=True)
            rows = bounded_rows(_xlsx_rows(cell_rows, file, worksheet.title), file=file, sheet=worksheet.title)
            sheets.append(Sheet(name=name, label=worksheet.title, file=file, rows=rows))
        if not sheets:
            titles = "、".join(workbook.sheetnames)
            raise _fail(
                _("no sheet named units, pairings or flows (found: {titles})").format(titles=titles),
                file,
                _("sheets units, pairings, flows (or 单位, 结对, 流动)"),
            )
        yield sheets
    finally:
        workbook.close()


@contextlib.contextmanager
def open_sheets(path: Path, *, file: str, extra: dict[str, str] | None = None) -> Iterator[list[Sheet]]:
    """The sheets of ``path``, named ``file`` in problems; ``extra`` maps more sheet names."""
    extra = extra or {}
    kinds = _(
        "an .xlsx or .xls workbook, a .docx document with tables, a .csv file, a .json file or a folder of CSV files"
    )
    if path.is_dir():
        found: dict[str, Path] = {}
        problems = []
        for csv_path in sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"):
            name = sheet_for(csv_path.stem, extra)
            if name in found:
                problems.append(
                    Problem(
                        message=_("two files for sheet {sheet}: {first} and {second}").format(
                            sheet=name, first=found[name].name, second=csv_path.name
                        ),
                        file=file,
                        sheet=csv_path.name,
                        expected=_("one CSV file per sheet"),
                    )
                )
            elif name is not None:
                found[name] = csv_path
        if not found:
            problems.append(
                Problem(
                    message=_("no units.csv, pairings.csv or flows.csv in the folder"),
                    file=file,
                    expected=_("CSV files named units, pairings, flows (or 单位, 结对, 流动)"),
                )
            )
        if problems:
            raise InvalidInput(problems)
        yield [_csv_sheet(p, name=n, label=p.name, file=file) for n, p in found.items()]
        return
    if not path.exists():
        raise _fail(_("no such file or folder"), file, kinds)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        with _xlsx_sheets(path, file=file, extra=extra) as sheets:
            yield sheets
    elif suffix in _MACRO_SUFFIXES:
        raise _fail(
            _("{suffix} workbooks (macros or binary format) are not accepted").format(suffix=suffix),
            file,
            _("the workbook saved as .xlsx"),
        )
    elif suffix in _OFFICE:
        if (size := path.stat().st_size) > (limit := max_input_bytes()):
            raise _too_large(size, _("the file holds"), file, limit=limit)
        with _OFFICE[suffix](path, file=file, sheet_for=lambda name: sheet_for(name, extra)) as raw:
            yield [Sheet(name=name, label=label, file=file, rows=rows) for name, label, rows in raw]
    elif suffix in {".csv", ".txt", ".tsv"}:
        name = sheet_for(path.stem, extra)
        if name is None:
            raise _fail(
                _("cannot tell which sheet this CSV file holds from its name"),
                file,
                _("a file named units.csv, pairings.csv or flows.csv (or 单位.csv, 结对.csv, 流动.csv)"),
            )
        yield [_csv_sheet(path, name=name, label=name, file=file)]
    elif suffix == ".json":
        yield _json_sheets(path, file=file, extra=extra)
    else:
        raise _fail(_("unsupported file type {suffix}").format(suffix=suffix or _("(no suffix)")), file, kinds)
