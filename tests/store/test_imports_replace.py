"""Re-importing a file with ``replace``: the one check of an import sees the store as it will
be once the file's old records are gone, so what depended on them is reported and nothing is
written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pairnet.graph import InvalidInput
from pairnet.imports import import_file
from pairnet.store.store import open_store

UNITS = [
    ["id", "kind", "name", "side", "parent"],
    ["520627", "county", "沿河土家族自治县", "helped", ""],
    ["520627110", "township", "中界镇", "helped", "520627"],
    ["520627111", "township", "甘溪镇", "helped", "520627"],
    ["320582", "county", "张家港市", "helper", ""],
    ["320582100", "township", "杨舍镇", "helper", "320582"],
]


def write_units(path: Path, rows: list[list[str]]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    with (path / "units.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_pairings(path: Path, helped: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    with (path / "pairings.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["helper", "helped", "level"], ["320582100", helped, "township"]])
    return path


@pytest.fixture
def store(tmp_path):
    with open_store(str(tmp_path / "pairnet.db")) as opened:
        import_file(opened, write_units(tmp_path / "units-v1", UNITS), source="units")
        import_file(opened, write_pairings(tmp_path / "pairs", "520627111"), source="pairings")
        yield opened


def test_a_replace_that_drops_a_unit_another_file_pairs_is_refused(store, tmp_path):
    before = store.version()
    smaller = write_units(tmp_path / "units-v2", [row for row in UNITS if row[0] != "520627111"])
    with pytest.raises(InvalidInput) as caught:
        import_file(store, smaller, source="units", replace=True)
    (problem,) = caught.value.problems
    assert (problem.message, problem.file, problem.row, problem.column, problem.value) == (
        "unknown helped unit",
        "pairings",
        2,
        "helped",
        "520627111",
    )
    assert store.version() == before
    assert {u.id for u in store.snapshot().units} == {row[0] for row in UNITS[1:]}


def test_without_replace_the_old_units_stay_and_the_import_passes(store, tmp_path):
    smaller = write_units(tmp_path / "units-v2", [row for row in UNITS if row[0] != "520627111"])
    import_file(store, smaller, source="units")
    assert "520627111" in {u.id for u in store.snapshot().units}


def test_a_reference_to_a_unit_only_the_old_file_had_is_unknown_when_replacing(store, tmp_path):
    folder = write_units(tmp_path / "both", [row for row in UNITS if row[0] != "520627111"])
    write_pairings(folder, "沿河土家族自治县/甘溪镇")
    with pytest.raises(InvalidInput) as caught:
        import_file(store, folder, source="units", replace=True, dry_run=True)
    where = {(p.file, p.sheet, p.row, p.column) for p in caught.value.problems if p.message.startswith("unknown")}
    assert ("units", "pairings.csv", 2, "helped") in where
    # Without replace the old units file still holds 甘溪镇, and the same folder resolves.
    report = import_file(store, folder, source="units", dry_run=True)
    assert report.counts == {"units": 4, "pairings": 1, "flows": 0}


def test_replacing_with_the_same_content_passes_and_removes_nothing(store, tmp_path):
    report = import_file(store, write_units(tmp_path / "again", UNITS), source="units", replace=True)
    assert report.summary.removed["units"] == 0
    assert len(store.snapshot().pairings) == 1
