"""Fuzzing the loaders with damaged real files, imported into a real store.

Each example starts from a valid Zhangjiagang–Yanhe workbook (tests/support/loader_files.py) and
applies random damage: wrong cell types, missing, extra and duplicate columns, very long
cells, control characters, formulas, merged cells, empty sheets, huge numbers, dates as
text and as Excel serials; CSV copies get odd encodings. The property: the import either
loads every non-blank row, or is refused with :class:`InvalidInput` whose problems are
located (file, and sheet/row/column where there is one) and say what was expected — never
another exception — and after a refusal the store is exactly as before.

(tests/loaders/test_loaders_fuzz.py feeds random tables, bytes and JSON to the reader alone.)

Examples per test: 25 in the suite; ``make fuzz`` selects the ``long`` profile (2,000) with
``PAIRNET_FUZZ_PROFILE=long``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pairnet.graph import InvalidInput
from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.loader_files import ENGLISH, copy, write_csv
from tests.support.reliability import LEAK_MARKERS

settings.register_profile(
    "suite",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = os.environ.get("PAIRNET_FUZZ_PROFILE", "suite")

SHEETS = ("units", "pairings", "flows")

# Values that are wrong in type or shape for some column, and the ones people really type.
ODD_VALUES = st.one_of(
    st.sampled_from(
        [
            0,
            -1,
            1.5,
            10**30,
            -(10**30),
            1e308,
            float("inf"),
            float("nan"),
            True,
            False,
            43465,
            43465.5,
            60,
            2958466,
            "43465",
            "2018/13/45",
            "2018年2月30日",
            "明年",
            "二〇一八年",
            "=1+1",
            '=HYPERLINK("http://x")',
            "+1",
            "-1",
            "@SUM(A1)",
            "\x00",
            "\x07bell",
            "a\x1bb",
            "\ufeff",
            "\u202e反向",
            "\r\n",
            "😀",
            " ",
            "",
            None,
            "沿河土家族自治县/中界镇/高峰村",
            "320582",
            "x" * 100_000,
        ]
    ),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
)


@st.composite
def damage(draw) -> list[tuple]:
    """A list of operations, each applied to a copy of the workbook's rows."""
    operations = []
    for _ in range(draw(st.integers(1, 4))):
        sheet = draw(st.sampled_from(SHEETS))
        kind = draw(
            st.sampled_from(
                [
                    "cell",
                    "cell",
                    "cell",
                    "drop_column",
                    "extra_column",
                    "duplicate_header",
                    "empty_sheet",
                    "drop_sheet",
                    "blank_row",
                    "merge",
                    "formula",
                    "long_row",
                ]
            )
        )
        operations.append((kind, sheet, draw(st.integers(0, 40)), draw(st.integers(0, 10)), draw(ODD_VALUES)))
    return operations


def _apply(sheets: dict[str, list[list]], operations: list[tuple]) -> tuple[dict[str, list[list]], list[tuple]]:
    """The damaged rows, and the cells to merge or turn into formulas (done on the workbook)."""
    sheets = copy(sheets)
    workbook_edits = []
    for kind, sheet, row, column, value in operations:
        rows = sheets.get(sheet)
        if rows is None:
            continue
        width = max((len(r) for r in rows), default=1) or 1
        r, c = (row % len(rows) if rows else 0), column % width
        if kind == "cell" and rows:
            rows[r] += [""] * (c + 1 - len(rows[r]))
            rows[r][c] = value
        elif kind == "drop_column":
            for cells in rows:
                del cells[c : c + 1]
        elif kind == "extra_column" and rows:
            rows[0].append(value if isinstance(value, str) else "extra")
            for cells in rows[1:]:
                cells.append(value)
        elif kind == "duplicate_header" and rows:
            rows[0].append(rows[0][c % len(rows[0])] if rows[0] else "name")
        elif kind == "empty_sheet":
            rows.clear()
        elif kind == "drop_sheet":
            del sheets[sheet]
        elif kind == "blank_row":
            rows.insert(r, [""] * width)
        elif kind == "long_row" and rows:
            rows[r] += [value] * 50
        elif kind in ("merge", "formula"):
            workbook_edits.append((kind, sheet, r + 1, c + 1, value))
    return sheets, workbook_edits


