"""Streaming the generated records to the project's input format: a folder with
``units.csv``, ``pairings.csv`` and ``flows.csv`` under the canonical English headers.

Records are written as they are made, so memory stays bounded by the ids written so far
(kept to refuse a pairing or flow whose ends fall outside the chosen scale).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from pairnet.graph.columns import COLUMNS

__all__ = ["FLOW_COLUMNS", "PAIRING_COLUMNS", "UNIT_COLUMNS", "CsvOutput"]

UNIT_COLUMNS, PAIRING_COLUMNS, FLOW_COLUMNS = (COLUMNS[sheet] for sheet in ("units", "pairings", "flows"))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class CsvOutput:
    """The three CSV files of one generated data set, open for writing."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._handles = []
        self._writers = {}
        for name, columns in (("units", UNIT_COLUMNS), ("pairings", PAIRING_COLUMNS), ("flows", FLOW_COLUMNS)):
            handle = (self.directory / f"{name}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            self._handles.append(handle)
            self._writers[name] = (writer, columns)
        self.unit_ids: set[str] = set()
        self.pairing_ids: set[str] = set()
        self.counts: Counter[str] = Counter()

    def _write(self, table: str, fields: dict) -> None:
        writer, columns = self._writers[table]
        writer.writerow([_cell(fields.get(column)) for column in columns])

    def unit(self, **fields) -> None:
        """Write a unit (fields by canonical column name)."""
        if fields["id"] in self.unit_ids:
            return
        self.unit_ids.add(fields["id"])
        self.counts[f"units.{fields['kind']}"] += 1
        if fields.get("poverty"):
            self.counts[f"villages.{fields['poverty']}"] += 1
        self._write("units", fields)

    def pairing(self, **fields) -> bool:
        """Write a pairing whose two ends were written; return whether it was."""
        if fields["helper"] not in self.unit_ids or fields["helped"] not in self.unit_ids:
            return False
        if fields["id"] in self.pairing_ids:
            return False
        self.pairing_ids.add(fields["id"])
        self.counts[f"pairings.{fields['level']}"] += 1
        self._write("pairings", fields)
        return True

    def flow(self, **fields) -> None:
        """Write a flow along a pairing that was written."""
        if fields.get("pairing") not in self.pairing_ids:
            return
        self.counts[f"flows.{fields['kind']}"] += 1
        self._write("flows", fields)

    def close(self) -> None:
        for handle in self._handles:
            handle.close()

    def __enter__(self) -> CsvOutput:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
