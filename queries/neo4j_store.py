"""The Neo4j store: the same interface as the SQLite store, over Bolt.

The graph (documented for Neo4j Browser in the README, section "Neo4j"):

- ``(:Unit:<Kind>)`` one node per unit; the second label is the kind in CamelCase
  (``:Unit:Village``, ``:Unit:SocialOrganization``...). ``(:Unit)-[:PART_OF]->(:Unit)`` to
  the parent, ``(:Unit)-[:SUCCEEDED_BY]->(:Unit)`` to each successor.
- ``(:Unit)-[:PAIRED_WITH]->(:Unit)`` one relationship per pairing, helper → helped.
- ``(:Flow)`` one node per flow, ``(:Flow)-[:FROM]->(:Unit)`` and ``(:Flow)-[:TO]->(:Unit)``.
- ``(:Import)`` one node per import; ``(:PairnetMeta {key: "store"})`` the version stamp.

Every record keeps its model fields as properties (dates as Neo4j dates, enums as their
string values, the reference ids too, so that a snapshot is three plain scans) plus its
provenance ``source_file, source_sheet, source_row, import_id, imported_at``.

An import is one explicit transaction: the batched ``UNWIND $rows ... MERGE`` statements,
the removals of ``replace``, the import node and the new stamp commit together or not at
all. One transaction rather than resumable batches because it keeps the store's promise
("all of it or nothing") without a recovery step, and because a 100,000-pairing import
fits in it with a 1 GB heap (measured; see bench/neo4j_load.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.errors import StoreError, StoreUnavailable
from graph.model import (
    Dataset,
    Flow,
    FlowKind,
    Kind,
    Level,
    Mode,
    Ownership,
    Pairing,
    ParkRank,
    Poverty,
    Side,
    Source,
    Unit,
)

from .store import ImportSummary, Progress, Store

__all__ = ["BATCH", "KIND_LABELS", "LABELS", "RELATIONSHIP_TYPES", "Neo4jStore", "mask_uri"]

SCHEMA_VERSION = "1"
# Rows per UNWIND statement; 2,000 was the fastest of 500..20,000 in bench/neo4j_load.py.
BATCH = 2000

# The whitelist: the only labels and relationship types any Cypher of pairnet names.
KIND_LABELS: dict[Kind, str] = {kind: "".join(part.title() for part in kind.value.split("_")) for kind in Kind}
LABELS = ("Unit", *KIND_LABELS.values(), "Flow", "Import", "PairnetMeta")
RELATIONSHIP_TYPES = ("PART_OF", "SUCCEEDED_BY", "PAIRED_WITH", "FROM", "TO")

_ALL_KIND_LABELS = ":".join(KIND_LABELS.values())

SCHEMA = (
    "CREATE CONSTRAINT unit_id IF NOT EXISTS FOR (u:Unit) REQUIRE u.id IS UNIQUE",
    "CREATE CONSTRAINT flow_id IF NOT EXISTS FOR (f:Flow) REQUIRE f.id IS UNIQUE",
    "CREATE CONSTRAINT pairing_id IF NOT EXISTS FOR ()-[p:PAIRED_WITH]-() REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT import_id IF NOT EXISTS FOR (i:Import) REQUIRE i.import_id IS UNIQUE",
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:PairnetMeta) REQUIRE m.key IS UNIQUE",
    "CREATE INDEX unit_source IF NOT EXISTS FOR (u:Unit) ON (u.source_file)",
    "CREATE INDEX unit_name IF NOT EXISTS FOR (u:Unit) ON (u.name)",
    "CREATE INDEX unit_code IF NOT EXISTS FOR (u:Unit) ON (u.code)",
    "CREATE INDEX flow_source IF NOT EXISTS FOR (f:Flow) ON (f.source_file)",
    "CREATE INDEX pairing_source IF NOT EXISTS FOR ()-[p:PAIRED_WITH]-() ON (p.source_file)",
    "CREATE INDEX pairing_level IF NOT EXISTS FOR ()-[p:PAIRED_WITH]-() ON (p.level)",
)

_WRITE_UNITS = """
UNWIND $rows AS row
MERGE (u:Unit {id: row.id})
SET u = row.props
SET u += $stamp
REMOVE u:%(all_kinds)s
SET u:%(kind)s
"""
_UNIT_LINKS = """
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
_MOVED_PAIRINGS = """
UNWIND $rows AS row
MATCH (a:Unit)-[old:PAIRED_WITH {id: row.id}]->(b:Unit)
WHERE a.id <> row.helper_id OR b.id <> row.helped_id
DELETE old
"""
_WRITE_PAIRINGS = """
UNWIND $rows AS row
MATCH (a:Unit {id: row.helper_id})
MATCH (b:Unit {id: row.helped_id})
MERGE (a)-[p:PAIRED_WITH {id: row.id}]->(b)
SET p = row.props
SET p += $stamp
RETURN count(p) AS written
"""
_WRITE_FLOWS = """
UNWIND $rows AS row
MERGE (f:Flow {id: row.id})
SET f = row.props
SET f += $stamp
"""
# Separate from _WRITE_FLOWS: in one statement the planner's Eager made it three times slower.
_FLOW_LINKS = """
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
_REMOVE_ABSENT = {
    "units": "MATCH (r:Unit {source_file: $source}) WHERE NOT r.id IN $ids DETACH DELETE r RETURN count(*) AS n",
    "pairings": "MATCH ()-[r:PAIRED_WITH {source_file: $source}]->() WHERE NOT r.id IN $ids DELETE r RETURN count(*) AS n",
    "flows": "MATCH (r:Flow {source_file: $source}) WHERE NOT r.id IN $ids DETACH DELETE r RETURN count(*) AS n",
}
_READ = {
    "units": "MATCH (r:Unit) RETURN r {.*} AS r",
    "pairings": "MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit) RETURN p {.*, helper_id: a.id, helped_id: b.id} AS r",
    "flows": "MATCH (r:Flow) RETURN r {.*} AS r",
}
_INIT_META = "MERGE (m:PairnetMeta {key: 'store'}) ON CREATE SET m.schema = $schema, m.version = $version RETURN m.schema AS schema"
_READ_VERSION = "MATCH (m:PairnetMeta {key: 'store'}) RETURN m.version AS version"
_BUMP_VERSION = """
MATCH (m:PairnetMeta {key: 'store'})
WITH m, toInteger(split(m.version, '-')[0]) + 1 AS counter
SET m.version = toString(counter) + '-' + $token
RETURN m.version AS version, counter
"""
_RECORD_IMPORT = """
CREATE (:Import {import_id: $import_id, seq: $seq, source: $source, imported_at: $imported_at,
                 written: $written, removed: $removed, version: $version})
