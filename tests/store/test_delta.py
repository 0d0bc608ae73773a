"""The delta since a version: what the imports after it touched, as the store now holds it;
None when the store cannot tell or too much changed (the server then builds again)."""

from __future__ import annotations

from pairnet.api.deps import NetworkCache, StoreHolder
from pairnet.graph.model import Dataset, Pairing, Unit
from pairnet.revert import revert_import
from pairnet.store.delta import patch_dataset


def _units(*ids: str) -> tuple[Unit, ...]:
    return tuple(Unit(id=i, kind="county", name=f"县{i}", side="helped") for i in ids)


def test_a_snapshot_patched_with_the_delta_since_its_version_is_the_current_one(store):
    """On every store kind (SQLite and Neo4j, the conftest's store)."""
    store.write(Dataset(units=_units("a", "c", "e")), source="first")
    old, since = store.snapshot(), store.version()
    assert store.delta(since, 100) is not None and len(store.delta(since, 100) or ()) == 0
    store.write(Dataset(units=_units("b", "c", "d")), source="first", replace=True)  # adds b, d; removes a, e
    pairing = Pairing(id="p", helper_id="b", helped_id="c", level="government")
    summary = store.write(Dataset(pairings=(pairing,)), source="second")
    delta = store.delta(since, 100)
    assert delta is not None and delta.version == store.version()
    assert delta.units == {u.id: u for u in store.units(["b", "c", "d"])} | {"a": None, "e": None}
    assert delta.pairings == {"p": store.snapshot().pairings[0]}
    assert patch_dataset(old, delta) == store.snapshot()
    revert_import(store, summary.import_id, confirm=True)
    reverted = store.delta(since, 100)
    assert reverted is not None and reverted.pairings == {"p": None}
    assert patch_dataset(old, reverted) == store.snapshot()
    # Too much changed, or a version no import made: build again.
    assert store.delta(since, 4) is None
    assert store.delta("0-not-a-version", 100) is None


def test_the_server_patches_its_view_and_builds_again_when_the_delta_is_too_large(store):
    """On every store kind."""
    store.write(Dataset(units=_units("a", "b")), source="first")
    holder = StoreHolder(store.uri, store)
    patching, building = NetworkCache(), NetworkCache(max_delta=0)
    before = [patching.view(holder), building.view(holder)]
    store.write(Dataset(units=_units("c")), source="second")
    patched, built = patching.view(holder), building.view(holder)
    assert patched.network.nodes["a"] is before[0].network.nodes["a"]  # shared: patched
    assert built.network.nodes["a"] is not before[1].network.nodes["a"]  # a new build
    assert list(patched.network.nodes(data=True)) == list(built.network.nodes(data=True))
    assert patched.dataset == built.dataset == store.snapshot()
