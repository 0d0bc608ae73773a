"""Scoped reads from Neo4j: the look-ups of :mod:`pairnet.store.scoped` as Cypher.

Each look-up starts from units found through the ``unit_id`` constraint's index (or the
``pairing_id`` one) and walks relationships from there: ``PART_OF`` down to a subtree,
``PAIRED_WITH`` to the pairings of a unit, ``FROM``/``TO`` to its flows. Nothing scans
every unit, except the units with successors, found from the ``SUCCEEDED_BY``
relationships (few).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import neo4j

from pairnet.graph.model import Dataset, Flow, Pairing, Unit

from .import_part import ImportReads

__all__ = ["Neo4jScopedReads"]

_PAIRING = "p {.*, helper_id: a.id, helped_id: b.id} AS r"
SUBTREE = "MATCH (r:Unit) WHERE r.id IN $ids MATCH (d:Unit)-[:PART_OF*0..]->(r) RETURN DISTINCT d.id AS id"
UNITS = "MATCH (r:Unit) WHERE r.id IN $ids RETURN r {.*} AS r"
WITH_SUCCESSORS = "MATCH (r:Unit)-[:SUCCEEDED_BY]->() RETURN DISTINCT r {.*} AS r"
PAIRINGS_TOUCHING = f"""
MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE a.id IN $ids RETURN {_PAIRING}
UNION
MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE b.id IN $ids RETURN {_PAIRING}
"""
PAIRINGS = f"MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE p.id IN $ids RETURN {_PAIRING}"
FLOWS = "MATCH (r:Flow) WHERE r.id IN $ids RETURN r {.*} AS r"
UNITS_BY_KEY = """
MATCH (r:Unit) WHERE r.id IN $ids RETURN r {.*} AS r
UNION
MATCH (r:Unit) WHERE r.code IN $ids RETURN r {.*} AS r
"""
CHILDREN = "MATCH (r:Unit)-[:PART_OF]->(p:Unit) WHERE p.id IN $ids RETURN r {.*} AS r"
ROOTS = "MATCH (r:Unit) WHERE NOT (r)-[:PART_OF]->() RETURN r {.*} AS r"
SOURCE_COUNT = """
CALL { MATCH (r:Unit) WHERE r.source_file = $source RETURN count(r) AS n
       UNION ALL MATCH ()-[r:PAIRED_WITH]->() WHERE r.source_file = $source RETURN count(r) AS n
       UNION ALL MATCH (r:Flow) WHERE r.source_file = $source RETURN count(r) AS n }
RETURN sum(n) AS n
"""
OF_SOURCE = {
    "units": "MATCH (r:Unit) WHERE r.source_file IN $ids RETURN r {.*} AS r",
    "pairings": f"MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE p.source_file IN $ids RETURN {_PAIRING}",
    "flows": "MATCH (r:Flow) WHERE r.source_file IN $ids RETURN r {.*} AS r",
}
FLOWS_TOUCHING = "MATCH (r:Flow)-[:FROM|TO]->(u:Unit) WHERE u.id IN $ids RETURN DISTINCT r {.*} AS r"


class Neo4jScopedReads(ImportReads):
    """The look-ups of a scoped read and of an import's part on one transaction ``tx``; ``decode`` turns a record's properties
    into its model, per table (as a whole snapshot does)."""

    def __init__(
        self,
        tx: neo4j.ManagedTransaction | neo4j.Transaction,
        decode: dict[str, Callable[[dict[str, Any]], Unit | Pairing | Flow]],
    ):
        self._tx = tx
        self._decode = decode

    def _records(self, table: str, query: str, ids: Collection[str] | None) -> list[Any]:
        if ids is not None and not ids:
            return []
        parameters = {} if ids is None else {"ids": sorted(ids)}
        return [self._decode[table](dict(record["r"])) for record in self._tx.run(query, parameters)]

    def subtree(self, roots: Collection[str]) -> set[str]:
        return {record["id"] for record in self._tx.run(SUBTREE, {"ids": sorted(roots)})}

    def units(self, ids: Collection[str]) -> list[Unit]:
        return sorted(self._records("units", UNITS, ids), key=lambda u: u.id)

    def units_with_successors(self) -> list[Unit]:
        return self._records("units", WITH_SUCCESSORS, None)

    def pairings_touching(self, ids: Collection[str]) -> list[Pairing]:
        return self._records("pairings", PAIRINGS_TOUCHING, ids)

    def pairings(self, ids: Collection[str]) -> list[Pairing]:
        return self._records("pairings", PAIRINGS, ids)

    def flows(self, ids: Collection[str]) -> list[Flow]:
        """The flows of these ids (unknown ids are skipped): for a delta."""
        return self._records("flows", FLOWS, ids)

    def flows_touching(self, ids: Collection[str]) -> list[Flow]:
        return self._records("flows", FLOWS_TOUCHING, ids)

    def units_by_key(self, keys: Collection[str]) -> list[Unit]:
        return self._records("units", UNITS_BY_KEY, keys)

    def children(self, parents: Collection[str]) -> list[Unit]:
        return self._records("units", CHILDREN, parents)

    def roots(self) -> list[Unit]:
        return self._records("units", ROOTS, None)

    def of_source(self, source: str, limit: int) -> Dataset | None:
        if self._tx.run(SOURCE_COUNT, {"source": source}).single(strict=True)["n"] > limit:
            return None
        units, pairings, flows = (tuple(self._records(t, query, [source])) for t, query in OF_SOURCE.items())
        return Dataset.model_construct(units=units, pairings=pairings, flows=flows)
