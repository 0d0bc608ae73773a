"""The contract every store passes (run once per store kind by the ``store`` fixture)."""

from __future__ import annotations

import pytest

from pairnet.graph.model import Dataset, Pairing, Source, Unit

SOURCE = "sample.xlsx"


def content(dataset: Dataset) -> dict[str, list[dict]]:
    """The records of ``dataset`` without the per-import stamps, for comparing states."""

    def plain(record) -> dict:
        data = record.model_dump()
        data["source"] = {k: data["source"][k] for k in ("file", "sheet", "row")}
        return data

    return {
        "units": [plain(r) for r in dataset.units],
        "pairings": [plain(r) for r in dataset.pairings],
        "flows": [plain(r) for r in dataset.flows],
    }


def by_id(records) -> tuple:
    return tuple(sorted(records, key=lambda r: r.id))


def sorted_dataset(dataset: Dataset) -> Dataset:
    return Dataset(units=by_id(dataset.units), pairings=by_id(dataset.pairings), flows=by_id(dataset.flows))


def test_empty_store(store):
    assert store.snapshot().counts() == {"units": 0, "pairings": 0, "flows": 0}
    assert store.imports() == []
    assert store.version()


def test_round_trip_keeps_every_field_and_adds_provenance(store, dataset):
    summary = store.write(dataset, source=SOURCE)
    snap = store.snapshot()
    assert content(snap) == content(sorted_dataset(dataset))
    assert [u.id for u in snap.units] == sorted(u.id for u in dataset.units)
    for record in (*snap.units, *snap.pairings, *snap.flows):
        assert record.source.import_id == summary.import_id
        assert record.source.file == SOURCE
        assert record.source.imported_at == summary.imported_at
        assert record.source.sheet in {"units", "pairings", "flows"} and record.source.row >= 2
    assert summary.written == {"units": 12, "pairings": 5, "flows": 3}
    assert summary.source == SOURCE and summary.version == store.version()


def test_provenance_file_is_the_import_source(store):
    unit = Unit(id="x", kind="county", name="X", side="helper")  # no source of its own
    store.write(Dataset(units=(unit,)), source="upload.csv")
    (stored,) = store.snapshot().units
    assert stored.source.file == "upload.csv" and stored.source.row is None


def test_a_unit_without_a_side_round_trips_and_a_hint_can_be_dropped(store):
    """Roles belong to pairings: a unit's side is an optional hint, in both stores."""
    store.write(Dataset(units=(Unit(id="x", kind="county", name="X", side="helper"),)), source="a.csv")
    store.write(
        Dataset(units=(Unit(id="x", kind="county", name="X"), Unit(id="y", kind="city", name="Y"))), source="a.csv"
    )
    assert {u.id: u.side for u in store.snapshot().units} == {"x": None, "y": None}


def test_loading_the_same_data_twice_gives_the_same_state(store, dataset):
    store.write(dataset, source=SOURCE)
    first = content(store.snapshot())
    second_summary = store.write(dataset, source=SOURCE)
    snap = store.snapshot()
    assert content(snap) == first
    assert {r.source.import_id for r in snap.units} == {second_summary.import_id}


def test_a_record_with_a_known_id_is_replaced(store, dataset):
    store.write(dataset, source=SOURCE)
    renamed = dataset.units[4].model_copy(update={"name": "高峰村（改）"})
    store.write(Dataset(units=(renamed,)), source="fix.csv")
    snap = {u.id: u for u in store.snapshot().units}
    assert snap[renamed.id].name == "高峰村（改）"
    assert snap[renamed.id].source.file == "fix.csv"
    assert len(snap) == len(dataset.units)


def test_replace_removes_what_the_file_no_longer_has(store, dataset):
    store.write(dataset, source=SOURCE)
    other = Unit(id="other", kind="county", name="别处", side="helped", source=Source(row=2))
    store.write(Dataset(units=(other,)), source="other.xlsx")
    smaller = Dataset(
        units=dataset.units[:4],
        pairings=(dataset.pairings[1],),
        flows=(),
    )
    summary = store.write(smaller, source=SOURCE, replace=True)
    snap = store.snapshot()
    assert {u.id for u in snap.units} == {u.id for u in dataset.units[:4]} | {"other"}
    assert [p.id for p in snap.pairings] == [dataset.pairings[1].id]
    assert snap.flows == ()
    assert summary.removed == {"units": 8, "pairings": 4, "flows": 3}


def test_without_replace_absent_records_stay(store, dataset):
    store.write(dataset, source=SOURCE)
    summary = store.write(Dataset(units=dataset.units[:2]), source=SOURCE)
    assert store.snapshot().counts() == dataset.counts()
    assert summary.removed == {}


