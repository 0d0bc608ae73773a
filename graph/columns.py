"""The columns of pairnet's input format, written once: what each sheet (units, pairings,
flows) may hold, in the order files are written, and how a column names a record's field.

The loaders read these columns (with their Chinese aliases), and everything that writes a
file meant to load again (the API's lists, the synthetic generator, the sample builder)
writes them.

>>> COLUMNS["pairings"][:3]
('id', 'helper', 'helped')
>>> column_of("parent_id"), field_of("successors"), field_of("name")
('parent', 'successor_ids', 'name')
>>> "poverty" in ASSUMABLE["units"], "id" in ASSUMABLE["units"]
(True, False)
"""

from __future__ import annotations

__all__ = ["ASSUMABLE", "COLUMNS", "column_of", "field_of"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "units": (
        "id",
        "code",
        "kind",
        "name",
        "side",
        "parent",
        "valid_from",
        "valid_to",
        "successors",
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
        "helper",
        "helped",
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
        "from",
        "to",
        "pairing",
        "project",
        "placeholder",
        "assumed",
        "note",
    ),
}

# The columns whose value a record may mark as assumed rather than sourced (its ``assumed``
# column): every column but those that say what the record is or how it is held.
ASSUMABLE: dict[str, tuple[str, ...]] = {
    sheet: tuple(c for c in columns if c not in ("id", "placeholder", "assumed", "note"))
    for sheet, columns in COLUMNS.items()
}

# The columns that name a record's field otherwise: a reference is an id.
_FIELDS = {
    "parent": "parent_id",
    "successors": "successor_ids",
    "helper": "helper_id",
    "helped": "helped_id",
    "from": "from_id",
    "to": "to_id",
    "pairing": "pairing_id",
}
_COLUMNS_OF_FIELDS = {field: column for column, field in _FIELDS.items()}


def field_of(column: str) -> str:
    """The record field a column holds."""
    return _FIELDS.get(column, column)


def column_of(field: str) -> str:
    """The column a record field is written in."""
    return _COLUMNS_OF_FIELDS.get(field, field)
