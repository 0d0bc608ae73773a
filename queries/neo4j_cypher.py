"""The Cypher the Neo4j store runs, and the whitelist of labels and relationship types.

Every statement takes its values as parameters; the only text ever put into a statement
is a label from :data:`KIND_LABELS`. See :mod:`queries.neo4j_store` for how they are used
and the README section "Neo4j" for the graph they build.
"""

from __future__ import annotations

from pydantic import BaseModel

from pairnet.graph.model import Flow, Kind, Pairing, Unit

__all__ = [
    "ALL_KIND_LABELS",
    "BATCH",
    "BUMP_VERSION",
    "CREATE_FLOWS",
    "CREATE_PAIRINGS",
    "CREATE_UNITS",
    "DELETE_BY_ID",
    "ERASE",
    "ERASE_RELATIONSHIPS",
    "FLOW_LINKS",
    "INIT_META",
    "KIND_LABELS",
    "LABELS",
    "LOCK_WRITERS",
    "MOVED_PAIRINGS",
    "PAIRING",
    "NEW_FLOW_LINKS",
    "NEW_PARENTS",
    "NEW_SUCCESSORS",
    "READ",
    "record",
    "READ_IMPORTS",
    "READ_CHANGES",
    "READ_TOUCHED",
    "READ_PEOPLE",
    "READ_VERSION",
    "RECORD_ADDED",
    "RECORD_CHANGES",
    "RECORD_IMPORT",
    "RELATIONSHIP_TYPES",
    "SAVE_PERSON",
    "SCHEMA",
    "SCHEMA_VERSION",
    "UNIT_LINKS",
    "WRITE_FLOWS",
    "WRITE_PAIRINGS",
    "WRITE_UNITS",
]

SCHEMA_VERSION = "1"
# Rows per UNWIND statement; 2,000 was the fastest of 500, 2,000 and 10,000 (bench/neo4j_load.py).
BATCH = 2000

# The whitelist: the only labels and relationship types any Cypher of pairnet names.
KIND_LABELS: dict[Kind, str] = {kind: "".join(part.title() for part in kind.value.split("_")) for kind in Kind}
LABELS = ("Unit", *KIND_LABELS.values(), "Flow", "Import", "ImportChange", "PairnetMeta", "Person")
RELATIONSHIP_TYPES = ("PART_OF", "SUCCEEDED_BY", "PAIRED_WITH", "FROM", "TO")

ALL_KIND_LABELS = ":".join(KIND_LABELS.values())


def _set_properties(variable: str, model: type[BaseModel], *, skip: tuple[str, ...] = ()) -> str:
    """``SET`` of every stored property one by one, from the row and the import's $stamp.

    Naming them, rather than ``SET n = row.props``, lets the planner see that the MERGE key
    is not among them: a whole-map SET made it put two Eager operators in every write (each
    batch materialised twice). A property missing from the row is set to null, which
    removes it, so a re-import still replaces every field."""
    fields = [f for f in model.model_fields if f not in {"id", "source", *skip}] + ["source_sheet", "source_row"]
    assignments = [f"{variable}.`{f}` = row.`{f}`" for f in fields]
    # A revert restores records with their own provenance in the row; an import stamps its own.
    assignments += [
        f"{variable}.`{f}` = coalesce(row.`{f}`, $stamp.`{f}`)" for f in ("source_file", "import_id", "imported_at")
    ]
    return "SET " + ", ".join(assignments)


SCHEMA = (
    "CREATE CONSTRAINT unit_id IF NOT EXISTS FOR (u:Unit) REQUIRE u.id IS UNIQUE",
    "CREATE CONSTRAINT flow_id IF NOT EXISTS FOR (f:Flow) REQUIRE f.id IS UNIQUE",
    "CREATE CONSTRAINT pairing_id IF NOT EXISTS FOR ()-[p:PAIRED_WITH]-() REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT import_id IF NOT EXISTS FOR (i:Import) REQUIRE i.import_id IS UNIQUE",
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:PairnetMeta) REQUIRE m.key IS UNIQUE",
    "CREATE CONSTRAINT person_name IF NOT EXISTS FOR (p:Person) REQUIRE p.name IS UNIQUE",
    "CREATE INDEX import_change IF NOT EXISTS FOR (c:ImportChange) ON (c.import_id)",
    "CREATE INDEX import_change_record IF NOT EXISTS FOR (c:ImportChange) ON (c.id)",
    "CREATE INDEX unit_source IF NOT EXISTS FOR (u:Unit) ON (u.source_file)",
    "CREATE INDEX unit_name IF NOT EXISTS FOR (u:Unit) ON (u.name)",
    "CREATE INDEX unit_code IF NOT EXISTS FOR (u:Unit) ON (u.code)",
    "CREATE INDEX flow_source IF NOT EXISTS FOR (f:Flow) ON (f.source_file)",
    "CREATE INDEX pairing_source IF NOT EXISTS FOR ()-[p:PAIRED_WITH]-() ON (p.source_file)",
    "CREATE INDEX pairing_level IF NOT EXISTS FOR ()-[p:PAIRED_WITH]-() ON (p.level)",
)

