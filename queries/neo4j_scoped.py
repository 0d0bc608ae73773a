"""Scoped reads from Neo4j: the look-ups of :mod:`pairnet.store.scoped` as Cypher.

Each look-up starts from units found through the ``unit_id`` constraint's index (or the
``pairing_id`` one) and walks relationships from there: ``PART_OF`` down to a subtree and
up to the ancestors, ``PAIRED_WITH`` to the pairings of a unit, ``FROM``/``TO`` to its
flows. Nothing scans every unit, except the units with successors, found from the
``SUCCEEDED_BY`` relationships (few).

A county's question waits mostly on round trips and on the driver's decoding, not on the
server, so every look-up returns its records as one list (one Bolt record, not one per
row), and the unit look-ups bring the ancestor chains along: :func:`scoped_dataset` asks
for the parents of every unit it reads, level by level, and finds them already read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import neo4j

from pairnet.graph.model import Dataset, Flow, Pairing, Unit

from .import_part import ImportReads
from .neo4j_cypher import PAIRING, record

__all__ = ["Neo4jScopedReads"]

_UNIT = record("u")
# The units of $ids and every unit above them, each once.
UNITS = f"""
MATCH (r:Unit) WHERE r.id IN $ids
OPTIONAL MATCH (r)-[:PART_OF*1..]->(a:Unit)
WITH collect(r) + collect(a) AS found
UNWIND found AS u
WITH DISTINCT u
RETURN collect({_UNIT}) AS rs
"""
# The subtrees of $ids (their ids in ``inside``) and the units above the roots; one row, also
# when no root exists.
SUBTREE = f"""
MATCH (r:Unit) WHERE r.id IN $ids
WITH collect(r) AS roots
CALL (roots) {{ UNWIND roots AS r MATCH (d:Unit)-[:PART_OF*0..]->(r) RETURN collect(DISTINCT d) AS below }}
CALL (roots) {{ UNWIND roots AS r MATCH (r)-[:PART_OF*1..]->(a:Unit) RETURN collect(DISTINCT a) AS above }}
RETURN [u IN below | u.id] AS inside, [u IN below + above | {_UNIT}] AS rs
"""
WITH_SUCCESSORS = f"""
MATCH (u:Unit)-[:SUCCEEDED_BY]->()
WITH DISTINCT u
RETURN collect({_UNIT}) AS rs
"""
PAIRINGS_TOUCHING = f"""
CALL {{
  MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE a.id IN $ids RETURN a, p, b
  UNION
  MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE b.id IN $ids RETURN a, p, b
}}
RETURN collect({PAIRING}) AS rs
"""
PAIRINGS = f"MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE p.id IN $ids RETURN collect({PAIRING}) AS rs"
_FLOW = record("f")
FLOWS = f"MATCH (f:Flow) WHERE f.id IN $ids RETURN collect({_FLOW}) AS rs"
FLOWS_TOUCHING = f"""
MATCH (f:Flow)-[:FROM|TO]->(u:Unit) WHERE u.id IN $ids
WITH DISTINCT f
RETURN collect({_FLOW}) AS rs
"""
UNITS_BY_KEY = f"""
CALL {{
  MATCH (u:Unit) WHERE u.id IN $ids RETURN u
  UNION
  MATCH (u:Unit) WHERE u.code IN $ids RETURN u
}}
RETURN collect({_UNIT}) AS rs
"""
CHILDREN = f"MATCH (u:Unit)-[:PART_OF]->(p:Unit) WHERE p.id IN $ids RETURN collect({_UNIT}) AS rs"
ROOTS = f"MATCH (u:Unit) WHERE NOT (u)-[:PART_OF]->() RETURN collect({_UNIT}) AS rs"
SOURCE_COUNT = """
CALL { MATCH (r:Unit) WHERE r.source_file = $source RETURN count(r) AS n
       UNION ALL MATCH ()-[r:PAIRED_WITH]->() WHERE r.source_file = $source RETURN count(r) AS n
       UNION ALL MATCH (r:Flow) WHERE r.source_file = $source RETURN count(r) AS n }
RETURN sum(n) AS n
"""
OF_SOURCE = {
    "units": f"MATCH (u:Unit) WHERE u.source_file IN $ids RETURN collect({_UNIT}) AS rs",
    "pairings": f"MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) WHERE p.source_file IN $ids RETURN collect({PAIRING}) AS rs",
    "flows": f"MATCH (f:Flow) WHERE f.source_file IN $ids RETURN collect({_FLOW}) AS rs",
}


class Neo4jScopedReads(ImportReads):
    """The look-ups of a scoped read and of an import's part on one transaction ``tx``;
    ``decode`` turns a record's properties into its model, per table (as a whole snapshot
    does).

    Units read along the way (ancestors, subtrees) are kept, and a later look-up of them is
    answered from what was kept: the transaction sees one version throughout.
    """

    def __init__(
        self,
        tx: neo4j.ManagedTransaction | neo4j.Transaction,
        decode: dict[str, Callable[[dict[str, Any]], Unit | Pairing | Flow]],
    ):
        self._tx = tx
        self._decode = decode
        self._units: dict[str, Unit] = {}

    def _one(self, query: str, ids: Collection[str] | None) -> neo4j.Record:
        parameters = {} if ids is None else {"ids": sorted(ids)}
        return self._tx.run(query, parameters).single(strict=True)

    def _decoded(self, table: str, rows: list[dict[str, Any]]) -> list[Any]:
        decode = self._decode[table]
        return [decode(dict(row)) for row in rows]

    def _keep(self, rows: list[dict[str, Any]]) -> None:
        self._units.update((u.id, u) for u in self._decoded("units", rows))

    def subtree(self, roots: Collection[str]) -> set[str]:
        if not roots:
            return set()
        found = self._one(SUBTREE, roots)
        self._keep(found["rs"])
        return set(found["inside"])

    def units(self, ids: Collection[str]) -> list[Unit]:
        missing = [i for i in ids if i not in self._units]
        if missing:
            self._keep(self._one(UNITS, missing)["rs"])
        return sorted((self._units[i] for i in set(ids) if i in self._units), key=lambda u: u.id)

    def units_with_successors(self) -> list[Unit]:
        units: list[Unit] = self._decoded("units", self._one(WITH_SUCCESSORS, None)["rs"])
        return units

    def _records(self, table: str, query: str, ids: Collection[str]) -> list[Any]:
        return self._decoded(table, self._one(query, ids)["rs"]) if ids else []

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
        units: list[Unit] = self._decoded("units", self._one(ROOTS, None)["rs"])
        return units

    def of_source(self, source: str, limit: int) -> Dataset | None:
        if self._tx.run(SOURCE_COUNT, {"source": source}).single(strict=True)["n"] > limit:
            return None
        units, pairings, flows = (tuple(self._records(t, query, [source])) for t, query in OF_SOURCE.items())
        return Dataset.model_construct(units=units, pairings=pairings, flows=flows)
