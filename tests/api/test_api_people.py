"""Named people over the API (issue 12, C.13/C.14): a bearer token names a person, whose role
and scopes decide what they may write, and the history says who wrote what."""

from __future__ import annotations

from pathlib import Path

import pytest

from pairnet.people import Role, add_person, revoke_person
from pairnet.people.directory import NAME_PATTERN
from tests.support.api import AUTH, client_for, load_sample, tiny_units, upload, write_csv

UNIT_HEADER = ["id", "code", "kind", "name", "side", "parent", "poverty"]
PAIRING_HEADER = ["id", "helper", "helped", "level", "start"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def village_under(folder: Path, parent: str, name: str = "新村") -> Path:
    """A units.csv adding one village under ``parent``."""
    return write_csv(folder / "units.csv", UNIT_HEADER, [[f"new-{parent}", "", "village", name, "helped", parent, ""]])


def pairing(folder: Path, helper: str, helped: str, level: str = "government", pairing_id: str = "p-new") -> Path:
    return write_csv(folder / "pairings.csv", PAIRING_HEADER, [[pairing_id, helper, helped, level, "2020-01-01"]])


@pytest.fixture
def sample(store):
    load_sample(store)
    return store


def test_an_editor_writes_inside_their_scope_and_the_history_names_them(sample, tmp_path):
    _, token = add_person(sample, "李编辑", Role.EDITOR, ["沿河土家族自治县"])
    client = client_for(sample)
    answer = upload(client, village_under(tmp_path, "520627110"), headers=bearer(token))
    assert answer.status_code == 200, answer.text
    assert answer.json()["author"] == "李编辑"
    history = client.get("/imports?limit=100").json()["items"]
    assert history[-1]["author"] == "李编辑" and history[-1]["source"] == "units.csv"


def test_an_editor_cannot_write_outside_their_scope_and_nothing_is_written(sample, tmp_path):
    _, token = add_person(sample, "李编辑", Role.EDITOR, ["520627"])
    client = client_for(sample)
    before = sample.version()
    # A county of 铜仁市 beside 沿河, and a pairing of 张家港 with the city itself.
    for path in (village_under(tmp_path, "5206", "思南县"), pairing(tmp_path, "320582", "5206")):
        answer = upload(client, path, headers=bearer(token))
        assert answer.status_code == 403, answer.text
        body = answer.json()
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "李编辑" in body["detail"] and "沿河土家族自治县 (520627)" in body["detail"]
        assert [item["value"] for item in body["problems"]] in (["new-5206"], ["p-new"])
        assert body["problems"][0]["sheet"] in ("units", "pairings")
    assert sample.version() == before


def test_a_pairing_is_inside_when_either_end_is(sample, tmp_path):
    _, yanhe = add_person(sample, "沿河编辑", Role.EDITOR, ["520627"])
    _, jingang = add_person(sample, "金港编辑", Role.EDITOR, ["320582001"])
    _, houcheng = add_person(sample, "后塍编辑", Role.EDITOR, ["320582002"])
    client = client_for(sample)
    # 后塍街道 helps 沿河's 团结街道: inside for 沿河's editor (the helped end) and for
    # 后塍's (the helper end), not for 金港's.
    path = pairing(tmp_path, "320582002", "520627001", level="township")
    assert upload(client, path, headers=bearer(jingang)).status_code == 403
    assert upload(client, path, headers=bearer(yanhe)).status_code == 200
    again = pairing(tmp_path, "320582002", "520627001", level="township", pairing_id="p-new-2")
    assert upload(client, again, headers=bearer(houcheng)).status_code == 200


def test_changing_a_record_from_outside_is_refused_even_into_the_scope(sample, tmp_path):
    _, token = add_person(sample, "李编辑", Role.EDITOR, ["520627"])
    client = client_for(sample)
    # The city-level pairing 苏州市 → 铜仁市, moved to 沿河: it was outside before.
    moved = write_csv(
        tmp_path / "pairings.csv",
        PAIRING_HEADER,
        [["p-45002ef37f85199e", "3205", "520627", "government", "2013-02-01"]],
    )
    answer = upload(client, moved, headers=bearer(token))
    assert answer.status_code == 403, answer.text
    assert "changes a record" in answer.json()["problems"][0]["message"]


def test_roles_and_tokens(sample, tmp_path):
    _, viewer = add_person(sample, "王查看", Role.VIEWER)
    _, admin = add_person(sample, "赵管理", Role.ADMIN)
    _, revoked = add_person(sample, "钱离职", Role.EDITOR, ["520627"])
    revoke_person(sample, "钱离职")
    client = client_for(sample)
    units = tiny_units(tmp_path)
    refused = upload(client, units, headers=bearer(viewer))
    assert refused.status_code == 403 and "王查看 is a viewer" in refused.json()["detail"]
    for token in (revoked, "x" * 43, viewer[:-1] + ("A" if viewer[-1] != "A" else "B")):
        answer = upload(client, units, headers=bearer(token))
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert upload(client, units, headers=bearer(admin)).json()["author"] == "赵管理"
    # PAIRNET_TOKEN keeps working, as one admin for scripts.
    assert upload(client, units, headers=AUTH).json()["author"] == "PAIRNET_TOKEN"
    authors = [item["author"] for item in client.get("/imports?limit=100").json()["items"]]
    assert authors[-2:] == ["赵管理", "PAIRNET_TOKEN"]


def test_tokens_are_kept_only_as_argon2id_hashes(sample):
    person, token = add_person(sample, "李编辑", Role.EDITOR, ["520627"])
    assert len(token) >= 43
    (kept,) = sample.people()
    assert kept.token_hash.startswith("$argon2id$") and token not in kept.token_hash
    assert token not in kept.token_index and kept.scopes == ("520627",)


def test_admins_manage_people_over_the_api(sample, tmp_path):
    _, admin = add_person(sample, "赵管理", Role.ADMIN)
    client = client_for(sample)
    added = client.post(
        "/people", json={"name": "孙编辑", "role": "editor", "scopes": ["沿河土家族自治县"]}, headers=bearer(admin)
    )
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["scopes"] == ["520627"] and len(body["token"]) == 43
    editor = body["token"]
    assert upload(client, village_under(tmp_path, "520627110"), headers=bearer(editor)).json()["author"] == "孙编辑"
    listed = client.get("/people", headers=bearer(admin))
    assert [p["name"] for p in listed.json()] == sorted(["赵管理", "孙编辑"])
    assert editor not in listed.text and "argon2" not in listed.text
    # An editor does not manage people; bad input is a 422 naming the field.
    assert client.get("/people", headers=bearer(editor)).status_code == 403
    missing_scope = client.post("/people", json={"name": "周", "role": "editor"}, headers=bearer(admin))
    assert missing_scope.status_code == 422 and missing_scope.json()["parameters"][0]["parameter"] == "editor.scopes"
    assert client.get("/people").status_code == 401
    revoked = client.delete("/people/孙编辑", headers=bearer(admin))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert upload(client, tiny_units(tmp_path), headers=bearer(editor)).status_code == 401
    assert client.delete("/people/nobody", headers=bearer(admin)).status_code == 404


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"name": "周", "role": "editor", "scopes": []}, "editor.scopes"),
        ({"name": "周", "role": "viewer", "scopes": ["520627"]}, "viewer.scopes"),
        ({"name": "周", "role": "admin", "scopes": ["520627"]}, "admin.scopes"),
        ({"name": "周\u200b五", "role": "viewer"}, "viewer.name"),
        ({"name": "周\n", "role": "viewer"}, "viewer.name"),
        ({"name": "   ", "role": "viewer"}, "viewer.name"),
    ],
)
def test_the_rules_of_a_new_person_are_the_schemas(sample, body, parameter):
    # What NewPerson's schema says (a name of letters; scopes for an editor only) is what is
    # refused, as a request error naming the field, before anything is looked up.
    _, admin = add_person(sample, "赵管理", Role.ADMIN)
    refused = client_for(sample).post("/people", json=body, headers=bearer(admin))
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"] == "/problems/invalid-request"
    assert [item["parameter"] for item in refused.json()["parameters"]] == [parameter]
    assert [p.name for p in sample.people()] == ["赵管理"]