"""
# In batches of its own transactions: erasing a national network at once would not fit the heap.
_ERASE = """
MATCH (n) WHERE n:Unit OR n:Flow OR n:Import OR n:PairnetMeta
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""
_READ_IMPORTS = "MATCH (i:Import) RETURN i {.*} AS i ORDER BY i.seq"


def mask_uri(uri: str) -> str:
    """``uri`` with any password replaced by ``***``, for messages.

    >>> mask_uri("bolt://neo4j:secret@db.example:7687")
    'bolt://neo4j:***@db.example:7687'
    >>> mask_uri("neo4j://127.0.0.1")
    'neo4j://127.0.0.1'
    """
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _credentials(uri: str) -> tuple[str, tuple[str, str]]:
    """The URI without userinfo, and the user and password (URI first, then environment)."""
    parts = urlsplit(uri)
    user = parts.username or os.environ.get("PAIRNET_NEO4J_USER", "neo4j")
    password = parts.password or os.environ.get("PAIRNET_NEO4J_PASSWORD", "pairnet-test-password")
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), (user, password)


def _one_line(error: Exception) -> str:
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(str(text).split())


def _props(record, *, drop: Sequence[str] = ()) -> dict:
    """The properties of one record, without the ones every record of an import shares
    (those go once per statement as ``$stamp``: sending a zoned datetime per row made
    writes four times slower). Null properties are left out, as Neo4j does not store them."""
    fields = record.model_dump(mode="python", exclude={"source", *drop})
    fields["source_sheet"], fields["source_row"] = record.source.sheet, record.source.row
    if "successor_ids" in fields:
        fields["successor_ids"] = list(fields["successor_ids"]) or None
    # Enums as their string values, so that Browser users see "village", not an object.
    return {k: (v.value if hasattr(v, "value") else v) for k, v in fields.items() if v is not None}


def _native(value):
    return value.to_native() if hasattr(value, "to_native") else value


def _utc(value) -> dt.datetime:
    # The driver returns pytz's UTC; the SQLite store and the models use the standard one.
    return _native(value).astimezone(dt.UTC)


def _source(props: dict) -> Source:
    return Source.model_construct(
        file=props.pop("source_file"), sheet=props.pop("source_sheet", None), row=props.pop("source_row", None),
        import_id=props.pop("import_id"), imported_at=_utc(props.pop("imported_at")),
    )


def _opt(enum, value):
    return None if value is None else enum(value)


# Reading skips validation, as the SQLite store does: every record was a validated model
# when it was written.
def _unit(p: dict) -> Unit:
    source = _source(p)
    return Unit.model_construct(
        id=p["id"], kind=Kind(p["kind"]), name=p["name"], side=Side(p["side"]), parent_id=p.get("parent_id"),
        code=p.get("code"), valid_from=_native(p.get("valid_from")), valid_to=_native(p.get("valid_to")),
        successor_ids=tuple(p.get("successor_ids") or ()), poverty=_opt(Poverty, p.get("poverty")),
        ownership=_opt(Ownership, p.get("ownership")), rank=_opt(ParkRank, p.get("rank")), stage=p.get("stage"),
        population=p.get("population"), placeholder=p["placeholder"], note=p.get("note"), source=source,
    )


