"""The SQLite file's tables and how records map to their rows: the schema (one table per
record type, a column per model field plus the provenance columns), the values a record is
written as, and the JSON a row is read back as (:mod:`store.sqlite_store` writes,
:mod:`store.sqlite_reads` reads).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import TypeAdapter

from pairnet.graph.model import (
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
    Unit,
)

from . import sqlite_people

__all__ = [
    "ASSUMED_SQL",
    "COLUMNS",
    "ENCODE",
    "PROVENANCE",
    "READERS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "UNITS_COLUMNS",
    "UNITS_TABLE",
    "UPGRADABLE",
    "iso_text",
    "select_json_sql",
    "upsert_sql",
]

SCHEMA_VERSION = "5"
# Schema 1 had no author, no reverts and no import_changes; schemas 1 and 2 required a side
# on every unit (roles now belong to pairings, the side is a hint) and lacked the indexes of
# scoped reads; schemas 1 to 3 had no ``assumed`` column; schemas 1 to 4 lacked the index of
# codes that are not their unit's id (an import's references). All are upgraded in place on open.
UPGRADABLE = ("1", "2", "3", "4")
ASSUMED_SQL = "assumed TEXT NOT NULL DEFAULT '[]'"  # JSON list of column names
PROVENANCE = ("import_id", "file", "sheet", "row", "imported_at")


def iso_text(value: dt.date | None) -> str | None:
    """A date as the store writes it: ISO text, NULL for none."""
    return None if value is None else value.isoformat()


def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False) if values else "[]"


def _enum_check(column: str, enum: type[StrEnum], *, nullable: bool) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum)
    null = f'"{column}" IS NULL OR ' if nullable else ""
    return f'CHECK ({null}"{column}" IN ({values}))'


PROVENANCE_SQL = 'import_id TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT, "row" INTEGER, imported_at TEXT NOT NULL'

UNITS_COLUMNS = f"""(
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL {_enum_check("kind", Kind, nullable=False)},
    name TEXT NOT NULL,
    side TEXT {_enum_check("side", Side, nullable=True)},
    parent_id TEXT,
    code TEXT,
    valid_from TEXT,
    valid_to TEXT,
    successor_ids TEXT NOT NULL DEFAULT '[]',
    poverty TEXT {_enum_check("poverty", Poverty, nullable=True)},
    ownership TEXT {_enum_check("ownership", Ownership, nullable=True)},
    rank TEXT {_enum_check("rank", ParkRank, nullable=True)},
    stage TEXT,
    population INTEGER,
    placeholder INTEGER NOT NULL,
    {ASSUMED_SQL},
    note TEXT,
    {PROVENANCE_SQL}
) WITHOUT ROWID"""
UNITS_TABLE = "CREATE TABLE IF NOT EXISTS units " + UNITS_COLUMNS

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    written TEXT NOT NULL,
    removed TEXT NOT NULL,
    version TEXT NOT NULL,
    author TEXT,
    reverts TEXT
);
CREATE TABLE IF NOT EXISTS import_changes (
    import_id TEXT NOT NULL,
    tbl TEXT NOT NULL,
    id TEXT NOT NULL,
    before TEXT,
    PRIMARY KEY (import_id, tbl, id)
) WITHOUT ROWID;
{sqlite_people.TABLE};
{UNITS_TABLE};
CREATE TABLE IF NOT EXISTS pairings (
    id TEXT PRIMARY KEY,
    helper_id TEXT NOT NULL,
    helped_id TEXT NOT NULL,
    level TEXT NOT NULL {_enum_check("level", Level, nullable=False)},
    mode TEXT {_enum_check("mode", Mode, nullable=True)},
    program TEXT,
    start TEXT,
    "end" TEXT,
    agreement TEXT,
    placeholder INTEGER NOT NULL,
    {ASSUMED_SQL},
    note TEXT,
    {PROVENANCE_SQL}
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flows (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL {_enum_check("kind", FlowKind, nullable=False)},
    amount REAL NOT NULL,
    unit_of_measure TEXT,
    year INTEGER,
    from_id TEXT,
    to_id TEXT,
    pairing_id TEXT,
    project TEXT,
    placeholder INTEGER NOT NULL,
    {ASSUMED_SQL},
    note TEXT,
    {PROVENANCE_SQL}
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS units_file ON units(file);
CREATE INDEX IF NOT EXISTS pairings_file ON pairings(file);
CREATE INDEX IF NOT EXISTS flows_file ON flows(file);
CREATE INDEX IF NOT EXISTS units_parent ON units(parent_id);
CREATE INDEX IF NOT EXISTS units_other_code ON units(code) WHERE code <> id;
CREATE INDEX IF NOT EXISTS units_with_successors ON units(id) WHERE successor_ids <> '[]';
CREATE INDEX IF NOT EXISTS pairings_helper ON pairings(helper_id);
CREATE INDEX IF NOT EXISTS pairings_helped ON pairings(helped_id);
CREATE INDEX IF NOT EXISTS flows_from ON flows(from_id);
CREATE INDEX IF NOT EXISTS flows_to ON flows(to_id);
CREATE INDEX IF NOT EXISTS import_changes_record ON import_changes(id, tbl);
"""


