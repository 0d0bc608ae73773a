"""Unit names: every unit with what a name is resolved by, without reading the whole store."""

from __future__ import annotations

from pairnet.loaders.references import Resolver


def _named(unit):
    return (unit.id, unit.code, unit.kind, unit.name, unit.side, unit.parent_id)


def test_every_store_gives_each_unit_with_its_id_code_kind_name_side_and_parent(store, dataset):
    store.write(dataset, source="small")
    names = store.unit_names()
    assert [_named(u) for u in names] == [_named(u) for u in store.snapshot().units]
    assert [u.id for u in names] == sorted(u.id for u in dataset.units)
    # A resolver over them finds what one over the whole units finds.
    whole = Resolver([], known=store.snapshot().units)
    light = Resolver([], known=names)
    for unit in dataset.units:
        assert light.resolve(unit.name).id == whole.resolve(unit.name).id == unit.id