def _write_xlsx(path: Path, sheets: dict[str, list[list]], edits: list[tuple]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append([_cell(v) for v in row])
    if not sheets:  # every data sheet dropped: a workbook with only a read-me sheet
        workbook.create_sheet("说明")
    for kind, sheet, row, column, _ in edits:
        if sheet not in workbook.sheetnames:
            continue
        worksheet = workbook[sheet]
        if kind == "merge":
            worksheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column + 1)
        else:  # openpyxl saves no cached value: a formula reads as an empty cell
            worksheet.cell(row=row, column=column, value='=CONCATENATE("a","b")')
    workbook.save(path)
    return path


def _cell(value):
    """What openpyxl can store: it refuses control characters, so those stay in CSVs only;
    an Excel cell holds at most 32,767 characters."""
    if value == "":
        return None
    if isinstance(value, str):
        cleaned = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        return cleaned[:32_767]
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and abs(value) == float("inf"):
        return str(value)
    return value


def _non_blank_rows(path: Path) -> dict[str, int]:
    """Data rows (below the header) that hold anything, per sheet, read back from the file."""
    counts = {}
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in workbook.sheetnames:
            rows = [
                r
                for r in workbook[sheet].iter_rows(values_only=True)
                if any(c is not None and str(c).strip() for c in r)
            ]
            counts[sheet] = max(0, len(rows) - 1)
        workbook.close()
    return counts


def _digest(store) -> str:
    snapshot = store.snapshot()
    return hashlib.sha256(snapshot.model_dump_json().encode("utf-8")).hexdigest()


def _check(store, path: Path, expected_rows: dict[str, int] | None = None) -> None:
    before_version, before = store.version(), _digest(store)
    try:
        report = import_file(store, path, source=f"fuzz-{path.name}", confirm=True)
    except InvalidInput as error:
        event("refused")
        assert error.problems
        for problem in error.problems:
            assert problem.message and problem.file, problem
            assert problem.expected or problem.sheet, problem  # said what was wanted, or where
            assert problem.row is None or problem.row >= 1, problem
            assert not any(marker in str(problem) for marker in LEAK_MARKERS), problem
        assert store.version() == before_version and _digest(store) == before
    else:
        event("loaded")
        if expected_rows:
            for sheet, rows in expected_rows.items():
                assert report.counts[sheet] == rows, (sheet, report.counts, expected_rows)
        assert store.version() != before_version


@settings(settings.get_profile(PROFILE))
@given(operations=damage())
def test_damaged_workbooks_load_fully_or_are_refused_without_a_trace(tmp_path_factory, operations):
    folder = tmp_path_factory.mktemp("xlsx")
    sheets, edits = _apply(ENGLISH, operations)
    path = _write_xlsx(folder / "pairs.xlsx", sheets, edits)
    with open_store(str(folder / "pairnet.db")) as store:
        import_file(store, _write_xlsx(folder / "base.xlsx", ENGLISH, []))
        _check(store, path, _non_blank_rows(path))


ENCODINGS = st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "big5", "latin-1", "cp1252", "shift_jis"]
)


@settings(settings.get_profile(PROFILE))
@given(operations=damage(), encoding=ENCODINGS, sheet=st.sampled_from(SHEETS))
def test_damaged_csvs_in_odd_encodings(tmp_path_factory, operations, encoding, sheet):
    folder = tmp_path_factory.mktemp("csv")
    sheets, _ = _apply(ENGLISH, operations)
    rows = [["" if v is None else v for v in row] for row in sheets.get(sheet, [])]
    path = folder / f"{sheet}.csv"
    text_rows = [[str(v) for v in row] for row in rows]
    try:
        write_csv(path, text_rows, encoding)
    except UnicodeEncodeError:
        path.write_bytes(b"")  # not writable in that encoding: an empty file, also refused cleanly
    with open_store(str(folder / "pairnet.db")) as store:
        import_file(store, _write_xlsx(folder / "base.xlsx", ENGLISH, []))
        _check(store, path)
