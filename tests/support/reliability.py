"""Shared by the reliability tests (faults, disk, soak): generated input folders of any size
and a digest of a store's content that ignores what differs between two runs of one import.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

from pairnet.store.store import Store

LONG = os.environ.get("PAIRNET_LONG") == "1"
# What a message for people must never contain: server paths, tracebacks, library internals.
LEAK_MARKERS = ("/tmp", "site-packages", "Traceback", "openpyxl", "lxml")


def write_network(folder: Path, villages: int, *, tag: str = "a", year: int = 2018) -> Path:
    """A folder of units.csv, pairings.csv and flows.csv: a helper and a helped county with a
    township per 100 villages on each side, ``villages`` villages per side, each helped village
    paired with its helper village and given one flow. Ids carry ``tag``, so that folders with
    different tags hold different records and the same tag the same ones."""
    folder.mkdir(parents=True, exist_ok=True)
    units = [
        ["id", "kind", "name", "side", "parent", "poverty"],
        [f"{tag}-east", "county", f"东县{tag}", "helper", "", ""],
        [f"{tag}-west", "county", f"西县{tag}", "helped", "", ""],
    ]
    pairings = [["id", "helper", "helped", "level", "start"]]
    flows = [["id", "kind", "amount", "unit_of_measure", "year", "from", "to"]]
    for v in range(villages):
        if v % 100 == 0:
            t = v // 100
            units.append([f"{tag}-et{t}", "township", f"东镇{t}", "helper", f"{tag}-east", ""])
            units.append([f"{tag}-wt{t}", "township", f"西镇{t}", "helped", f"{tag}-west", ""])
        units.append([f"{tag}-ev{v}", "village", f"东村{v}", "helper", f"{tag}-et{v // 100}", ""])
        units.append([f"{tag}-wv{v}", "village", f"西村{v}", "helped", f"{tag}-wt{v // 100}", "deeply_poor"])
        pairings.append([f"{tag}-p{v}", f"{tag}-ev{v}", f"{tag}-wv{v}", "village", f"{year}-01-01"])
        flows.append([f"{tag}-f{v}", "funds", str(v % 97 + 1), "万元", str(year), f"{tag}-ev{v}", f"{tag}-wv{v}"])
    for name, rows in (("units", units), ("pairings", pairings), ("flows", flows)):
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def content_digest(store: Store) -> str:
    """SHA-256 of every record of ``store`` in id order, with the import id and time left out
    (they differ between two runs of the same import); equal digests mean equal content."""
    snapshot = store.snapshot()
    digest = hashlib.sha256()
    for table in ("units", "pairings", "flows"):
        for record in getattr(snapshot, table):
            fields = record.model_dump(mode="json")
            fields["source"] = {k: v for k, v in fields["source"].items() if k not in ("import_id", "imported_at")}
            digest.update(json.dumps([table, fields], sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()
