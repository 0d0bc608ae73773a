"""The Neo4j store: the same interface as the SQLite store, over Bolt.

The graph (documented for Neo4j Browser in the README, section "Neo4j"):

- ``(:Unit:<Kind>)`` one node per unit; the second label is the kind in CamelCase
  (``:Unit:Village``, ``:Unit:SocialOrganization``...). ``(:Unit)-[:PART_OF]->(:Unit)`` to
  the parent, ``(:Unit)-[:SUCCEEDED_BY]->(:Unit)`` to each successor.
- ``(:Unit)-[:PAIRED_WITH]->(:Unit)`` one relationship per pairing, helper → helped.
- ``(:Flow)`` one node per flow, ``(:Flow)-[:FROM]->(:Unit)`` and ``(:Flow)-[:TO]->(:Unit)``.
- ``(:Import)`` one node per import (with ``author`` and, for a revert, ``reverts``);
  ``(:ImportChange {import_id, table, id, before})`` per record an import touched, with its
  JSON before (null: added), for revert; ``(:PairnetMeta {key: "store"})`` the version stamp.

Writers are serialised: :meth:`Neo4jStore.writing` opens the import's transaction by taking
the write lock of the meta node (``SET m.writer``), then reads what the check needs in that
same transaction, so a second writer waits until the first commits and then checks the new
state.

Every record keeps its model fields as properties (dates as Neo4j dates, enums as their
string values, the reference ids too, so that a snapshot is three plain scans) plus its
provenance ``source_file, source_sheet, source_row, import_id, imported_at``.

Every import is one explicit transaction, at every size: the batched ``UNWIND $rows``
statements, the removals of ``replace``, the import's record and the new stamp commit
together or not at all, so readers (their own transactions) see the store before or after
it, never in between, and a crash leaves it as it was. Records the import adds are CREATEd
(the plan knows them), the others MERGEd. The transaction's state lives in the server's
heap, which bounds the size of an import (README, section "Reliability and security"): one
that does not fit fails with Neo4j's MemoryPoolOutOfMemoryError, rolled back, and is
reported as such (:class:`_Translate`).
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from pairnet.graph.errors import StoreError, StoreUnavailable
from pairnet.graph.model import (
    Dataset,
    Unit,
)

from . import neo4j_cypher as cypher
from .neo4j_cypher import BATCH, KIND_LABELS, LABELS, RELATIONSHIP_TYPES, SCHEMA, SCHEMA_VERSION
from .neo4j_reads import DECODE, native, read_all, read_changes, read_delta, read_imports, utc
from .neo4j_scoped import Neo4jScopedReads
from .neo4j_write import write_steps
from .people import Person, Role
from .plan import Change, WritePlan
from .scoped import scoped_dataset
from .store import Delta, ImportSummary, Progress, Store, Writing

__all__ = ["BATCH", "KIND_LABELS", "LABELS", "RELATIONSHIP_TYPES", "Neo4jStore", "mask_uri"]


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


class Neo4jStore(Store):
    """The store in the Neo4j database at ``uri`` (``bolt://`` or ``neo4j://``).

    User and password come from the URI's userinfo or from ``PAIRNET_NEO4J_USER`` and
    ``PAIRNET_NEO4J_PASSWORD``; every message names the URI with the password masked.
    Constraints and indexes are created on first use. Raises
    :class:`~graph.errors.StoreUnavailable` when the server cannot be reached or refuses
    the credentials.
    """

    def __init__(
        self,
        uri: str,
        *,
        batch_size: int = BATCH,
        database: str | None = None,
    ):
        self.uri = mask_uri(uri)
        self.batch_size = batch_size
        self._database = database
        self._lock = threading.Lock()
        self._shares_driver = False  # a reader() twin leaves closing the driver to this store
        address, auth = _credentials(uri)
        try:
            # No notifications: the server's hints ("the property `imported_at` does not exist"
            # on an empty store, "`SUCCEEDED_BY` does not exist" without boundary changes) would
            # reach the person as driver warnings on stderr, and sending them costs every read.
            self._driver = neo4j.GraphDatabase.driver(
                address, auth=auth, connection_timeout=10, notifications_min_severity="OFF"
            )
            self._driver.verify_connectivity()
            self._init_schema()
        except (Neo4jError, DriverError, OSError, ValueError) as error:
            if getattr(self, "_driver", None) is not None:
                self._driver.close()
            raise StoreUnavailable(f"cannot use Neo4j at {self.uri}: {_one_line(error)}") from None

    def _session(self, **kwargs: Any) -> neo4j.Session:
        return self._driver.session(database=self._database, **kwargs)

    def _init_schema(self) -> None:
        with self._session() as session:
            for statement in SCHEMA:
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
            found = session.run(cypher.INIT_META, schema=SCHEMA_VERSION, version=f"0-{secrets.token_hex(8)}").single()
        if found is None or found["schema"] != SCHEMA_VERSION:
            raise StoreError(
                f"store {self.uri} has schema {found and found['schema']}; this pairnet reads schema {SCHEMA_VERSION}"
            )

    @contextmanager
    def writing(self) -> Iterator[Writing]:
        """One explicit transaction that first takes the write lock of the meta node: other
        writers wait for it; readers (their own sessions) read the last commit."""
        with self._guard("write to"), self._session() as session:
            held = _Neo4jWriting(self, session)
            try:
                yield held
            finally:
                held.close()

    def changes(self, import_id: str) -> list[Change]:
        with self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            return read_changes(session, import_id)

    def _guard(self, action: str) -> _Translate:
        return _Translate(self.uri, action)

    def touched(self, records: Collection[tuple[str, str]]) -> list[tuple[str, str, str]]:
        keys = [{"table": table, "id": record_id} for table, record_id in sorted(set(records))]
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            return [(r["import_id"], r["table"], r["id"]) for r in session.run(cypher.READ_TOUCHED, keys=keys)]

    def snapshot(self, scope: Collection[str] | None = None) -> Dataset:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            with session.begin_transaction() as tx:  # one transaction: all three of the same version
                if scope is None:
                    return read_all(tx)
                return scoped_dataset(Neo4jScopedReads(tx, DECODE), scope)

    def units(self, ids: Collection[str]) -> list[Unit]:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(lambda tx: Neo4jScopedReads(tx, DECODE).units(ids))

    def delta(self, since: str, limit: int) -> Delta | None:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            with session.begin_transaction() as tx:  # one transaction: the changes and records of one version
                return read_delta(tx, since, limit)

    def version(self) -> str:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            version: str = session.run(cypher.READ_VERSION).single(strict=True)["version"]
            return version

    def imports(self) -> list[ImportSummary]:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            return read_imports(session)

    def save_person(self, person: Person) -> None:
        with self._lock, self._guard("write to"), self._session() as session:
            session.execute_write(
                lambda tx: tx.run(
                    cypher.SAVE_PERSON,
                    name=person.name,
                    role=person.role.value,
                    scopes=list(person.scopes),
                    token_index=person.token_index,
                    token_hash=person.token_hash,
                    created_at=person.created_at,
                    revoked_at=person.revoked_at,
                ).consume()
            )

    def people(self) -> list[Person]:
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            rows = [record["p"] for record in session.run(cypher.READ_PEOPLE)]
        return [
            Person(
                name=p["name"],
                role=Role(p["role"]),
                scopes=tuple(p["scopes"]),
                token_index=p["token_index"],
                token_hash=p["token_hash"],
                created_at=utc(p["created_at"]),
                revoked_at=None if p.get("revoked_at") is None else utc(p["revoked_at"]),
            )
            for p in rows
        ]

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only, parameterised Cypher query; rows as plain dicts.

        For :mod:`queries.catalog`; temporal values come back as Python dates.
        """
        with self._lock, self._guard("read"), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            result = session.run(query, parameters or {})
            return [
                {key: native(value) for key, value in zip(record.keys(), record.values(), strict=True)}
                for record in result
            ]

    def erase(self) -> None:
        """Delete every record, import and the version stamp: an empty store (for tests and
        for starting over). Constraints and indexes stay."""
        with self._lock, self._guard("erase"), self._session() as session:
            session.run(cypher.ERASE_RELATIONSHIPS).consume()
            session.run(cypher.ERASE).consume()
        self._init_schema()

    def reader(self) -> Neo4jStore:
        # The driver is a thread-safe pool: the twin shares it, with a lock of its own.
        twin = copy.copy(self)
        twin._lock = threading.Lock()
        twin._shares_driver = True
        return twin

    def close(self) -> None:
        if not self._shares_driver:
            self._driver.close()


class _Neo4jWriting(Writing):
    """One import's hold on a Neo4j store: a transaction holding the meta node's write lock."""

    def __init__(self, store: Neo4jStore, session: neo4j.Session):
        super().__init__()
        self._store = store
        self._session = session
        self._tx = self._locked_transaction()

    def _locked_transaction(self) -> neo4j.Transaction:
        tx = self._session.begin_transaction()
        tx.run(cypher.LOCK_WRITERS, token=secrets.token_hex(8)).consume()
        return tx

    def close(self) -> None:
        self._tx.close()  # rolls back what was not committed

    def _read(self) -> Dataset:
        return read_all(self._tx)

    def _import_reads(self) -> Neo4jScopedReads:
        return Neo4jScopedReads(self._tx, DECODE)

    def imports(self) -> list[ImportSummary]:
        return read_imports(self._tx)

    def changes(self, import_id: str) -> list[Change]:
        return read_changes(self._tx, import_id)

    def _apply(self, plan: WritePlan, progress: Progress | None) -> ImportSummary:
        store = self._store
        steps = write_steps(plan, store.batch_size)
        total = sum(plan.written.values())
        done = 0
        with store._guard("write to"):
            tx = self._tx
            for query, parameters, records in steps:
                result = tx.run(query, parameters)
                if query in (cypher.WRITE_PAIRINGS, cypher.CREATE_PAIRINGS):
                    if result.single(strict=True)["written"] != records:
                        raise StoreError(
                            f"could not write to store {store.uri}: a pairing names a unit the store does not have"
                        )
                result.consume()
                if records:
                    done += records
                    if progress is not None:
                        progress(done, total)
            bumped = tx.run(cypher.BUMP_VERSION, token=secrets.token_hex(8)).single(strict=True)
            tx.run(
                cypher.RECORD_IMPORT,
                import_id=plan.import_id,
                seq=bumped["counter"],
                source=plan.source,
                imported_at=plan.imported_at,
                written=json.dumps(plan.written),
                removed=json.dumps(plan.removed),
                version=bumped["version"],
                author=plan.author,
                reverts=plan.reverts,
            ).consume()
            tx.commit()
        if progress is not None and total == 0:
            progress(0, 0)
        return ImportSummary(
            import_id=plan.import_id,
            source=plan.source,
            imported_at=plan.imported_at,
            written=dict(plan.written),
            removed=dict(plan.removed),
            version=bumped["version"],
            author=plan.author,
            reverts=plan.reverts,
        )


class _Translate:
    """Turns driver errors into pairnet's: unreachable → StoreUnavailable, others → StoreError."""

    def __init__(self, uri: str, action: str):
        self.uri = uri
        self.action = action

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> Literal[False]:
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
