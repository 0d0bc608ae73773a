"""Files and checks for the tests of serialised, guarded and reversible writes."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from pairnet.graph.model import Dataset

__all__ = ["BASE_UNITS", "content_digest", "orphans", "write_sheet"]

BASE_UNITS = [
    ["id", "kind", "name", "side", "parent"],
    ["520627", "county", "沿河土家族自治县", "helped", ""],
    ["520627110", "township", "中界镇", "helped", "520627"],
    ["520627111", "township", "甘溪镇", "helped", "520627"],
    ["320582", "county", "张家港市", "helper", ""],
    ["320582100", "township", "杨舍镇", "helper", "320582"],
]


def write_sheet(folder: Path, sheet: str, rows: list[list[str]]) -> Path:
    """``folder/<sheet>.csv`` with ``rows``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{sheet}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def content_digest(dataset: Dataset, *, with_provenance: bool = False) -> str:
    """A digest of every record's fields and source name (and, ``with_provenance``, the
    import id, time, sheet and row): equal digests mean equal content."""
    exclude = None if with_provenance else {"source": {"import_id", "imported_at", "sheet", "row"}}
    parts = [
        [record.model_dump(mode="json", exclude=exclude) for record in sorted(records, key=lambda r: r.id)]
        for records in (dataset.units, dataset.pairings, dataset.flows)
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def orphans(dataset: Dataset) -> list[str]:
    """Every reference to a record the dataset does not have."""
    units = {u.id for u in dataset.units}
    pairings = {p.id for p in dataset.pairings}
    found = [f"unit {u.id}: parent {u.parent_id}" for u in dataset.units if u.parent_id and u.parent_id not in units]
    for p in dataset.pairings:
        found += [f"pairing {p.id}: {end}" for end in (p.helper_id, p.helped_id) if end not in units]
    for f in dataset.flows:
        found += [f"flow {f.id}: {end}" for end in (f.from_id, f.to_id) if end and end not in units]
        if f.pairing_id and f.pairing_id not in pairings:
            found.append(f"flow {f.id}: pairing {f.pairing_id}")
    return found