# %(all_kinds)s and %(kind)s are filled in from KIND_LABELS by the store.
WRITE_UNITS = (
    """
UNWIND $rows AS row
MERGE (u:Unit {id: row.id})
"""
    + _set_properties("u", Unit)
    + """
REMOVE u:%(all_kinds)s
SET u:%(kind)s
"""
)
UNIT_LINKS = """
UNWIND $rows AS row
MATCH (u:Unit {id: row.id})
OPTIONAL MATCH (u)-[old:PART_OF|SUCCEEDED_BY]->()
DELETE old
WITH DISTINCT u, row
CALL (u, row) {
  MATCH (parent:Unit {id: row.parent_id})
  CREATE (u)-[:PART_OF]->(parent)
}
CALL (u, row) {
  UNWIND row.successor_ids AS successor_id
  MATCH (successor:Unit {id: successor_id})
  CREATE (u)-[:SUCCEEDED_BY]->(successor)
}
"""
# A pairing whose id is kept but whose ends changed is a new relationship: drop the old one.
MOVED_PAIRINGS = """
UNWIND $rows AS row
MATCH (a:Unit)-[old:PAIRED_WITH {id: row.id}]->(b:Unit)
WHERE a.id <> row.helper_id OR b.id <> row.helped_id
DELETE old
"""
WRITE_PAIRINGS = (
    """
UNWIND $rows AS row
MATCH (a:Unit {id: row.helper_id})
MATCH (b:Unit {id: row.helped_id})
MERGE (a)-[p:PAIRED_WITH {id: row.id}]->(b)
"""
    + _set_properties("p", Pairing, skip=("helper_id", "helped_id"))
    + """
RETURN count(p) AS written
"""
)
WRITE_FLOWS = (
    """
UNWIND $rows AS row
MERGE (f:Flow {id: row.id})
"""
    + _set_properties("f", Flow)
    + """
"""
)
# Records the import adds (the plan knows them: no record of theirs is in the store) are
# CREATEd with one whole-map SET: no index lookup for a MERGE, no old labels or
# relationships to remove. Their links come after every node exists. $stamp is the import's
# provenance, or {} for a revert whose rows carry their own.
CREATE_UNITS = """
UNWIND $rows AS row
CREATE (u:Unit:%(kind)s)
SET u = row, u += $stamp
"""
NEW_PARENTS = """
UNWIND $rows AS row
MATCH (u:Unit {id: row.id})
MATCH (parent:Unit {id: row.parent_id})
CREATE (u)-[:PART_OF]->(parent)
"""
NEW_SUCCESSORS = """
UNWIND $rows AS row
MATCH (u:Unit {id: row.id})
UNWIND row.successor_ids AS successor_id
MATCH (successor:Unit {id: successor_id})
CREATE (u)-[:SUCCEEDED_BY]->(successor)
"""
CREATE_PAIRINGS = """
UNWIND $rows AS row
MATCH (a:Unit {id: row.helper_id})
MATCH (b:Unit {id: row.helped_id})
CREATE (a)-[p:PAIRED_WITH]->(b)
SET p = row.props, p += $stamp
RETURN count(p) AS written
"""
CREATE_FLOWS = """
UNWIND $rows AS row
CREATE (f:Flow)
SET f = row, f += $stamp
"""
NEW_FLOW_LINKS = """
UNWIND $rows AS row
MATCH (f:Flow {id: row.id})
CALL (f, row) {
  MATCH (source:Unit {id: row.from_id})
  CREATE (f)-[:FROM]->(source)
}
CALL (f, row) {
  MATCH (target:Unit {id: row.to_id})
  CREATE (f)-[:TO]->(target)
}
"""
# Separate from WRITE_FLOWS: in one statement the planner's Eager made it three times slower.
FLOW_LINKS = """
UNWIND $rows AS row
MATCH (f:Flow {id: row.id})
OPTIONAL MATCH (f)-[old:FROM|TO]->()
DELETE old
WITH DISTINCT f, row
CALL (f, row) {
  MATCH (source:Unit {id: row.from_id})
  CREATE (f)-[:FROM]->(source)
}
CALL (f, row) {
  MATCH (target:Unit {id: row.to_id})
  CREATE (f)-[:TO]->(target)
}
"""
# The ids come from the plan the import was checked with (queries/plan.py).
DELETE_BY_ID = {
    "units": "UNWIND $ids AS id MATCH (r:Unit {id: id}) DETACH DELETE r",
    "pairings": "UNWIND $ids AS id MATCH ()-[r:PAIRED_WITH {id: id}]->() DELETE r",
    "flows": "UNWIND $ids AS id MATCH (r:Flow {id: id}) DETACH DELETE r",
}
# Taking the write lock of the one meta node serialises writers: a second writer waits here,
# inside its transaction, until the first commits, and only then reads what its check needs.
LOCK_WRITERS = "MATCH (m:PairnetMeta {key: 'store'}) SET m.writer = $token"
RECORD_CHANGES = """
UNWIND $rows AS row
CREATE (:ImportChange {import_id: $import_id, table: row.table, id: row.id, before: row.before})
"""
# The records an import added need no before: one node per batch lists their ids.
RECORD_ADDED = """
UNWIND $rows AS row
CREATE (:ImportChange {import_id: $import_id, table: row.table, added: row.ids})
"""
READ_CHANGES = """
MATCH (c:ImportChange {import_id: $import_id})
UNWIND coalesce(c.added, [c.id]) AS id
RETURN c.table AS table, id, CASE WHEN c.added IS NULL THEN c.before END AS before
"""
# An import's changed records are one node each (indexed by id); its added records are
# listed in a few batch nodes, which are scanned.
READ_TOUCHED = """
UNWIND $keys AS key
MATCH (c:ImportChange {id: key.id})
WHERE c.table = key.table
RETURN c.import_id AS import_id, c.table AS table, c.id AS id
UNION
MATCH (c:ImportChange)
WHERE c.added IS NOT NULL
UNWIND [key IN $keys WHERE key.table = c.table AND key.id IN c.added] AS key
RETURN c.import_id AS import_id, c.table AS table, key.id AS id
"""


