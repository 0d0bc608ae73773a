"""The statements of one import into Neo4j: what :class:`queries.neo4j_store.Neo4jStore`
runs, in order, inside the import's one transaction.

Records the plan says are new (no record of theirs before) are CREATEd with one whole-map
SET; the others are MERGEd by id and get their relationships replaced. Every statement
takes a batch of rows as a parameter (``UNWIND $rows``); the only text put into a statement
is a label from :data:`queries.neo4j_cypher.KIND_LABELS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Any, TypeVar

from pairnet.graph.model import Flow, Kind, Pairing, Unit

from . import neo4j_cypher as cypher
from .neo4j_cypher import KIND_LABELS
from .plan import WritePlan

__all__ = ["Step", "write_steps"]

_T = TypeVar("_T")


def _props(record: Unit | Pairing | Flow) -> dict[str, Any]:
    """The properties of one record, without the ones every record of an import shares
    (those go once per statement as ``$stamp``: sending a zoned datetime per row made
    writes four times slower). Null properties are left out: the statements read a missing
    one as null, which removes it.

    Read off the attributes (what ``model_dump`` gives for these flat models, at a quarter
    of its cost: a province import builds 67,000 of these)."""
    props: dict[str, Any] = {}
    for name in _FIELDS[type(record)]:
        value = getattr(record, name)
        if value is None or value == ():  # an empty list is no property
            continue
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Enum):  # its string value, so that Browser users see "village"
            value = value.value
        props[name] = value
    if record.source.sheet is not None:
        props["source_sheet"] = record.source.sheet
    if record.source.row is not None:
        props["source_row"] = record.source.row
    return props


_FIELDS = {model: [f for f in model.model_fields if f != "source"] for model in (Unit, Pairing, Flow)}


def _batches(rows: list[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _rows(records: Iterable[Unit | Pairing | Flow], restamp: bool) -> list[dict[str, Any]]:
    """The rows of ``records``; a restored record (no restamp) carries its own provenance."""
    if restamp:
        return [_props(r) for r in records]
    return [
        {
            **_props(r),
            "source_file": r.source.file,
            "import_id": r.source.import_id,
            "imported_at": r.source.imported_at,
        }
        for r in records
    ]


Step = tuple[str, dict[str, Any], int]  # (statement, parameters, records it writes)


def write_steps(plan: WritePlan, size: int) -> list[Step]:
    """The statements of one import, in order, each with a batch of at most ``size`` rows.

    Records the plan says are new (no before) are CREATEd; the others are MERGEd and get
    their relationships replaced. Nodes come before the relationships between them, and
    removals of pairings and flows before those of units, so that removing a unit never
    takes a kept record along.
    """
    dataset = plan.upserts
    added = {(c.table, c.id) for c in plan.changes if c.before is None}
    stamp = {"source_file": plan.source, "import_id": plan.import_id, "imported_at": plan.imported_at}
    create_stamp = stamp if plan.restamp else {}

    def batches(query: str, rows: list[dict[str, Any]], parameters: dict[str, Any], counted: bool) -> list[Step]:
        return [(query, {"rows": b, **parameters}, len(b) if counted else 0) for b in _batches(rows, size)]

    new_units = [u for u in dataset.units if ("units", u.id) in added]
    old_units = [u for u in dataset.units if ("units", u.id) not in added]
    new_pairings = [p for p in dataset.pairings if ("pairings", p.id) in added]
    old_pairings = [p for p in dataset.pairings if ("pairings", p.id) not in added]
    new_flows = [f for f in dataset.flows if ("flows", f.id) in added]
    old_flows = [f for f in dataset.flows if ("flows", f.id) not in added]

    steps: list[Step] = []
    for kind in Kind:
        units = [u for u in new_units if u.kind is kind]
        query = cypher.CREATE_UNITS % {"kind": KIND_LABELS[kind]}
        steps += batches(query, _rows(units, plan.restamp), {"stamp": create_stamp}, True)
        units = [u for u in old_units if u.kind is kind]
        query = cypher.WRITE_UNITS % {"all_kinds": cypher.ALL_KIND_LABELS, "kind": KIND_LABELS[kind]}
        steps += batches(query, _rows(units, plan.restamp), {"stamp": stamp}, True)
    parents = [{"id": u.id, "parent_id": u.parent_id} for u in new_units if u.parent_id is not None]
    steps += batches(cypher.NEW_PARENTS, parents, {}, False)
    successors = [{"id": u.id, "successor_ids": list(u.successor_ids)} for u in new_units if u.successor_ids]
    steps += batches(cypher.NEW_SUCCESSORS, successors, {}, False)
    # The relationship statements get only the ids they need: rows cost by their size.
    unit_links = [{"id": u.id, "parent_id": u.parent_id, "successor_ids": list(u.successor_ids)} for u in old_units]
    steps += batches(cypher.UNIT_LINKS, unit_links, {}, False)
    old_ends = [{"id": p.id, "helper_id": p.helper_id, "helped_id": p.helped_id} for p in old_pairings]
    steps += batches(cypher.MOVED_PAIRINGS, old_ends, {}, False)
    # The ends are the relationship's nodes, not properties (as WRITE_PAIRINGS skips them).
    new_ends = [
        {"helper_id": row.pop("helper_id"), "helped_id": row.pop("helped_id"), "props": row}
        for row in _rows(new_pairings, plan.restamp)
    ]
    steps += batches(cypher.CREATE_PAIRINGS, new_ends, {"stamp": create_stamp}, True)
    steps += batches(cypher.WRITE_PAIRINGS, _rows(old_pairings, plan.restamp), {"stamp": stamp}, True)
    steps += batches(cypher.CREATE_FLOWS, _rows(new_flows, plan.restamp), {"stamp": create_stamp}, True)
    steps += batches(cypher.WRITE_FLOWS, _rows(old_flows, plan.restamp), {"stamp": stamp}, True)
    new_links = [{"id": f.id, "from_id": f.from_id, "to_id": f.to_id} for f in new_flows]
    steps += batches(cypher.NEW_FLOW_LINKS, new_links, {}, False)
    old_links = [{"id": f.id, "from_id": f.from_id, "to_id": f.to_id} for f in old_flows]
    steps += batches(cypher.FLOW_LINKS, old_links, {}, False)
    for table in ("pairings", "flows", "units"):
        ids = list(plan.deletes.get(table, ()))
        steps += [(cypher.DELETE_BY_ID[table], {"ids": batch}, 0) for batch in _batches(ids, size)]
    for table in ("units", "pairings", "flows"):
        ids = [c.id for c in plan.changes if c.before is None and c.table == table]
        steps += [
            (cypher.RECORD_ADDED, {"rows": [{"table": table, "ids": b}], "import_id": plan.import_id}, 0)
            for b in _batches(ids, size)
        ]
    changed = [
        {"table": c.table, "id": c.id, "before": c.before.model_dump_json()}
        for c in plan.changes
        if c.before is not None
    ]
    steps += batches(cypher.RECORD_CHANGES, changed, {"import_id": plan.import_id}, False)
    return steps