def test_new_person_schema_states_the_rules(sample):
    document = client_for(sample).get("/openapi.json").json()
    body = document["paths"]["/api/v1/people"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["discriminator"]["mapping"] == {
        "editor": "#/components/schemas/NewEditor",
        "viewer": "#/components/schemas/NewReader",
        "admin": "#/components/schemas/NewReader",
    }
    schemas = document["components"]["schemas"]
    assert schemas["NewEditor"]["properties"]["scopes"]["minItems"] == 1
    assert schemas["NewReader"]["properties"]["scopes"]["maxItems"] == 0
    assert schemas["NewEditor"]["properties"]["name"]["pattern"] == NAME_PATTERN


def test_a_taken_name_is_a_conflict_and_an_unknown_scope_names_it(sample):
    _, admin = add_person(sample, "赵管理", Role.ADMIN)
    client = client_for(sample)
    taken = client.post("/people", json={"name": " 赵管理 ", "role": "viewer"}, headers=bearer(admin))
    assert taken.status_code == 409 and taken.json()["type"] == "/problems/conflict"
    assert "赵管理 already has a token" in taken.json()["detail"]
    unknown = client.post(
        "/people", json={"name": "周", "role": "editor", "scopes": ["不存在县"]}, headers=bearer(admin)
    )
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["column"] == "scope"
    added = client.post("/people", json={"name": "阿卜杜·热合曼 (Li)", "role": "viewer"}, headers=bearer(admin))
    assert added.status_code == 201, added.text