def record(variable: str, extra: str = "") -> str:
    """The map projection that returns one stored record: every property, with
    ``imported_at`` as ``[epoch seconds, microsecond]`` (see :func:`queries.neo4j_reads.stamp`).

    The driver turns each zoned datetime into its own temporal type and then into Python's
    through pytz: 0.3 ms apiece, 44% of a county's scoped read. Two integers cost nothing.
    ``extra`` adds entries (``"helper_id: a.id"``).

    >>> record("r")
    'r {.*, imported_at: [r.imported_at.epochSeconds, r.imported_at.microsecond]}'
    """
    stamp = f"imported_at: [{variable}.imported_at.epochSeconds, {variable}.imported_at.microsecond]"
    return f"{variable} {{.*, {stamp}{', ' + extra if extra else ''}}}"


PAIRING = record("p", "helper_id: a.id, helped_id: b.id")
READ = {
    "units": f"MATCH (r:Unit) RETURN {record('r')} AS r",
    "pairings": f"MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) RETURN {PAIRING} AS r",
    "flows": f"MATCH (r:Flow) RETURN {record('r')} AS r",
}
INIT_META = "MERGE (m:PairnetMeta {key: 'store'}) ON CREATE SET m.schema = $schema, m.version = $version RETURN m.schema AS schema"
READ_VERSION = "MATCH (m:PairnetMeta {key: 'store'}) RETURN m.version AS version"
BUMP_VERSION = """
MATCH (m:PairnetMeta {key: 'store'})
WITH m, toInteger(split(m.version, '-')[0]) + 1 AS counter
SET m.version = toString(counter) + '-' + $token
RETURN m.version AS version, counter
"""
RECORD_IMPORT = """
CREATE (:Import {import_id: $import_id, seq: $seq, source: $source, imported_at: $imported_at,
                 written: $written, removed: $removed, version: $version, author: $author,
                 reverts: $reverts})
"""
# In batches of their own transactions: erasing a national network at once would not fit the
# heap. Relationships first: a batch of nodes with all their relationships did not fit either
# (10,000 of the first units of the sample repeated to 100,000 pairings passed 700 MiB).
ERASE_RELATIONSHIPS = """
MATCH (n)-[r]->() WHERE n:Unit OR n:Flow
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
"""
ERASE = """
MATCH (n) WHERE n:Unit OR n:Flow OR n:Import OR n:ImportChange OR n:PairnetMeta OR n:Person
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""
READ_IMPORTS = "MATCH (i:Import) RETURN i {.*} AS i ORDER BY i.seq"
SAVE_PERSON = """
MERGE (p:Person {name: $name})
SET p.role = $role, p.scopes = $scopes, p.token_index = $token_index, p.token_hash = $token_hash,
    p.created_at = $created_at, p.revoked_at = $revoked_at
"""
READ_PEOPLE = "MATCH (p:Person) RETURN p {.*} AS p ORDER BY p.name"
