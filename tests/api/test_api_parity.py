"""The same answers from every store: each GET route on the sample, served from SQLite and
from Neo4j, gives the same JSON (apart from import ids, times and version stamps)."""

from __future__ import annotations

import pytest

from tests.support.api import SAMPLE_ROUTES, client_for, load_sample, stable
from tests.support.stores import STORE_FACTORIES

pytestmark = pytest.mark.neo4j  # the clients fixture opens the shared Neo4j for every test


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    stores = {}
    for kind, factory in STORE_FACTORIES.items():
        stores[kind] = factory(tmp_path_factory.mktemp(f"parity-{kind}"))
        load_sample(stores[kind])
    yield {kind: client_for(store) for kind, store in stores.items()}
    for store in stores.values():
        store.close()


def _detail_routes(client) -> list[str]:
    pairing = client.get("/pairings", params={"level": "village", "helped": "520627110217"}).json()["items"][0]["id"]
    flow = client.get("/flows", params={"kind": "funds", "limit": 1}).json()["items"][0]["id"]
    return [f"/pairings/{pairing}", f"/flows/{flow}"]


def test_every_route_gives_the_same_answer_on_every_store(clients):
    assert len(clients) == len(STORE_FACTORIES) >= 2
    reference_kind, reference = next(iter(clients.items()))
    routes = [
        *SAMPLE_ROUTES,
        *_detail_routes(reference),
        "/units?limit=1000",
        "/pairings?limit=1000",
        "/flows?limit=1000",
    ]
    for url in routes:
        expected = reference.get(url)
        assert expected.status_code == 200, url
        for kind, client in clients.items():
            answer = client.get(url)
            assert answer.status_code == 200, (kind, url)
            assert stable(answer.json()) == stable(expected.json()), f"{kind} differs from {reference_kind} on {url}"


def test_downloads_are_the_same_on_every_store(clients):
    bodies = {
        kind: client.get("/analyses/gaps", params={"kind": "township", "side": "helped", "format": "csv"}).content
        for kind, client in clients.items()
    }
    assert len(set(bodies.values())) == 1
    assert "祐溪街道".encode() in next(iter(bodies.values()))
