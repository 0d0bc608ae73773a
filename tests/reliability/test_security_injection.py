"""Hostile values through every door, on both stores: Cypher and SQL injection through every
parameter of every route and catalog query changes nothing; names made of HTML, JavaScript
and spreadsheet formulas are stored verbatim, inert in every page, and neutralised in every
CSV and XLSX export; and the write token is compared in constant time.

(tests/api/test_api_security.py has the server's start-up rules, CORS, problem documents and the
503; tests/api/test_api_imports.py the 401s, 403 and 413.)
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import openpyxl
import pytest

from pairnet.api import deps
from pairnet.graph.model import Dataset, Pairing, Unit
from pairnet.imports import import_dataset
from pairnet.store import catalog
from tests.support.api import AUTH, client_for, tiny_units, upload
from tests.support.reliability import content_digest
from tests.support.stores import neo4j_store, small_dataset, sqlite_store

CYPHER = [
    "x'}) DETACH DELETE n //",
    'x"}) MATCH (n) DETACH DELETE n //',
    "' OR 1=1 WITH 1 AS x MATCH (n) DETACH DELETE n //",
    "`Unit`) DETACH DELETE n //",
    "1; DROP TABLE units; --",
    "') OR ('1'='1",
]
MARKUP = ["<script>alert('pairnet')</script>", '"><img src=x onerror=alert(1)>', "</script><svg onload=alert(2)>"]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1+2"]
HOSTILE = CYPHER + MARKUP + FORMULAS
INTERNALS = ("Traceback", "/work/", '.py"', "sqlite3.", "neo4j.exceptions", "Neo4jError")


def hostile_dataset() -> Dataset:
    """The small dataset plus a township and one village per hostile name, each paired."""
    units = [Unit(id="h-town", kind="township", name=MARKUP[0], side="helped", parent_id="520627")]
    pairings = []
    for n, name in enumerate(HOSTILE):
        units.append(
            Unit(
                id=f"h-{n}",
                kind="village",
                name=name,
                side="helped",
                parent_id="h-town",
                poverty="deeply_poor",
                note=name,
                stage=None,
            )
        )
        pairings.append(
            Pairing(
                id=f"hp-{n}",
                helper_id="320582001",
                helped_id=f"h-{n}",
                level="village",
                program=name,
                agreement=name,
                note=name,
            )
        )
    base = small_dataset()
    return Dataset(units=base.units + tuple(units), pairings=base.pairings + tuple(pairings), flows=base.flows)


@pytest.fixture
def hostile_store(store):
    import_dataset(store, hostile_dataset(), source="hostile.xlsx")
    return store


def test_hostile_names_are_stored_verbatim(hostile_store):
    snapshot = hostile_store.snapshot()
    names = {u.id: u.name for u in snapshot.units}
    assert [names[f"h-{n}"] for n in range(len(HOSTILE))] == HOSTILE
    assert snapshot.counts() == hostile_dataset().counts()  # nothing deleted, nothing dropped


def _routes(client) -> list[tuple[str, list[dict]]]:
    paths = client.get("/openapi.json").json()["paths"]
    return [(path, ops["get"].get("parameters", [])) for path, ops in paths.items() if "get" in ops]


def _bad_answer(response) -> str | None:
    if response.status_code >= 500:
        return f"status {response.status_code}"
    leaked = [word for word in INTERNALS if word in response.text]
    return f"leaks {leaked}" if leaked else None


def test_injection_through_every_parameter_changes_nothing(hostile_store):
    client = client_for(hostile_store)
    version, digest = hostile_store.version(), content_digest(hostile_store)
    failures, requests = [], 0
    for path, parameters in _routes(client):
        for parameter in parameters:
            for payload in (CYPHER[0], CYPHER[2], MARKUP[2]):
                if parameter["in"] == "path":
                    url = path.replace("{" + parameter["name"] + "}", quote(payload, safe=""))
                    response = client.get(url)
                else:
                    url = (
                        path.replace("{ref}", "520627")
                        .replace("{pairing_id}", "p-town")
                        .replace("{flow_id}", "f-funds")
                    )
                    response = client.get(url, params={parameter["name"]: payload})
                requests += 1
                if problem := _bad_answer(response):
                    failures.append((url, parameter["name"], payload, problem))
    assert requests > 100
    assert not failures, failures[:10]
    assert hostile_store.version() == version and content_digest(hostile_store) == digest


@pytest.mark.neo4j
def test_injection_through_every_catalog_parameter_changes_nothing(tmp_path):
    store = neo4j_store(tmp_path)  # catalog queries are Cypher: Neo4j only
    try:
        import_dataset(store, hostile_dataset(), source="hostile.xlsx")
        version, digest = store.version(), content_digest(store)
        tried = 0
        for name in catalog.names():
            declared = catalog.describe(name)["parameters"]
            # A date parameter takes a date (Cypher's date() refuses other text): those stay None.
            for target in [p for p in declared if p != "as_of" and "date" not in p]:
                for payload in CYPHER:
                    rows = catalog.run(store, name, **{p: (payload if p == target else None) for p in declared})
                    assert rows == [] or all(isinstance(row, dict) for row in rows)
                    tried += 1
        assert tried >= len(CYPHER) * 3
        assert store.version() == version and content_digest(store) == digest
    finally:
        store.close()


PAGES = [
    "/maps/",
    "/maps/unit/h-0",
    "/maps/unit/h-town?depth=2",
    "/maps/five-in-one?helper=320582&helped=520627",
    "/maps/gaps?within=h-town",
    "/maps/gaps?within=520627",
    "/maps/national",
    "/maps/geo",
    "/docs",
]


def test_markup_in_names_is_inert_in_every_page(tmp_path):
    store = sqlite_store(tmp_path)
    import_dataset(store, hostile_dataset(), source="hostile.xlsx")
    client = client_for(store)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, (page, response.text[:300])
        html = response.text
        for payload in MARKUP:
            assert payload not in html, (page, payload)
        # No tag a name could have opened: the only script tags are the page's own.
        assert not re.search(r"<(img|svg)[^>]*on(error|load)=", html), page
        assert "alert('pairnet')</script>" not in html and "<svg onload" not in html, page
    unit_page = client.get("/maps/unit/h-0").text
    assert "alert" in unit_page  # the hostile name is on the page, as text
    store.close()


def _cells_of_csv(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


EXPORT_ROUTES = [
    "/units?within=h-town",
    "/pairings?helped=h-town",
    "/pairings?unit=h-0",
    "/analyses/gaps?kind=village&within=h-town",
    "/analyses/balance",
    "/analyses/coverage?kind=village&by=township",
]


def test_exports_neutralise_formulas_and_keep_json_verbatim(hostile_store):
    client = client_for(hostile_store)
    starts = ("=", "+", "-", "@")
    for route in EXPORT_ROUTES:
        joiner = "&" if "?" in route else "?"
        as_csv = client.get(f"{route}{joiner}format=csv")
        assert as_csv.status_code == 200, (route, as_csv.text[:300])
        cells = _cells_of_csv(as_csv.text.lstrip("\ufeff"))
        live = [c for c in cells if c.lstrip(" \t\r\n").startswith(starts) and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
        assert not live, (route, live)
        as_xlsx = client.get(f"{route}{joiner}format=xlsx")
        assert as_xlsx.status_code == 200, route
        sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
        values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [v for v in values if v.lstrip(" \t\r\n").startswith(starts)], route
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"], route
    names = {u["name"] for u in client.get("/units?within=h-town&limit=100").json()["items"]}
    assert set(FORMULAS) <= names  # JSON carries the data as it is


def test_the_token_is_compared_in_constant_time(store, tmp_path, monkeypatch):
    calls = []
    real = deps.secrets.compare_digest

    def spy(given, expected):
        calls.append((given, expected))
        return real(given, expected)

    monkeypatch.setattr(deps.secrets, "compare_digest", spy)
    client = client_for(store)
    path = tiny_units(tmp_path)
    assert upload(client, path, headers={"Authorization": "Bearer wrong-token-0123456789"}).status_code == 401
    assert calls and calls[-1][0] == b"wrong-token-0123456789"
    assert upload(client, path, headers=AUTH).status_code == 200
    assert len(calls) == 2


def test_page_size_is_bounded_on_every_list(hostile_store):
    client = client_for(hostile_store, max_page_size=5)
    lists = [path for path, parameters in _routes(client) if any(p["name"] == "limit" for p in parameters)]
    assert len(lists) >= 4
    for path in lists:
        params = {"withdraw": "320582"} if "whatif" in path else {}
        response = client.get(path, params={**params, "limit": 10**9})
        assert response.status_code == 200, (path, response.text[:200])
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        assert len(items) <= 5, path
    assert client.get("/units", params={"limit": 10**9}).json()["total"] > 5  # there was more to send


def test_cors_preflight_is_refused_by_default(store):
    client = client_for(store)
    preflight = client.options(
        "/imports",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-methods" not in preflight.headers
