"""Reading the Neo4j store: a node's or relationship's properties back into records (as
the store keeps them: model fields, Neo4j dates, provenance), and the reads of every store
— the snapshot, the delta since a version, the history and an import's changes — each in
the transaction the store gives it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import neo4j

from pairnet.graph.model import (
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

from . import neo4j_cypher as cypher
from .delta import delta_of
from .neo4j_scoped import Neo4jScopedReads
from .plan import Change, decode_record
from .store import Delta, ImportSummary

_E = TypeVar("_E")

__all__ = ["DECODE", "native", "read_all", "read_changes", "read_delta", "read_imports", "stamp", "utc"]


def native(value: Any) -> Any:
    """A value from the driver as Python's own (a Neo4j date as a ``datetime.date``...)."""
    return value.to_native() if hasattr(value, "to_native") else value


def utc(value: Any) -> dt.datetime:
    """A Neo4j datetime as a timezone-aware ``datetime`` in UTC."""
    # The driver returns pytz's UTC; the SQLite store and the models use the standard one.
    moment: dt.datetime = native(value).astimezone(dt.UTC)
    return moment


@functools.lru_cache(maxsize=1024)  # the records of one import share their moment
def stamp(seconds: int, microsecond: int) -> dt.datetime:
    """``imported_at`` as the reads return it (:func:`queries.neo4j_cypher.record`): epoch
    seconds and the microsecond, back as a timezone-aware ``datetime`` in UTC.

    >>> stamp(1796188912, 16512)
    datetime.datetime(2026, 12, 2, 5, 21, 52, 16512, tzinfo=datetime.timezone.utc)
    """
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(microsecond=microsecond)


def _source(props: dict[str, Any]) -> Source:
    return Source.model_construct(
        file=props.pop("source_file"),
        sheet=props.pop("source_sheet", None),
        row=props.pop("source_row", None),
        import_id=props.pop("import_id"),
        imported_at=stamp(*props.pop("imported_at")),
    )


def _opt(enum: Callable[[Any], _E], value: Any) -> _E | None:
    return None if value is None else enum(value)


# Reading skips validation, as the SQLite store does: every record was a validated model
# when it was written.
def _unit(p: dict[str, Any]) -> Unit:
    source = _source(p)
    return Unit.model_construct(
        id=p["id"],
        kind=Kind(p["kind"]),
        name=p["name"],
        side=_opt(Side, p.get("side")),
        parent_id=p.get("parent_id"),
        code=p.get("code"),
        valid_from=native(p.get("valid_from")),
        valid_to=native(p.get("valid_to")),
        successor_ids=tuple(p.get("successor_ids") or ()),
        poverty=_opt(Poverty, p.get("poverty")),
        ownership=_opt(Ownership, p.get("ownership")),
        rank=_opt(ParkRank, p.get("rank")),
        stage=p.get("stage"),
        population=p.get("population"),
        placeholder=p["placeholder"],
        assumed=tuple(p.get("assumed") or ()),
        note=p.get("note"),
        source=source,
    )


def _pairing(p: dict[str, Any]) -> Pairing:
    source = _source(p)
    return Pairing.model_construct(
        id=p["id"],
        helper_id=p["helper_id"],
        helped_id=p["helped_id"],
        level=Level(p["level"]),
        mode=_opt(Mode, p.get("mode")),
        program=p.get("program"),
        start=native(p.get("start")),
        end=native(p.get("end")),
        agreement=p.get("agreement"),
        placeholder=p["placeholder"],
        assumed=tuple(p.get("assumed") or ()),
        note=p.get("note"),
        source=source,
    )


def _flow(p: dict[str, Any]) -> Flow:
    source = _source(p)
    return Flow.model_construct(
        id=p["id"],
        kind=FlowKind(p["kind"]),
        amount=p["amount"],
        unit_of_measure=p.get("unit_of_measure"),
        year=p.get("year"),
        from_id=p.get("from_id"),
        to_id=p.get("to_id"),
        pairing_id=p.get("pairing_id"),
        project=p.get("project"),
        placeholder=p["placeholder"],
        assumed=tuple(p.get("assumed") or ()),
        note=p.get("note"),
        source=source,
    )


DECODE: dict[str, Callable[[dict[str, Any]], Unit | Pairing | Flow]] = {
    "units": _unit,
    "pairings": _pairing,
    "flows": _flow,
}


def read_all(tx: neo4j.ManagedTransaction | neo4j.Transaction) -> Dataset:
    parts: dict[str, Any] = {
        table: tuple(sorted((DECODE[table](record["r"]) for record in tx.run(query)), key=lambda r: r.id))
        for table, query in cypher.READ.items()
    }
    return Dataset.model_construct(**parts)


def read_delta(tx: neo4j.Transaction, since: str, limit: int) -> Delta | None:
    """The :class:`Delta` from version ``since`` to the current one, read in ``tx``."""
    version: str = tx.run(cypher.READ_VERSION).single(strict=True)["version"]
    if version == since:
        return Delta(version)
    history = read_imports(tx)
    start = next((n for n, item in enumerate(history) if item.version == since), None)
    if start is None:
        return None
    touched: dict[str, set[str]] = {table: set() for table in ("units", "pairings", "flows")}
    for item in history[start + 1 :]:
        changes = read_changes(tx, item.import_id)
        if not changes and sum(item.written.values()) + sum(item.removed.values()):
            return None  # made before changes were kept: what it touched is unknown
        for change in changes:
            touched[change.table].add(change.id)
        if sum(len(ids) for ids in touched.values()) > limit:
            return None
    return delta_of(version, touched, Neo4jScopedReads(tx, DECODE))


def read_imports(runner: neo4j.Session | neo4j.Transaction) -> list[ImportSummary]:
    return [
        ImportSummary(
            import_id=i["import_id"],
            source=i["source"],
            imported_at=utc(i["imported_at"]),
            written=json.loads(i["written"]),
            removed=json.loads(i["removed"]),
            version=i["version"],
            author=i.get("author"),
            reverts=i.get("reverts"),
        )
        for i in (record["i"] for record in runner.run(cypher.READ_IMPORTS))
    ]


def read_changes(runner: neo4j.Session | neo4j.Transaction, import_id: str) -> list[Change]:
    return [
        Change(r["table"], r["id"], None if r["before"] is None else decode_record(r["table"], r["before"]))
        for r in runner.run(cypher.READ_CHANGES, import_id=import_id)
    ]
