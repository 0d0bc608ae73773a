"""The answer cache (api/cache.py): repeated GETs come from memory with the same bytes and
headers, 304s still work, downloads are kept per format, errors and requests with
credentials are never kept, and an import by another process invalidates everything."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from pairnet.api.cache import AnswerCache
from tests.support.api import AUTH, ROOT, XLSX, client_for, load_sample, tiny_units

GAPS = "/analyses/gaps?kind=village&within=520627&as_of=2018-12-31&limit=5"


def answer_cache(client: TestClient) -> AnswerCache:
    """The app's AnswerCache instance (the middleware stack is built on the first request)."""
    layer = client.app.middleware_stack
    while not isinstance(layer, AnswerCache):
        layer = layer.app
    return layer


def test_a_repeated_answer_comes_from_the_cache_unchanged(store):
    load_sample(store)
    client = client_for(store)
    first = client.get(GAPS)
    assert first.status_code == 200, first.text
    cache = answer_cache(client)
    assert first.headers["etag"] in cache and len(cache) == 1
    second = client.get(GAPS)
    assert second.content == first.content
    assert dict(second.headers) == dict(first.headers)
    assert second.json()["total"] > 5 and len(second.json()["items"]) == 5
    # The same query written in another order is the same answer.
    reordered = client.get("/analyses/gaps?limit=5&as_of=2018-12-31&within=520627&kind=village")
    assert reordered.headers["etag"] == first.headers["etag"] and reordered.content == first.content
    assert len(cache) == 1


def test_a_cached_answer_still_answers_304(store):
    load_sample(store)
    client = client_for(store)
    etag = client.get(GAPS).headers["etag"]
    assert etag in answer_cache(client)
    again = client.get(GAPS, headers={"If-None-Match": f'W/"other", {etag}'})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    assert client.get(GAPS, headers={"If-None-Match": '"other"'}).status_code == 200


def test_downloads_are_kept_per_format(store):
    load_sample(store)
    client = client_for(store)
    answers = {fmt: client.get(f"{GAPS}&format={fmt}") for fmt in ("csv", "xlsx", "json")}
    assert len({a.headers["etag"] for a in answers.values()}) == 3
    for fmt, first in answers.items():
        again = client.get(f"{GAPS}&format={fmt}")
        assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
    assert answers["xlsx"].headers["content-type"] == XLSX and answers["xlsx"].content[:2] == b"PK"
    assert "gaps-2018-12-31.csv" in client.get(f"{GAPS}&format=csv").headers["content-disposition"]
    assert len(answer_cache(client)) == 3


def test_errors_and_requests_with_credentials_are_never_kept(store):
    load_sample(store)
    client = client_for(store)
    for _ in range(2):
        wrong = client.get("/analyses/gaps?within=no-such-unit")
        assert wrong.status_code == 422 and "within" in wrong.json()["detail"]
        assert client.get("/units/no-such-unit").status_code == 404
    assert client.get(GAPS, headers=AUTH).status_code == 200
    assert len(answer_cache(client)) == 0


def test_an_import_by_another_process_replaces_every_cached_answer(tmp_path):
    from pairnet.store.store import open_store

    with open_store(str(tmp_path / "pairnet.db")) as store:
        client = client_for(store)
        empty = client.get("/units?kind=village")
        assert empty.json()["total"] == 0
        assert client.get("/units?kind=village").content == empty.content
        units = tiny_units(tmp_path)
        script = (
            "import sys; from pairnet.store.store import open_store; from pairnet.imports import import_file; "
            "s = open_store(sys.argv[1]); import_file(s, sys.argv[2]); s.close()"
        )
        subprocess.run([sys.executable, "-c", script, store.uri, str(units)], cwd=ROOT, check=True)
        after = client.get("/units?kind=village", headers={"If-None-Match": empty.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != empty.headers["etag"]
        assert [u["name"] for u in after.json()["items"]] == ["甲村", "乙村"]
        cache = answer_cache(client)
        assert empty.headers["etag"] not in cache and after.headers["etag"] in cache and len(cache) == 1


def test_the_cache_holds_at_most_its_bytes(store):
    load_sample(store)
    client = client_for(store)
    client.get("/")
    cache = answer_cache(client)
    cache.max_bytes = 40_000
    big = client.get("/units?limit=1000")
    assert len(big.content) > cache.max_bytes // 4
    assert big.headers["etag"] not in cache
    small = [client.get(f"/units?limit=10&offset={n}") for n in range(0, 200, 10)]
    assert sum(len(a.content) for a in small) > cache.max_bytes
    assert 0 < len(cache) < len(small) + 1
    assert small[-1].headers["etag"] in cache and small[0].headers["etag"] not in cache