def _pairing(p: dict) -> Pairing:
    source = _source(p)
    return Pairing.model_construct(
        id=p["id"], helper_id=p["helper_id"], helped_id=p["helped_id"], level=Level(p["level"]),
        mode=_opt(Mode, p.get("mode")), program=p.get("program"), start=_native(p.get("start")),
        end=_native(p.get("end")), agreement=p.get("agreement"), placeholder=p["placeholder"],
        note=p.get("note"), source=source,
    )


def _flow(p: dict) -> Flow:
    source = _source(p)
    return Flow.model_construct(
        id=p["id"], kind=FlowKind(p["kind"]), amount=p["amount"], unit_of_measure=p.get("unit_of_measure"),
        year=p.get("year"), from_id=p.get("from_id"), to_id=p.get("to_id"), pairing_id=p.get("pairing_id"),
        project=p.get("project"), placeholder=p["placeholder"], note=p.get("note"), source=source,
    )


_DECODE = {"units": _unit, "pairings": _pairing, "flows": _flow}


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class Neo4jStore(Store):
    """The store in the Neo4j database at ``uri`` (``bolt://`` or ``neo4j://``).

    User and password come from the URI's userinfo or from ``PAIRNET_NEO4J_USER`` and
    ``PAIRNET_NEO4J_PASSWORD``; every message names the URI with the password masked.
    Constraints and indexes are created on first use. Raises
    :class:`~graph.errors.StoreUnavailable` when the server cannot be reached or refuses
    the credentials.
    """

    def __init__(self, uri: str, *, batch_size: int = BATCH, database: str | None = None):
        self.uri = mask_uri(uri)
        self.batch_size = batch_size
        self._database = database
        self._lock = threading.Lock()
        address, auth = _credentials(uri)
        try:
            self._driver = neo4j.GraphDatabase.driver(address, auth=auth, connection_timeout=10)
            self._driver.verify_connectivity()
            self._init_schema()
        except (ServiceUnavailable, SessionExpired, AuthError, DriverError, OSError, ValueError) as error:
            if getattr(self, "_driver", None) is not None:
                self._driver.close()
            raise StoreUnavailable(f"cannot use Neo4j at {self.uri}: {_one_line(error)}") from None

    def _session(self, **kwargs) -> neo4j.Session:
        return self._driver.session(database=self._database, **kwargs)

    def _init_schema(self) -> None:
        with self._session() as session:
            for statement in SCHEMA:
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
            found = session.run(_INIT_META, schema=SCHEMA_VERSION, version=f"0-{secrets.token_hex(8)}").single()
        if found["schema"] != SCHEMA_VERSION:
            raise StoreError(f"store {self.uri} has schema {found['schema']}; this pairnet reads schema {SCHEMA_VERSION}")

    def write(
        self,
        dataset: Dataset,
        *,
        source: str,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> ImportSummary:
        import_id = uuid.uuid4().hex
        imported_at = dt.datetime.now(dt.UTC)
        stamp = {"source_file": source, "import_id": import_id, "imported_at": imported_at}
        units_by_kind: dict[Kind, list[dict]] = defaultdict(list)
        for u in dataset.units:
            units_by_kind[u.kind].append({"id": u.id, "props": _props(u)})
        unit_rows = [row for rows in units_by_kind.values() for row in rows]
        pairing_rows = [
            {"id": p.id, "helper_id": p.helper_id, "helped_id": p.helped_id,
             "props": _props(p, drop=("helper_id", "helped_id"))}
            for p in dataset.pairings
        ]
        flow_rows = [{"id": f.id, "props": _props(f)} for f in dataset.flows]
        # The relationship statements get only the ids they need: rows cost by their size.
        unit_links = [{"id": u.id, "parent_id": u.parent_id, "successor_ids": list(u.successor_ids)} for u in dataset.units]
        pairing_ends = [{"id": p.id, "helper_id": p.helper_id, "helped_id": p.helped_id} for p in dataset.pairings]
        flow_links = [{"id": f.id, "from_id": f.from_id, "to_id": f.to_id} for f in dataset.flows]
        total = len(unit_rows) + len(pairing_rows) + len(flow_rows)
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, total)

        with self._lock, self._guard("write to"), self._session() as session, session.begin_transaction() as tx:
            for kind, rows in units_by_kind.items():
                query = _WRITE_UNITS % {"all_kinds": _ALL_KIND_LABELS, "kind": KIND_LABELS[kind]}
                for batch in _batches(rows, self.batch_size):
                    tx.run(query, rows=batch, stamp=stamp).consume()
                    advance(len(batch))
            for batch in _batches(unit_links, self.batch_size):
                tx.run(_UNIT_LINKS, rows=batch).consume()
            for batch in _batches(pairing_ends, self.batch_size):
                tx.run(_MOVED_PAIRINGS, rows=batch).consume()
            for batch in _batches(pairing_rows, self.batch_size):
                written = tx.run(_WRITE_PAIRINGS, rows=batch, stamp=stamp).single()["written"]
                if written != len(batch):
                    raise StoreError(f"could not write to store {self.uri}: a pairing names a unit the store does not have")
                advance(len(batch))
            for batch in _batches(flow_rows, self.batch_size):
                tx.run(_WRITE_FLOWS, rows=batch, stamp=stamp).consume()
                advance(len(batch))
            for batch in _batches(flow_links, self.batch_size):
                tx.run(_FLOW_LINKS, rows=batch).consume()
            removed: dict[str, int] = {}
            if replace:
                incoming = {"units": unit_rows, "pairings": pairing_rows, "flows": flow_rows}
                # Pairings and flows first, so that removing a unit never takes a kept record along.
                for table in ("pairings", "flows", "units"):
                    ids = [row["id"] for row in incoming[table]]
                    removed[table] = tx.run(_REMOVE_ABSENT[table], source=source, ids=ids).single()["n"]
            bumped = tx.run(_BUMP_VERSION, token=secrets.token_hex(8)).single()
            written_counts = {"units": len(unit_rows), "pairings": len(pairing_rows), "flows": len(flow_rows)}
            removed_counts = {t: removed[t] for t in ("units", "pairings", "flows") if t in removed}
            tx.run(
                _RECORD_IMPORT, import_id=import_id, seq=bumped["counter"], source=source, imported_at=imported_at,
                written=json.dumps(written_counts), removed=json.dumps(removed_counts), version=bumped["version"],
            ).consume()
            tx.commit()
        if progress is not None and total == 0:
            progress(0, 0)
        return ImportSummary(
            import_id=import_id, source=source, imported_at=imported_at,
            written=written_counts, removed=removed_counts, version=bumped["version"],
        )

    def _guard(self, action: str):
        return _Translate(self.uri, action)

    def snapshot(self) -> Dataset:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            with session.begin_transaction() as tx:  # one transaction: all three of the same version
                parts = {
                    table: tuple(sorted((_DECODE[table](record["r"]) for record in tx.run(query)), key=lambda r: r.id))
                    for table, query in _READ.items()
                }
        return Dataset.model_construct(**parts)

    def version(self) -> str:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            return session.run(_READ_VERSION).single()["version"]

    def imports(self) -> list[ImportSummary]:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            rows = [record["i"] for record in session.run(_READ_IMPORTS)]
        return [
            ImportSummary(
                import_id=i["import_id"], source=i["source"], imported_at=_utc(i["imported_at"]),
                written=json.loads(i["written"]), removed=json.loads(i["removed"]), version=i["version"],
            )
            for i in rows
        ]

    def run(self, query: str, parameters: dict | None = None) -> list[dict]:
        """Run one read-only, parameterised Cypher query; rows as plain dicts.

        For :mod:`queries.catalog`; temporal values come back as Python dates.
        """
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            result = session.run(query, parameters or {})
            return [{key: _native(value) for key, value in record.items()} for record in result]

    def erase(self) -> None:
        """Delete every record, import and the version stamp: an empty store (for tests and
        for starting over). Constraints and indexes stay."""
        with self._lock, self._guard("erase"), self._session() as session:
            session.run(_ERASE).consume()
        self._init_schema()

    def close(self) -> None:
        self._driver.close()


class _Translate:
    """Turns driver errors into pairnet's: unreachable → StoreUnavailable, others → StoreError."""

    def __init__(self, uri: str, action: str):
        self.uri = uri
        self.action = action

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, (ServiceUnavailable, SessionExpired, AuthError, OSError)):
            raise StoreUnavailable(f"Neo4j at {self.uri} is unavailable: {_one_line(error)}") from error
        if isinstance(error, Neo4jError) and "MemoryPoolOutOfMemoryError" in str(error.code):
            raise StoreError(
                f"could not {self.action} store {self.uri}: the import does not fit in one Neo4j transaction"
                " (dbms.memory.transaction.total.max); nothing was written. Give Neo4j a larger heap"
                " (PAIRNET_NEO4J_HEAP for scripts/neo4j) or split the file."
            ) from error
        if isinstance(error, (Neo4jError, DriverError)):
            raise StoreError(f"could not {self.action} store {self.uri}: {_one_line(error)}") from error
        return False