def _unit_values(u: Unit) -> tuple[object, ...]:
    return (
        u.id,
        u.kind,
        u.name,
        u.side,
        u.parent_id,
        u.code,
        iso_text(u.valid_from),
        iso_text(u.valid_to),
        _json_list(u.successor_ids),
        u.poverty,
        u.ownership,
        u.rank,
        u.stage,
        u.population,
        int(u.placeholder),
        _json_list(u.assumed),
        u.note,
    )


def _pairing_values(p: Pairing) -> tuple[object, ...]:
    return (
        p.id,
        p.helper_id,
        p.helped_id,
        p.level,
        p.mode,
        p.program,
        iso_text(p.start),
        iso_text(p.end),
        p.agreement,
        int(p.placeholder),
        _json_list(p.assumed),
        p.note,
    )


def _flow_values(f: Flow) -> tuple[object, ...]:
    return (
        f.id,
        f.kind,
        float(f.amount),
        f.unit_of_measure,
        f.year,
        f.from_id,
        f.to_id,
        f.pairing_id,
        f.project,
        int(f.placeholder),
        _json_list(f.assumed),
        f.note,
    )


COLUMNS = {
    "units": (
        "id",
        "kind",
        "name",
        "side",
        "parent_id",
        "code",
        "valid_from",
        "valid_to",
        "successor_ids",
        "poverty",
        "ownership",
        "rank",
        "stage",
        "population",
        "placeholder",
        "assumed",
        "note",
    ),
    "pairings": (
        "id",
        "helper_id",
        "helped_id",
        "level",
        "mode",
        "program",
        "start",
        "end",
        "agreement",
        "placeholder",
        "assumed",
        "note",
    ),
    "flows": (
        "id",
        "kind",
        "amount",
        "unit_of_measure",
        "year",
        "from_id",
        "to_id",
        "pairing_id",
        "project",
        "placeholder",
        "assumed",
        "note",
    ),
}
ENCODE: dict[str, Callable[[Any], tuple[object, ...]]] = {
    "units": _unit_values,
    "pairings": _pairing_values,
    "flows": _flow_values,
}
READERS: dict[str, TypeAdapter[list[Unit]] | TypeAdapter[list[Pairing]] | TypeAdapter[list[Flow]]] = {
    "units": TypeAdapter(list[Unit]),
    "pairings": TypeAdapter(list[Pairing]),
    "flows": TypeAdapter(list[Flow]),
}


def upsert_sql(table: str) -> str:
    """Insert a record or replace the one with its id.

    ``INSERT OR REPLACE`` rather than ``ON CONFLICT DO UPDATE``: every column is written
    anyway, there are no triggers or foreign keys, and reloading 100k records measured
    25-40% faster (bench/sqlite_store.py).
    """
    columns = (*COLUMNS[table], *PROVENANCE)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    return f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})"


def _json_value(column: str) -> str:
    if column in ("successor_ids", "assumed"):
        return f'json("{column}")'
    if column == "placeholder":
        return "json(CASE WHEN placeholder THEN 'true' ELSE 'false' END)"
    return f'"{column}"'


def select_json_sql(table: str, where: str = "") -> str:
    """A query for the rows of ``table`` (those ``where`` admits) as JSON records, sorted by id.

    SQLite writes the JSON and pydantic-core parses and validates it, both in native code:
    faster than building the models one by one in Python, and every record read is
    validated again (a file edited by hand cannot put a bad record into a snapshot).
    """
    fields = ", ".join(f"'{c}', {_json_value(c)}" for c in COLUMNS[table])
    source = ", ".join(f"'{c}', \"{c}\"" for c in PROVENANCE)
    record = f"json_object({fields}, 'source', json_object({source}))"
    return f"SELECT {record} FROM {table} {where} ORDER BY id"
