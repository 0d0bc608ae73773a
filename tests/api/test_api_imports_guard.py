"""POST /imports: the diff of a dry run, 409 before a guarded import without confirm=true,
sources named by the form field, and POST /imports/{id}/revert."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.api import AUTH, TOKEN, client_for, upload
from tests.support.api import tiny_units as _tiny_units
from tests.support.writes import BASE_UNITS, orphans, write_sheet

# The two-worker race: one round in the short profile, 200 with PAIRNET_LONG=1 (make soak).
RACE_ROUNDS = int(os.environ.get("PAIRNET_RACE_ROUNDS", 200 if os.environ.get("PAIRNET_LONG") == "1" else 1))


def tiny_units(folder: Path, **names) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return _tiny_units(folder, **names)


def _post(client, path: Path, *, source: str | None = None, **params):
    with path.open("rb") as handle:
        return client.post(
            "/imports",
            params=params,
            headers=AUTH,
            data={"source": source} if source is not None else {},
            files={"file": (path.name, handle, "text/csv")},
        )


def test_a_dry_run_returns_the_diff_with_removals(store, tmp_path):
    client = client_for(store)
    assert upload(client, tiny_units(tmp_path / "v1")).status_code == 200
    fewer = tiny_units(tmp_path / "v2", names=("甲村", "丙村"))
    body = upload(client, fewer, params={"dry_run": "true", "replace": "true"}).json()
    units = body["diff"]["sheets"]["units"]
    assert units["counts"] == {"new": 0, "changed": 1, "removed": 0, "unchanged": 3}
    assert units["changed"] == [{"id": "t-village-1", "fields": {"name": {"old": "乙村", "new": "丙村"}}}]
    smaller = tiny_units(tmp_path / "v3", names=("甲村",))
    body = upload(client, smaller, params={"dry_run": "true", "replace": "true"}).json()
    assert body["diff"]["sheets"]["units"]["removed"] == ["t-village-1"]
    assert body["diff"]["needs_confirmation"] and body["import_id"] is None


def test_a_guarded_import_is_409_with_the_diff_until_confirmed(store, tmp_path):
    client = client_for(store)
    upload(client, tiny_units(tmp_path / "v1"))
    before = store.version()
    smaller = tiny_units(tmp_path / "v2", names=("甲村",))
    refused = upload(client, smaller, params={"replace": "true"})
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["diff"]["sheets"]["units"]["removed"] == ["t-village-1"]
    assert "removes 1 records" in problem["detail"] and store.version() == before
    confirmed = upload(client, smaller, params={"replace": "true", "confirm": "true"})
    assert confirmed.status_code == 200 and confirmed.json()["removed"]["units"] == 1


def test_the_source_form_field_names_the_source(store, tmp_path):
    client = client_for(store)
    first = _post(client, tiny_units(tmp_path / "a"), source="乡镇表/a")
    assert first.status_code == 200, first.text
    # Same file name, another source: replacing it with fewer rows leaves the first source's records.
    second = _post(client, tiny_units(tmp_path / "b", names=("丁村",)), source="乡镇表/b", confirm="true")
    assert second.status_code == 200, second.text
    assert {h["source"] for h in client.get("/imports").json()["items"]} == {"乡镇表/a", "乡镇表/b"}
    # A blank source is no source: the file's name (as the schema's description says).
    blank = _post(client, tiny_units(tmp_path / "c"), source=" " * 3, dry_run="true")
    assert blank.status_code == 200 and blank.json()["source"] == "units.csv"
    assert _post(client, tiny_units(tmp_path / "c"), source="x" * 301).status_code == 422


def test_revert_over_the_api(store, tmp_path):
    client = client_for(store)
    first = upload(client, tiny_units(tmp_path / "v1")).json()
    before = client.get("/units").json()["total"]
    added = upload(client, tiny_units(tmp_path / "v2", names=("甲村", "乙村", "丙村"))).json()
    assert client.get("/units").json()["total"] == before + 1
    route = f"/imports/{added['import_id']}/revert"
    assert client.post(route, params={"confirm": "true"}).status_code == 401
    unconfirmed = client.post(route, headers=AUTH)
    assert unconfirmed.status_code == 409 and unconfirmed.json()["diff"]["sheets"]["units"]["removed"] == [
        "t-village-2"
    ]
    done = client.post(route, headers=AUTH, params={"confirm": "true"})
    assert done.status_code == 200, done.text
    assert done.json()["reverts"] == added["import_id"] and done.json()["source"] == f"revert:{added['import_id']}"
    assert client.get("/units").json()["total"] == before
    # The later import and its revert cancel out: nothing depends on the first one any more.
    again = client.post(f"/imports/{first['import_id']}/revert", headers=AUTH, params={"confirm": "true"})
    assert again.status_code == 200, again.text
    assert client.get("/units").json()["total"] == 0
    assert client.post("/imports/nope/revert", headers=AUTH, params={"confirm": "true"}).status_code == 404


def test_two_workers_racing_end_in_a_serial_order_with_no_orphan(store, tmp_path):
    """Two apps on one store, as two server workers: one adds villages under 中界镇, the other
    replaces the base units without it. Whatever the timing, one of them is refused by its
    check (it sees the other's commit) and no village is left without its parent."""
    base = write_sheet(tmp_path / "base", "units", BASE_UNITS)
    villages = [["id", "kind", "name", "side", "parent"]] + [
        [f"520627110{n:03d}", "village", f"村{n}", "helped", "520627110"] for n in range(1, 31)
    ]
    grow = write_sheet(tmp_path / "grow", "units", villages) / "units.csv"
    shrink = write_sheet(tmp_path / "shrink", "units", [r for r in BASE_UNITS if r[0] != "520627110"]) / "units.csv"
    orders: dict[str, int] = {}
    for round_number in range(RACE_ROUNDS):
        # Neo4j is emptied; SQLite gets a new file (its stores have no erase).
        if store.uri.startswith(("bolt", "neo4j")):
            store.erase()
            target = store
        else:
            target = open_store(str(tmp_path / f"race-{round_number}.db"))
        import_file(target, base, source="base")
        first = client_for(target)
        second = TestClient(create_app(Settings(store=target.uri, token=TOKEN)), raise_server_exceptions=False)
        with second:
            barrier = threading.Barrier(2)

            def send(client, path, source, barrier=barrier, **params):
                barrier.wait()
                return _post(client, path, source=source, **params).status_code

            with ThreadPoolExecutor(2) as pool:
                grown = pool.submit(send, first, grow, "grow")
                shrunk = pool.submit(send, second, shrink, "base", replace="true", confirm="true")
                codes = (grown.result(), shrunk.result())
        assert sorted(codes) == [200, 422], f"round {round_number}: {codes}"
        assert orphans(target.snapshot()) == [], f"round {round_number}"
        first_written = "grow first" if codes[0] == 200 else "shrink first"
        orders[first_written] = orders.get(first_written, 0) + 1
        if target is not store:
            target.close()
    print(f"two workers: {RACE_ROUNDS} rounds, outcomes {orders}")
