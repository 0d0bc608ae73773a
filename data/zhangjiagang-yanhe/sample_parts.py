"""The tools build.py uses: a builder that gives records their conventional ids, and the
writer of the sample's workbook and CSV files (the project's input format)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pairnet.graph.columns import COLUMNS as FORMAT_COLUMNS
from pairnet.graph.model import Dataset, Flow, Kind, Level, Mode, Pairing, Side, Unit, stable_id
from pairnet.graph.validate import check

__all__ = ["COLUMNS", "Builder", "write_sample"]

COLUMNS = {sheet: list(columns) for sheet, columns in FORMAT_COLUMNS.items()}
WORKBOOK = "zhangjiagang-yanhe.xlsx"
PROGRAM = "east_west_cooperation"
# A fixed time for the workbook's metadata and zip entries, so that a rebuild is byte-identical.
FIXED_TIME = dt.datetime(2023, 6, 30)


class Builder:
    """Collects units, pairings and flows, with ids as the shared conventions give them."""

    def __init__(self) -> None:
        self._units: dict[str, Unit] = {}
        self._pairings: list[Pairing] = []
        self._flows: list[Flow] = []

    def add(self, unit: Unit) -> str:
        if unit.id in self._units:
            raise ValueError(f"duplicate unit {unit.id}")
        self._units[unit.id] = unit
        return unit.id

    def update(self, unit_id: str, **fields) -> None:
        self._units[unit_id] = Unit.model_validate({**self._units[unit_id].model_dump(), **fields})

    def unit(self, kind: Kind, name: str, side: Side, parent: str | None, **fields) -> str:
        unit_id = stable_id("u", Kind(kind).value, parent, name)
        return self.add(Unit(id=unit_id, kind=kind, name=name, side=side, parent_id=parent, **fields))

    def find(self, parent: str, name: str) -> str:
        (found,) = [u.id for u in self._units.values() if u.parent_id == parent and u.name == name]
        return found

    def units_of(self, kind: Kind, parent: str) -> list[Unit]:
        return [u for u in self._units.values() if u.parent_id == parent and u.kind == kind]

    def parent(self, unit_id: str) -> str:
        return self._units[unit_id].parent_id

    def name(self, unit_id: str) -> str:
        return self._units[unit_id].name

    def stage(self, unit_id: str) -> str | None:
        return self._units[unit_id].stage

    def pair(
        self,
        helper: str,
        helped: str,
        level: Level,
        start: dt.date,
        *,
        end: dt.date | None = None,
        mode: Mode | None = None,
        agreement: str | None = None,
        placeholder: bool = True,
        assumed: tuple[str, ...] = (),
        note: str | None = None,
    ) -> str:
        pairing_id = stable_id("p", helper, helped, Level(level).value, start)
        self._pairings.append(
            Pairing(
                id=pairing_id,
                helper_id=helper,
                helped_id=helped,
                level=level,
                mode=mode,
                program=PROGRAM,
                start=start,
                end=end,
                agreement=agreement,
                placeholder=placeholder,
                assumed=assumed,
                note=note,
            )
        )
        return pairing_id

    def flow(
        self,
        kind: str,
        amount: float,
        unit_of_measure: str,
        year: int | None,
        source: str | None,
        target: str | None,
        *,
        project: str | None = None,
        pairing: str | None = None,
        placeholder: bool = False,
        assumed: tuple[str, ...] = (),
        note: str | None = None,
    ) -> str:
        # The id the loaders would give the row, so that the workbook and the CSVs agree.
        flow_id = stable_id("f", WORKBOOK, "flows", len(self._flows) + 2)
        self._flows.append(
            Flow(
                id=flow_id,
                kind=kind,
                amount=amount,
                unit_of_measure=unit_of_measure,
                year=year,
                from_id=source,
                to_id=target,
                pairing_id=pairing,
                project=project,
                placeholder=placeholder,
                assumed=assumed,
                note=note,
            )
        )
        return flow_id

    def dataset(self) -> Dataset:
        dataset = Dataset(units=tuple(self._units.values()), pairings=tuple(self._pairings), flows=tuple(self._flows))
        problems = check(dataset)
        if problems:
            raise ValueError("\n".join(str(p) for p in problems))
        return dataset


def _assumed(record: Unit | Pairing | Flow) -> str | None:
    """The ``assumed`` cell: the columns whose values the README lists as assumptions."""
    return ", ".join(record.assumed) or None


def _rows(dataset: Dataset) -> dict[str, list[dict]]:
    units = [
        {
            **u.model_dump(exclude={"source", "parent_id", "successor_ids"}),
            "parent": u.parent_id,
            "successors": ";".join(u.successor_ids) or None,
            "assumed": _assumed(u),
        }
        for u in dataset.units
    ]
    pairings = [
        {
            **p.model_dump(exclude={"source", "helper_id", "helped_id"}),
            "helper": p.helper_id,
            "helped": p.helped_id,
            "assumed": _assumed(p),
        }
        for p in dataset.pairings
    ]
    flows = [
        {
            **f.model_dump(exclude={"source", "from_id", "to_id", "pairing_id"}),
            "from": f.from_id,
            "to": f.to_id,
            "pairing": f.pairing_id,
            "assumed": _assumed(f),
        }
        for f in dataset.flows
    ]
    return {"units": units, "pairings": pairings, "flows": flows}


def _cell(value: object) -> object:
    if hasattr(value, "value"):  # an enum
        return value.value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_text(value: object) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_sample(dataset: Dataset, folder: Path, *, stem: str) -> None:
    """Write ``stem``.xlsx (sheets units, pairings, flows) and one CSV per sheet into ``folder``."""
    tables = _rows(dataset)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_name, rows in tables.items():
        columns = COLUMNS[sheet_name]
        with (folder / f"{sheet_name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([_csv_text(row[c]) for c in columns] for row in rows)
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(row[c]) for c in columns])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            longest = max([len(column)] + [len(_csv_text(row[column])) for row in rows[:500]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 1.6), 60)
    workbook.properties.creator = "data/zhangjiagang-yanhe/build.py"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    (folder / f"{stem}.xlsx").write_bytes(_fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and modification metadata, for reproducible builds."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_core(content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def _fixed_core(content: bytes) -> bytes:
    """openpyxl stamps the save time as ``dcterms:modified``; put the fixed time there."""
    text = content.decode("utf-8")
    start = text.find("<dcterms:modified")
    if start < 0:
        return content
    open_end = text.index(">", start) + 1
    close = text.index("</dcterms:modified>", open_end)
    return (text[:open_end] + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ") + text[close:]).encode("utf-8")
