"""People in every store kind (``Store.save_person``/``Store.people``), scopes checked on a
small dataset, and the author of each import kept in the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from pairnet.graph.errors import InvalidInput, NotFound
from pairnet.graph.model import Dataset, Flow, Source, Unit
from pairnet.imports import import_dataset
from pairnet.people import OutOfScope, Person, Role, add_person, find_holder, revoke_person, scope_guard
from pairnet.people.directory import NameTaken
from pairnet.store.sqlite_store import SqliteStore


def person(name: str, **changes) -> Person:
    fields = dict(
        name=name,
        role=Role.EDITOR,
        scopes=("u-county", "u-town"),
        token_index="0123456789abcdef",
        token_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        created_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    )
    return Person(**{**fields, **changes})


def test_people_round_trip_and_are_replaced_by_name(store):
    assert store.people() == []
    first, second = person("张三"), person("李四", role=Role.ADMIN, scopes=())
    store.save_person(second)
    store.save_person(first)
    assert store.people() == [first, second]  # by name
    revoked = replace(first, revoked_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    store.save_person(revoked)
    kept = {p.name: p for p in store.people()}
    assert kept == {"张三": revoked, "李四": second} and not kept["张三"].active


def test_a_token_finds_its_person_until_revoked(store, dataset):
    import_dataset(store, dataset, source="small.json")
    county = next(u for u in dataset.units if u.kind == "county")
    editor, token = add_person(store, "王五", Role.EDITOR, [county.id])
    assert editor.scopes == (county.id,)
    assert find_holder(store.people(), token) == editor
    assert find_holder(store.people(), token + "x") is None
    revoke_person(store, "王五")
    assert find_holder(store.people(), token) is None
    # The name is free again once revoked.
    assert add_person(store, "王五", Role.VIEWER)[0].role is Role.VIEWER


def test_bad_people_are_refused_with_the_field_named(store, dataset):
    import_dataset(store, dataset, source="small.json")
    add_person(store, "王五", Role.ADMIN)
    with pytest.raises(NameTaken, match="王五 already has a token"):
        add_person(store, " 王五", Role.VIEWER)
    cases = [
        (("", Role.ADMIN, ()), "name"),
        (("赵\u200b六", Role.ADMIN, ()), "name"),
        (("赵六\t", Role.ADMIN, ()), "name"),
        (("六" * 101, Role.ADMIN, ()), "name"),
        (("赵六", Role.EDITOR, ()), "scope"),
        (("赵六", Role.VIEWER, ("x",)), "scope"),
        (("赵六", Role.EDITOR, ("no-such-place",)), "scope"),
    ]
    for arguments, column in cases:
        with pytest.raises(InvalidInput) as refused:
            add_person(store, *arguments)
        assert refused.value.problems[0].column == column
    with pytest.raises(NotFound, match="王五"):
        revoke_person(store, "nobody")


def test_each_import_keeps_its_author(store, dataset):
    import_dataset(store, dataset, source="small.json", author="张三")
    import_dataset(store, dataset, source="again.json", confirm=True)  # the same records, another source
    assert [summary.author for summary in store.imports()] == ["张三", None]


def test_an_older_sqlite_store_gains_the_people_table_and_author_column(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:  # as pairnet made it before people existed (schema 1)
        db.execute("DROP TABLE people")
        db.execute("DROP TABLE import_changes")
        db.execute("ALTER TABLE imports DROP COLUMN author")
        db.execute("ALTER TABLE imports DROP COLUMN reverts")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    with SqliteStore(path) as reopened:
        assert reopened.people() == []
        reopened.save_person(person("张三"))
        assert [p.name for p in reopened.people()] == ["张三"]


def _unit(uid: str, parent: str | None, kind: str = "village") -> Unit:
    return Unit(id=uid, kind=kind, name=uid, side="helped", parent_id=parent, source=Source(file="base.csv"))


def test_scope_rules_for_units_flows_and_removals():
    base = Dataset(
        units=(
            _unit("county", None, "county"),
            _unit("in-town", "county", "township"),
            _unit("other", None, "county"),
            _unit("out-town", "other", "township"),
        )
    )
    editor = person("张三", scopes=("in-town",))
    guard = scope_guard(editor)
    assert guard is not None and scope_guard(person("管理员", role=Role.ADMIN)) is None
    # A village under the scope, and the base repeated unchanged: allowed.
    guard(base, Dataset(units=(*base.units, _unit("v1", "in-town"))), "new.csv", False)
    # A village under another county: refused, located.
    with pytest.raises(OutOfScope) as refused:
        guard(base, Dataset(units=(_unit("v2", "out-town"),)), "new.csv", False)
    assert [(p.sheet, p.value) for p in refused.value.problems] == [("units", "v2")]
    # A flow is inside when either end is.
    flows = Dataset(
        flows=(
            Flow(id="f-in", kind="funds", amount=1, from_id="other", to_id="in-town"),
            Flow(id="f-out", kind="funds", amount=1, from_id="other", to_id="out-town"),
        )
    )
    with pytest.raises(OutOfScope) as refused:
        guard(base, flows, "flows.csv", False)
    assert [p.value for p in refused.value.problems] == ["f-out"]
    # Replacing base.csv with only the scope's township would remove the others: refused.
    with pytest.raises(OutOfScope) as refused:
        guard(base, Dataset(units=(base.units[1],)), "base.csv", True)
    assert sorted(p.value for p in refused.value.problems) == ["county", "other", "out-town"]
    assert all("removes a record" in p.message for p in refused.value.problems)
