"""Sources as the user names them, the diff and its guard, and reverting imports, on every store."""

from __future__ import annotations

import pytest

from pairnet.diff import NeedsConfirmation
from pairnet.graph.errors import NotFound
from pairnet.imports import import_file
from pairnet.revert import RevertRefused, revert_import
from tests.support.writes import BASE_UNITS, content_digest, orphans, write_sheet

VILLAGES = [["id", "kind", "name", "side", "parent"]] + [
    [f"520627110{n:03d}", "village", f"村{n}", "helped", "520627110"] for n in range(1, 6)
]


@pytest.fixture
def base(store, tmp_path):
    import_file(store, write_sheet(tmp_path / "base", "units", BASE_UNITS), source="base", author="李明")
    return store


def test_two_files_with_one_base_name_are_two_sources(base, tmp_path):
    a = write_sheet(tmp_path / "a", "units", VILLAGES[:3])
    b = write_sheet(tmp_path / "b", "units", [VILLAGES[0], *VILLAGES[3:]])
    import_file(base, a / "units.csv")
    import_file(base, b / "units.csv")
    sources = {u.id: u.source.file for u in base.snapshot().units}
    assert sources["520627110001"] == str(a / "units.csv") and sources["520627110003"] == str(b / "units.csv")
    # Replacing b with nothing of its own removes only b's records; a's stay.
    write_sheet(tmp_path / "b", "units", [VILLAGES[0], VILLAGES[3]])
    report = import_file(base, b / "units.csv", replace=True, confirm=True)
    assert report.summary.removed["units"] == 2
    ids = {u.id for u in base.snapshot().units}
    assert {"520627110001", "520627110002", "520627110003"} <= ids and not {"520627110004", "520627110005"} & ids


def test_the_diff_lists_new_changed_removed_and_unchanged_per_sheet(base, tmp_path):
    renamed = [row if row[0] != "520627111" else [*row[:2], "甘溪乡", *row[3:]] for row in BASE_UNITS]
    smaller = [row for row in renamed if row[0] != "320582100"] + [
        ["520627112", "township", "新镇", "helped", "520627"]
    ]
    report = import_file(
        base, write_sheet(tmp_path / "v2", "units", smaller), source="base", replace=True, dry_run=True
    )
    units = report.diff.sheets["units"]
    assert units.new == ("520627112",)
    assert [(i, [(c.field, c.old, c.new) for c in f]) for i, f in units.changed] == [
        ("520627111", [("name", "甘溪镇", "甘溪乡")])
    ]
    assert units.removed == ("320582100",) and units.unchanged == 3
    document = report.to_dict()["diff"]
    assert document["sheets"]["units"]["changed"] == [
        {"id": "520627111", "fields": {"name": {"old": "甘溪镇", "new": "甘溪乡"}}}
    ]
    assert document["sheets"]["units"]["counts"] == {"new": 1, "changed": 1, "removed": 1, "unchanged": 3}
    assert any("removes 1 records" in reason for reason in document["needs_confirmation"])


def test_large_changes_and_other_sources_need_a_yes_and_write_nothing_without_it(base, tmp_path):
    before = base.version()
    renamed = [row if row[0] != "520627111" else [*row[:2], "甘溪乡", *row[3:]] for row in BASE_UNITS]
    # One of five records of "base" changed: 20% > 10%.
    with pytest.raises(NeedsConfirmation) as caught:
        import_file(base, write_sheet(tmp_path / "v2", "units", renamed), source="base")
    assert "1 of the 5 records of base" in str(caught.value)
    # The same rows under another source name touch base's records.
    with pytest.raises(NeedsConfirmation) as caught:
        import_file(base, write_sheet(tmp_path / "v3", "units", BASE_UNITS[:2]), source="other")
    assert "records of other sources: base" in str(caught.value)
    assert base.version() == before
    report = import_file(base, tmp_path / "v2", source="base", confirm=True)
    assert report.summary.written["units"] == 5
    # Loading new records under a new source needs no yes.
    import_file(base, write_sheet(tmp_path / "v4", "units", VILLAGES), source="villages")


def test_revert_restores_the_content_exactly_and_is_an_import(base, tmp_path):
    import_file(base, write_sheet(tmp_path / "v", "units", VILLAGES), source="villages")
    before = content_digest(base.snapshot(), with_provenance=True)
    renamed = [row if row[0] != "520627111" else [*row[:2], "甘溪乡", *row[3:]] for row in BASE_UNITS]
    smaller = [row for row in renamed if row[0] != "320582100"]
    write_sheet(tmp_path / "v2", "pairings", [["helper", "helped", "level"], ["320582", "520627", "government"]])
    changed = import_file(
        base, write_sheet(tmp_path / "v2", "units", smaller), source="base", replace=True, confirm=True, author="王芳"
    )
    assert content_digest(base.snapshot(), with_provenance=True) != before
    with pytest.raises(NeedsConfirmation):
        revert_import(base, changed.summary.import_id)
    report = revert_import(base, changed.summary.import_id, confirm=True, author="李明")
    after = base.snapshot()
    assert content_digest(after, with_provenance=True) == before and orphans(after) == []
    last = base.imports()[-1]
    assert (last.source, last.reverts, last.author) == (
        f"revert:{changed.summary.import_id}",
        changed.summary.import_id,
        "李明",
    )
    assert report.summary.import_id == last.import_id
    # A revert is an import like any other: reverting it brings the change back.
    revert_import(base, last.import_id, confirm=True)
    assert "甘溪乡" in {u.name for u in base.snapshot().units}
    with pytest.raises(RevertRefused, match="reverted already"):
        revert_import(base, changed.summary.import_id, confirm=True)


def test_a_revert_that_later_imports_depend_on_is_refused_naming_them(base, tmp_path):
    villages = import_file(base, write_sheet(tmp_path / "v", "units", VILLAGES), source="villages")
    pairs = write_sheet(
        tmp_path / "p", "pairings", [["helper", "helped", "level"], ["320582100", "520627110", "township"]]
    )
    pairing = import_file(base, pairs, source="pairs")
    renamed = [row if row[0] != "520627110001" else [*row[:2], "新村", *row[3:]] for row in VILLAGES]
    rename = import_file(base, write_sheet(tmp_path / "v2", "units", renamed), source="villages", confirm=True)
    with pytest.raises(RevertRefused) as caught:
        revert_import(base, villages.summary.import_id, confirm=True)
    assert caught.value.dependants == [rename.summary.import_id]
    with pytest.raises(RevertRefused) as caught:  # the base units are the parent and the ends of later records
        revert_import(base, base.imports()[0].import_id, confirm=True)
    assert set(caught.value.dependants) == {rename.summary.import_id, pairing.summary.import_id}
    # Newest first works: the rename, then the villages.
    revert_import(base, rename.summary.import_id, confirm=True)
    revert_import(base, villages.summary.import_id, confirm=True)
    assert not any(u.kind == "village" for u in base.snapshot().units)
    with pytest.raises(NotFound, match="no import 'nope'"):
        revert_import(base, "nope", confirm=True)
