"""Every answer's schema is typed (issue 19, item 4): no object in ``/openapi.json`` leaves
its members open where their shape is known, and real answers have exactly those members."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pairnet.diff import ChangeCounts, SheetDocument, SheetDocuments
from pairnet.maps.find import FoundUnit
from tests.support.api import client_for, load_sample, tiny_units, upload
from tests.support.stores import sqlite_store

# Keywords by which a schema says what its value is; a schema with none of them takes anything.
_SHAPED = {"type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const"}
# Deliberately open objects, by location in the document, with the reason: none. (A map from
# names to a typed value, such as ``written``: records per table, is typed: its values have a
# schema.)
OPEN_BY_DESIGN: set[str] = set()


def _open_objects(node: Any, where: str = "#") -> Iterator[str]:
    """Locations of object schemas whose members are not typed, and of schemas that take anything."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _open_objects(item, f"{where}/{index}")
        return
    if not isinstance(node, dict):
        return
    extra = node.get("additionalProperties")
    if extra is True or extra == {}:
        yield where
    elif node.get("type") == "object" and not node.get("properties") and not isinstance(extra, dict):
        yield where
    for key in ("properties", "patternProperties"):
        for name, member in (node.get(key) or {}).items():
            if isinstance(member, dict) and not _SHAPED & set(member):
                yield f"{where}/{key}/{name}"
    if isinstance(node.get("items"), dict) and not _SHAPED & set(node["items"]):
        yield f"{where}/items"
    for key, value in node.items():
        yield from _open_objects(value, f"{where}/{key}")


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = sqlite_store(tmp_path_factory.mktemp("typed"))
    load_sample(store)
    yield client_for(store)
    store.close()


def test_the_walk_finds_an_open_object() -> None:
    # The walk itself: each kind of open schema is found where it is.
    document = {
        "a": {"type": "object", "additionalProperties": True},
        "b": {"type": "object"},
        "c": {"type": "object", "properties": {"x": {}}},
        "d": {"type": "array", "items": {}},
        "e": {"type": "object", "additionalProperties": {"type": "integer"}},
    }
    assert sorted(_open_objects(document)) == ["#/a", "#/b", "#/c/properties/x", "#/d/items"]


def test_no_answer_schema_is_left_open(sample_client: TestClient) -> None:
    document = sample_client.get("/openapi.json").json()
    assert set(_open_objects(document)) == OPEN_BY_DESIGN


def test_the_typed_parts_are_named_schemas(sample_client: TestClient) -> None:
    schemas = sample_client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["ImportResult"]["properties"]["diff"]["anyOf"][0] == {"$ref": "#/components/schemas/DiffDocument"}
    assert schemas["ImportDetail"]["properties"]["diff"]["$ref"] == "#/components/schemas/DiffDocument"
    assert schemas["WriteAnswer"]["properties"]["pairing"]["$ref"] == "#/components/schemas/Pairing"
    for moment in ("before", "after"):
        assert schemas["CoverageFigure"]["properties"][moment]["$ref"] == "#/components/schemas/CoverageCounts"
    search = sample_client.get("/openapi.json").json()["paths"]["/maps/search"]["get"]
    items = search["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/FoundUnit"}


def test_a_search_answer_has_exactly_the_documented_members(sample_client: TestClient) -> None:
    found = sample_client.get("/maps/search", params={"q": "中界镇"}).json()
    assert found and all(set(unit) == set(FoundUnit.__annotations__) for unit in found)
    assert found[0]["name"] == "中界镇" and found[0]["kind"] == "township"


def test_a_dry_run_diff_has_every_sheet_typed(sample_client: TestClient, tmp_path: Path) -> None:
    answer = upload(sample_client, tiny_units(tmp_path), params={"dry_run": "true"})
    assert answer.status_code == 200, answer.text
    sheets = answer.json()["diff"]["sheets"]
    assert set(sheets) == set(SheetDocuments.__annotations__)
    assert all(set(sheet) == set(SheetDocument.__annotations__) for sheet in sheets.values())
    assert set(sheets["units"]["counts"]) == set(ChangeCounts.__annotations__)
    assert sheets["units"]["counts"]["new"] == 4 and sheets["pairings"]["counts"]["new"] == 0
