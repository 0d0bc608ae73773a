"""Units, pairings and flows over HTTP, on the sample, once per store kind: filters, details,
pagination edges and stable ordering, checked against the store's own snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

from pairnet.graph.network import build_network, parent_chain
from pairnet.i18n.collation import unit_key
from tests.support.api import SAMPLE_ROUTES, client_for, load_sample
from tests.support.stores import STORE_FACTORIES


@pytest.fixture(scope="module", params=list(STORE_FACTORIES))
def sample(request, tmp_path_factory):
    """(client, dataset) for the sample loaded into a store of each kind, once per module."""
    store = STORE_FACTORIES[request.param](tmp_path_factory.mktemp(f"api-{request.param}"))
    load_sample(store)
    client = client_for(store, max_page_size=200)
    yield client, store.snapshot()
    store.close()


def test_every_get_route_answers(sample):
    client, _ = sample
    for url in SAMPLE_ROUTES:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert response.headers["content-type"] == "application/json"
        assert response.headers["etag"]


def test_unit_list_filters_match_the_snapshot(sample):
    client, dataset = sample
    page = client.get(
        "/units", params={"kind": "village", "poverty": "deeply_poor", "side": "helped", "limit": 200}
    ).json()
    # The register's order: division code, then the pinyin of the name (pairnet.i18n.collation).
    chosen = [u for u in dataset.units if u.kind == "village" and u.poverty == "deeply_poor"]
    expected = [u.id for u in sorted(chosen, key=unit_key)]
    assert page["total"] == len(expected)
    assert [u["id"] for u in page["items"]] == expected
    children = client.get("/units", params={"parent": "沿河土家族自治县", "kind": "township", "limit": 200}).json()
    assert children["total"] == sum(1 for u in dataset.units if u.parent_id == "520627" and u.kind == "township")
    in_2018 = client.get("/units", params={"parent": "520627", "kind": "township", "as_of": "2018-12-31"}).json()
    assert in_2018["total"] == 22  # the article's 22 townships; 祐溪街道 came in 2021
    assert "祐溪街道" not in {u["name"] for u in in_2018["items"]}
    found = client.get("/units", params={"q": "高峰"}).json()
    assert [u["id"] for u in found["items"]] == ["520627110217"]
    by_code = client.get("/units", params={"q": "520627110", "kind": "village", "limit": 200}).json()
    assert by_code["total"] > 0 and all(u["code"].startswith("520627110") for u in by_code["items"])


def test_within_counts_every_level_below(sample):
    client, dataset = sample
    network = build_network(dataset)
    below = client.get("/units", params={"within": "520627110", "limit": 200}).json()
    expected = {n for n in network if "520627110" in parent_chain(network, n)}
    assert below["total"] == len(expected)
    assert {u["id"] for u in below["items"]} == expected


def test_unit_detail_has_its_parent_chain_and_pairings_by_level(sample):
    client, _ = sample
    by_path = client.get("/units/沿河土家族自治县/中界镇/高峰村", params={"as_of": "2018-12-31"}).json()
    by_code = client.get("/units/520627110217", params={"as_of": "2018-12-31"}).json()
    assert by_path == by_code
    assert by_code["unit"]["name"] == "高峰村"
    assert [p["name"] for p in by_code["parents"]][:2] == ["中界镇", "沿河土家族自治县"]
    village = by_code["pairings"]["village"]
    assert [(p["role"], p["partner"]["name"], p["active"]) for p in village] == [("helped", "善港村", True)]
    helper = client.get("/units/320582100212").json()
    assert [p["partner"]["name"] for p in helper["pairings"]["village"]] == ["高峰村"]
    assert client.get("/units/高峰村").json()["unit"]["id"] == "520627110217"


def test_pairing_filters_and_detail(sample):
    client, dataset = sample
    village = client.get("/pairings", params={"level": "village", "helped": "520627110217"}).json()
    assert village["total"] == 1
    pairing = village["items"][0]
    assert pairing["helper_id"] == "320582100212"
    detail = client.get(f"/pairings/{pairing['id']}").json()
    assert (detail["helper"]["name"], detail["helped"]["name"]) == ("善港村", "高峰村")
    townships_2018 = client.get("/pairings", params={"level": "township", "active_on": "2018-12-31"}).json()
    expected = [p for p in dataset.pairings if p.level == "township" and p.active_on(dt.date(2018, 12, 31))]
    assert townships_2018["total"] == len(expected)
    modes = client.get("/pairings", params={"mode": "state_enterprise", "limit": 200}).json()
    assert modes["total"] == sum(1 for p in dataset.pairings if p.mode == "state_enterprise")
    assert client.get("/pairings/no-such-pairing").status_code == 404


def test_flow_filters_and_detail(sample):
    client, dataset = sample
    funds = client.get("/flows", params={"kind": "funds", "year": 2018, "limit": 200}).json()
    expected = sorted(f.id for f in dataset.flows if f.kind == "funds" and f.year == 2018)
    assert [f["id"] for f in funds["items"]] == expected
    flow = funds["items"][0]
    detail = client.get(f"/flows/{flow['id']}").json()
    names = ("from_name", "from_code", "to_name", "to_code")
    assert detail["flow"] == {key: value for key, value in flow.items() if key not in names}
    if flow["to_id"]:
        assert detail["to_unit"]["id"] == flow["to_id"]
        # The list names both ends beside their ids (issue 16, item 8).
        assert (flow["to_name"], flow["to_code"]) == (detail["to_unit"]["name"], detail["to_unit"]["code"])
    into_yanhe = client.get("/flows", params={"to": "520627"}).json()
    assert into_yanhe["total"] == sum(1 for f in dataset.flows if f.to_id == "520627")
    assert client.get("/flows/no-such-flow").status_code == 404


def test_unit_list_names_the_parents_beside_the_parent_id(sample):
    client, dataset = sample
    item = client.get("/units", params={"q": "高峰村"}).json()["items"][0]
    assert (item["id"], item["parent_id"], item["parent_name"]) == ("520627110217", "520627110", "中界镇")
    assert item["parents"] == "贵州省 / 铜仁市 / 沿河土家族自治县 / 中界镇"
    root = client.get("/units", params={"q": "贵州省"}).json()["items"][0]
    assert (root["parent_id"], root["parent_name"], root["parents"]) == (None, None, "")


def test_pages_are_stable_and_complete(sample):
    client, dataset = sample
    ids = sorted(u.id for u in dataset.units)
    seen = []
    offset = 0
    while True:
        page = client.get("/units", params={"offset": offset, "limit": 150, "order": "id"}).json()
        assert page["total"] == len(ids) and page["limit"] == 150 and page["offset"] == offset
        if not page["items"]:
            break
        seen.extend(u["id"] for u in page["items"])
        offset += 150
    assert seen == ids


def test_pagination_edges(sample):
    client, dataset = sample
    total = len(dataset.units)
    last = client.get("/units", params={"offset": total - 1, "limit": 5, "order": "id"}).json()
    assert [u["id"] for u in last["items"]] == [max(u.id for u in dataset.units)]
    assert client.get("/units", params={"offset": total}).json()["items"] == []
    assert client.get("/units", params={"offset": total + 1000}).json() == {
        "total": total,
        "offset": total + 1000,
        "limit": 100,
        "items": [],
    }
    clamped = client.get("/units", params={"limit": 10_000}).json()
    assert clamped["limit"] == 200 and len(clamped["items"]) == 200  # the server's maximum (max_page_size)
    single = client.get("/units", params={"limit": 1, "offset": 1, "order": "id"}).json()
    assert [u["id"] for u in single["items"]] == sorted(u.id for u in dataset.units)[1:2]
    for bad in ({"limit": 0}, {"offset": -1}, {"limit": "ten"}):
        response = client.get("/units", params=bad)
        assert response.status_code == 422, bad
        assert response.json()["parameters"][0]["parameter"] in ("limit", "offset")
    empty = client.get("/units", params={"kind": "hospital", "side": "helper", "poverty": "poor"}).json()
    assert empty["total"] == 0 and empty["items"] == []
