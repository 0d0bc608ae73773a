"""The Neo4j store beyond the shared contract: configuration, failures and the graph's
shape. All or nothing (a failed or killed import): tests/store/test_neo4j_atomic.py.

The contract itself (round trip, replace, version, history...) runs on both stores in
tests/store/test_store_contract.py through the ``store`` fixture.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pairnet.graph.errors import StoreUnavailable
from pairnet.graph.model import Dataset, Kind
from pairnet.imports import import_file
from pairnet.store import catalog
from pairnet.store.neo4j_store import LABELS, RELATIONSHIP_TYPES, Neo4jStore, mask_uri
from pairnet.store.store import open_store
from tests.support import stores
from tests.support.stores import NEO4J_URI, neo4j_store, small_dataset

ROOT = Path(__file__).resolve().parents[2]
PAIRNET = Path(sys.executable).with_name("pairnet")
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
HOST_PORT = NEO4J_URI.split("://", 1)[1]

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo(tmp_path):
    opened = neo4j_store(tmp_path)
    yield opened
    opened.close()


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_unreachable_server_is_one_line_naming_the_uri():
    with pytest.raises(StoreUnavailable) as caught:
        open_store("bolt://127.0.0.1:1")
    assert "bolt://127.0.0.1:1" in one_line(str(caught.value))


def test_wrong_password_in_the_uri_is_masked(neo):
    uri = f"bolt://neo4j:not-the-password@{HOST_PORT}"
    with pytest.raises(StoreUnavailable) as caught:
        open_store(uri)
    message = one_line(str(caught.value))
    assert f"bolt://neo4j:***@{HOST_PORT}" in message and "unauthorized" in message.lower()
    assert "not-the-password" not in message


def test_user_and_password_come_from_the_environment(neo, monkeypatch):
    password = os.environ.get("PAIRNET_NEO4J_PASSWORD", "pairnet-test-password")
    monkeypatch.setenv("PAIRNET_NEO4J_PASSWORD", "also-not-the-password")
    with pytest.raises(StoreUnavailable, match=re.escape(NEO4J_URI)):
        Neo4jStore(NEO4J_URI)
    monkeypatch.setenv("PAIRNET_NEO4J_PASSWORD", password)
    Neo4jStore(NEO4J_URI).close()
    monkeypatch.setenv("PAIRNET_NEO4J_USER", "nobody")
    with pytest.raises(StoreUnavailable):
        Neo4jStore(NEO4J_URI)


def test_neo4j_scheme_works_too(neo):
    with open_store(NEO4J_URI.replace("bolt://", "neo4j://")) as routed:
        assert routed.version() == neo.version()


@pytest.mark.parametrize("uri", ["bolt://neo4j:wrong-password@{hp}", "bolt://127.0.0.1:1"])
def test_cli_says_it_in_one_line_and_exits_non_zero(neo, uri):
    uri = uri.format(hp=HOST_PORT)
    env = {**os.environ, "PAIRNET_STORE": uri, "COLUMNS": "250", "NO_COLOR": "1"}
    done = subprocess.run([str(PAIRNET), "imports"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert mask_uri(uri) in line and "Traceback" not in done.stderr + done.stdout
    assert "wrong-password" not in done.stderr + done.stdout


def test_ci_fails_rather_than_skips_without_neo4j(monkeypatch, tmp_path):
    monkeypatch.setattr(stores, "NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        stores.neo4j_store(tmp_path)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="scripts/neo4j start"):
        stores.neo4j_store(tmp_path)


def test_constraints_and_whitelisted_names_only(neo):
    import_file(neo, SAMPLE)
    labels = {row["label"] for row in neo.run("CALL db.labels() YIELD label RETURN label")}
    types = {row["t"] for row in neo.run("CALL db.relationshipTypes() YIELD relationshipType AS t RETURN t")}
    assert {"Unit", "Village", "Township", "Flow", "Import", "PairnetMeta"} <= labels <= set(LABELS)
    assert types == set(RELATIONSHIP_TYPES)
    constraints = {row["name"] for row in neo.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"unit_id", "flow_id", "pairing_id", "import_id", "meta_key"} <= constraints
    # Every label or type any shipped Cypher names is on the whitelist.
    import pairnet.store.neo4j_cypher as module

    texts = [catalog.load(name) for name in catalog.names()] + list(module.SCHEMA)
    for name in module.__all__:
        value = getattr(module, name)
        texts += [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else []
    named = set()
    for text in texts:
        for match in re.finditer(r"[(\[]\w*((?::\w+|\|\w+|:%\(\w+\)s|:%s)+)", text):
            named |= {n for n in re.split(r"[:|]", match[1]) if n and "%" not in n}
    assert named and named <= set(LABELS) | set(RELATIONSHIP_TYPES)


def test_hierarchy_and_flows_are_relationships(neo):
    neo.write(small_dataset(), source="sample.xlsx")
    [row] = neo.run(
        "MATCH (v:Unit:Village {id: $id})-[:PART_OF*]->(c:County) RETURN c.id AS county", {"id": "520627110201"}
    )
    assert row == {"county": "520627"}
    [row] = neo.run("MATCH (f:Flow {id: 'f-funds'})-[:FROM]->(a), (f)-[:TO]->(b) RETURN a.id AS a, b.id AS b")
    assert row == {"a": "320582", "b": "520627"}
    # A unit re-imported as another kind keeps one kind label, the new one.
    changed = small_dataset().units[8].model_copy(update={"kind": Kind.SOCIAL_ORGANIZATION, "ownership": None})
    neo.write(Dataset(units=(changed,)), source="fix.csv")
    [row] = neo.run("MATCH (u:Unit {id: 'u-ent'}) RETURN labels(u) AS labels")
    assert sorted(row["labels"]) == ["SocialOrganization", "Unit"]
    # A pairing re-imported with another helper moves: one relationship, the new one.
    moved = small_dataset().pairings[3].model_copy(update={"helper_id": "u-park-e"})
    neo.write(Dataset(pairings=(moved,)), source="fix.csv")
    rows = neo.run("MATCH (a)-[p:PAIRED_WITH {id: 'p-ent'}]->(b) RETURN a.id AS a, b.id AS b")
    assert rows == [{"a": "u-park-e", "b": "520627110202"}]


def test_store_doctests():
    import doctest

    import pairnet.store.neo4j_store as module

    assert doctest.testmod(module).failed == 0