def test_store_agrees_with_the_import_merge_rule(store, dataset):
    """After a sequence of writes the store holds what ``pairnet.imports.merge`` predicts."""
    from pairnet.loaders import merge  # imported here: the loaders import openpyxl

    expected = Dataset()
    steps = [
        (dataset, SOURCE, False),
        (Dataset(units=dataset.units[:3], pairings=dataset.pairings[:1]), "b.csv", False),
        (Dataset(units=dataset.units[5:], pairings=dataset.pairings[3:]), SOURCE, True),
        (Dataset(units=dataset.units[:1]), "b.csv", True),
        (Dataset(), SOURCE, True),
    ]
    for incoming, source, replace in steps:
        stamped = Dataset(
            units=tuple(
                r.model_copy(update={"source": r.source.model_copy(update={"file": source})}) for r in incoming.units
            ),
            pairings=tuple(
                r.model_copy(update={"source": r.source.model_copy(update={"file": source})}) for r in incoming.pairings
            ),
            flows=tuple(
                r.model_copy(update={"source": r.source.model_copy(update={"file": source})}) for r in incoming.flows
            ),
        )
        expected = merge(expected, stamped, source=source, replace=replace)
        store.write(incoming, source=source, replace=replace)
        assert content(store.snapshot()) == content(expected)
    assert [u.id for u in store.snapshot().units] == [dataset.units[0].id]


def test_version_changes_on_every_write_and_not_on_reads(store, dataset):
    seen = [store.version()]
    for _ in range(3):
        store.write(dataset, source=SOURCE)  # the same data each time: still a new version
        store.snapshot()
        store.imports()
        assert store.version() == store.version()
        seen.append(store.version())
    store.write(Dataset(), source="empty.csv")
    seen.append(store.version())
    assert len(set(seen)) == len(seen)


def test_a_failing_write_leaves_nothing(store, dataset):
    store.write(dataset, source=SOURCE)
    before, version, history = content(store.snapshot()), store.version(), store.imports()

    def fail_at_the_end(done: int, total: int) -> None:
        if done == total:  # every row has been sent; the failure comes before the commit
            raise RuntimeError("disk on fire")

    extra = Unit(id="new", kind="county", name="新", side="helped")
    changed = Dataset(units=(*dataset.units[:2], extra), pairings=dataset.pairings[:1])
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.write(changed, source=SOURCE, replace=True, progress=fail_at_the_end)
    assert content(store.snapshot()) == before
    assert store.version() == version
    assert store.imports() == history


def test_progress_reaches_the_total(store, dataset):
    calls: list[tuple[int, int]] = []
    store.write(dataset, source=SOURCE, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (20, 20)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_imports_history_oldest_first(store, dataset):
    first = store.write(dataset, source=SOURCE)
    second = store.write(Dataset(pairings=(dataset.pairings[0],), units=dataset.units[:2]), source="b.csv")
    third = store.write(Dataset(), source=SOURCE, replace=True)
    history = store.imports()
    assert [h.import_id for h in history] == [first.import_id, second.import_id, third.import_id]
    assert [h.source for h in history] == [SOURCE, "b.csv", SOURCE]
    assert history[1].written == {"units": 2, "pairings": 1, "flows": 0}
    assert history[2].removed == {"units": 10, "pairings": 4, "flows": 3}
    assert history[-1].version == store.version()
    assert history[0].imported_at <= history[1].imported_at <= history[2].imported_at
    assert history[0].to_dict()["source"] == SOURCE


def test_snapshot_records_are_models(store, dataset):
    store.write(dataset, source=SOURCE)
    snap = store.snapshot()
    assert all(isinstance(p, Pairing) for p in snap.pairings)
    village = next(u for u in snap.units if u.id == "520627110201")
    assert village.poverty == "deeply_poor" and village.population == 1800
    assert next(u for u in snap.units if u.id == "320582001").successor_ids == ("320582002",)


def test_touched_names_every_import_that_wrote_a_record_not_only_the_last(store, dataset):
    pairing = dataset.pairings[0]
    first = store.write(dataset, source=SOURCE)
    changed = pairing.model_copy(update={"note": "改过的备注"})
    second = store.write(Dataset(units=(), pairings=(changed,), flows=()), source="changes.xlsx")
    other = dataset.units[0].model_copy(update={"note": "另一条"})
    third = store.write(Dataset(units=(other,), pairings=(), flows=()), source="units.xlsx")
    rest = Dataset(units=dataset.units, pairings=dataset.pairings[1:], flows=dataset.flows)
    removed = store.write(rest, source="changes.xlsx", replace=True)  # the pairing came from it last
    assert pairing.id not in {p.id for p in store.snapshot().pairings}
    asked = [("pairings", pairing.id), ("units", "no-such-unit"), ("flows", pairing.id)]
    assert sorted(store.touched(asked)) == sorted(
        (summary.import_id, "pairings", pairing.id) for summary in (first, second, removed)
    )
    assert third.import_id in {import_id for import_id, _t, _i in store.touched([("units", other.id)])}
    assert store.touched([]) == []
