"""One-pairing writes over the API (issue 16, item 7): POST /pairings, PATCH /pairings/{id},
POST /pairings/accept, GET /imports/{id} with its diff; every refusal a problem document
that writes nothing."""

from __future__ import annotations

import pytest

from pairnet.people import Role, add_person
from tests.support.api import AUTH, client_for, load_sample

NEW = {"helper": "张家港市/金港镇/中港社区", "helped": "沿河县/中界镇/黄家洞村", "level": "村级", "start": "2017年3月"}
AS_OF = {"as_of": "2017-12-31"}


@pytest.fixture
def sample(store):
    load_sample(store)
    return store


def bearer(store, role: Role, scopes: tuple[str, ...] = ()) -> dict[str, str]:
    _, token = add_person(store, f"{role.value}{len(scopes)}", role, list(scopes))
    return {"Authorization": f"Bearer {token}"}


def deeply_poor(answer) -> tuple[int, int]:
    figure = next(f for f in answer.json()["coverage"] if f["poverty"] == "deeply_poor")
    return figure["before"]["covered"], figure["after"]["covered"]


def test_a_pairing_added_shows_in_the_history_with_its_diff_and_is_reverted(sample):
    client = client_for(sample)
    editor = bearer(sample, Role.EDITOR, ("520627",))
    answer = client.post("/pairings", json=NEW, params=AS_OF, headers=editor)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert deeply_poor(answer) == (21, 22)
    assert body["pairing"]["start"] == "2017-03-01" and body["import"]["author"] == "editor1"
    import_id = body["import"]["import_id"]
    detail = client.get(f"/imports/{import_id}")
    assert detail.status_code == 200, detail.text
    pairings = detail.json()["diff"]["sheets"]["pairings"]
    assert pairings["new"] == [body["pairing"]["id"]] and pairings["counts"]["changed"] == 0
    assert detail.json()["author"] == "editor1" and detail.json()["source"] == "add-pairing"
    reverted = client.post(f"/imports/{import_id}/revert", params={"confirm": "true"}, headers=AUTH)
    assert reverted.status_code == 200, reverted.text
    assert client.get(f"/pairings/{body['pairing']['id']}").status_code == 404
    # The diff of the import is still what it did, after the revert.
    assert client.get(f"/imports/{import_id}").json()["diff"]["sheets"]["pairings"]["new"] == [body["pairing"]["id"]]


def test_ending_a_pairing_answers_the_changed_cell(sample):
    client = client_for(sample)
    paired = next(p for p in sample.snapshot().pairings if p.level.value == "village" and p.end is None)
    answer = client.patch(f"/pairings/{paired.id}", json={"end": "2018"}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert answer.json()["pairing"]["end"] == "2018-12-31"
    changed = client.get(f"/imports/{answer.json()['import']['import_id']}").json()["diff"]["sheets"]["pairings"][
        "changed"
    ]
    assert changed == [{"id": paired.id, "fields": {"end": {"old": None, "new": "2018-12-31"}}}]
    assert client.get(f"/pairings/{paired.id}").json()["pairing"]["end"] == "2018-12-31"


def test_accepting_a_suggestion_and_a_suggestion_that_changed(sample):
    client = client_for(sample)
    wanted = {"target": "520627110201", "poverty": "deeply_poor", "within": "中界镇"}
    version = sample.version()
    stale = client.post("/pairings/accept", json={**wanted, "helper": "320582001002"}, params=AS_OF, headers=AUTH)
    assert stale.status_code == 409 and stale.json()["type"].endswith("/suggestion-changed")
    assert "中港社区" in stale.json()["detail"] and sample.version() == version
    answer = client.post("/pairings/accept", json={**wanted, "helper": "320582001001"}, params=AS_OF, headers=AUTH)
    assert answer.status_code == 201, answer.text
    assert deeply_poor(answer) == (21, 22)
    assert answer.json()["pairing"]["note"] == "accepted from a recommendation by PAIRNET_TOKEN"


@pytest.mark.parametrize(
    ("who", "status", "slug"),
    [(None, 401, "unauthorized"), ("viewer", 403, "forbidden"), ("outsider", 403, "out-of-scope")],
)
def test_refused_writes_write_nothing(sample, who, status, slug):
    client = client_for(sample)
    headers = {
        None: {},
        "viewer": bearer(sample, Role.VIEWER),
        "outsider": bearer(sample, Role.EDITOR, ("320582100",)),  # 杨舍镇: neither side of either write
    }[who]
    paired = next(p for p in sample.snapshot().pairings if p.level.value == "government")
    version = sample.version()
    requests = [
        client.post("/pairings", json=NEW, headers=headers),
        client.patch(f"/pairings/{paired.id}", json={"end": "2020"}, headers=headers),
    ]
    for answer in requests:
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["type"].endswith("/" + slug)
    assert sample.version() == version


def test_a_pairing_written_with_an_assumed_start_keeps_the_mark(sample):
    client = client_for(sample)
    answer = client.post("/pairings", json={**NEW, "assumed": "开始日期"}, params=AS_OF, headers=AUTH)
    assert answer.status_code == 201, answer.text
    assert answer.json()["pairing"]["assumed"] == ["start"]
    version = sample.version()
    bad = client.post("/pairings", json={**NEW, "assumed": "开始日"}, headers=AUTH)
    (problem,) = [p for p in bad.json()["problems"] if p["column"] == "assumed"]
    assert bad.status_code == 422 and "开始日期 (start)" in problem["message"] and sample.version() == version


def test_invalid_writes_are_422_naming_the_column_and_write_nothing(sample):
    client = client_for(sample)
    version = sample.version()
    bad = client.post("/pairings", json={**NEW, "helped": "沿河县/中界镇/无此村", "start": "2017-13-45"}, headers=AUTH)
    assert bad.status_code == 422 and bad.json()["type"].endswith("/invalid-input")
    assert {"helped", "start"} <= {p["column"] for p in bad.json()["problems"]}
    unknown = client.post("/pairings", json={**NEW, "helpr": "x"}, headers=AUTH)
    assert unknown.status_code == 422 and unknown.json()["parameters"][0]["parameter"] == "helpr"
    paired = sample.snapshot().pairings[0]
    assert client.patch(f"/pairings/{paired.id}", json={"end": "不知道"}, headers=AUTH).status_code == 422
    assert client.patch("/pairings/no-such-pairing", json={"end": "2020"}, headers=AUTH).status_code == 404
    assert sample.version() == version
    missing = client.get("/imports/no-such-import")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/not-found")
