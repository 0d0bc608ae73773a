"""How an answer reads to a person: column headers, cell labels and titles, in the current
language.

Headers of columns that the input format also has are the loaders' own Chinese names
(:mod:`pairnet.loaders.headers`), so a planner reads in an answer what he writes in a file;
the other columns' headers come from the catalog. Enum values become their labels
(:func:`pairnet.i18n.labels.label`). Every title an answer carries is built here, in
:func:`title`, so that one function says what an answer is about.

Examples
--------
>>> from pairnet.i18n import use_language
>>> with use_language("zh"):
...     header("name"), header("share"), header("poverty")
('名称', '覆盖率', '贫困状况')
>>> with use_language("en"):
...     header("last_end")
'last end'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import networkx as nx

from pairnet.graph.model import FlowKind, Kind, Level
from pairnet.i18n import N_, _, current_language
from pairnet.i18n.labels import LABELLED_FIELDS, label
from pairnet.loaders.headers import chinese_name

from .question import Question

__all__ = [
    "ASSUMED_MARK",
    "ASSUMED_NOTE",
    "HEADERS",
    "PERCENT_COLUMNS",
    "WORDS",
    "assumed_note",
    "column_label",
    "describe",
    "header",
    "labelled",
    "marked",
    "place",
    "sheet_label",
    "title",
    "value_label",
]

# Headers of the columns an answer has that the input format has not.
HEADERS: dict[str, str] = {
    "group": N_("group"),
    "group_id": N_("group id"),
    "targets": N_("targets"),
    "covered": N_("covered"),
    "uncovered": N_("uncovered"),
    "share": N_("share"),
    "ratio": N_("ratio"),
    "township": N_("township"),
    "status": N_("status"),
    "last_end": N_("last end"),
    "next_start": N_("next start"),
    "as_of": N_("as of"),
    "coverage": N_("coverage"),
    "record": N_("record"),
    "count": N_("count"),
    "pairings": N_("pairings"),
    "projects": N_("projects"),
    "townships": N_("townships"),
    "villages": N_("villages"),
    "records": N_("records"),
    "helper_parent": N_("helper's parent"),
    "helped_parent": N_("helped's parent"),
    "aligned": N_("aligned"),
    "misaligned": N_("not aligned"),
    "question": N_("question"),
    "target": N_("target"),
    "helper_township": N_("helper township"),
    "helper_load": N_("helper load"),
    "capacity_left": N_("capacity left"),
    "reason": N_("reason"),
    "value": N_("value"),
    "capacity": N_("capacity"),
    "county": N_("county"),
    "parents": N_("parents"),
    "helper_id": N_("helper id"),
    "helped_id": N_("helped id"),
    "helper_parents": N_("helper's parents"),
    "helped_parents": N_("helped's parents"),
    "pairing_id": N_("pairing id"),
    "reasons": N_("reasons"),
    "target_code": N_("target code"),
    "target_id": N_("target id"),
    "target_kind": N_("target kind"),
    "through": N_("reached through"),
    "via": N_("via"),
}
# Labels of the identifiers in an answer's columns that name no enum member.
WORDS: dict[str, dict[str, str]] = {
    "status": {
        "never_paired": N_("never paired"),
        "ended": N_("ended"),
        "not_yet_started": N_("not yet started"),
        "partner_not_valid": N_("partner not valid"),
        "through_descendant": N_("reached only through a unit below"),
    },
    "coverage": {
        "townships": N_("townships"),
        "schools": N_("schools"),
        "stages": N_("stages"),
        "stage": N_("stage"),
    },
}
PERCENT_COLUMNS = frozenset({"share", "ratio"})
TOTAL_LABEL = N_("total")
# A value a row's ``assumed`` names reads "深度贫困村*", with this note below the table.
ASSUMED_MARK = "*"
ASSUMED_NOTE = N_("* assumed value: chosen by a rule or an assumption of the data, not taken from a source")
# The enums an answer's column may name members of (a flow's kind is no unit's kind).
_VALUE_ENUMS: dict[str, tuple[type[Enum], ...]] = {
    **{column: (enum,) for column, enum in LABELLED_FIELDS.items()},
    "kind": (Kind, FlowKind),
}


def header(column: str) -> str:
    """The header of ``column`` in the current language."""
    if current_language() == "zh":
        name = chinese_name(column)
        if name is not None:
            return name
    if column in HEADERS:
        return _(HEADERS[column])
    return column.replace("_", " ")


def sheet_label(sheet: str) -> str:
    """A sheet (table) of the input format as a person reads it."""
    names = {"units": _("Units"), "pairings": _("Pairings"), "flows": _("Flows")}
    return names.get(sheet, sheet)


def column_label(column: str) -> str:
    """A column of the input format: its Chinese header in Chinese, its name otherwise
    (both load back)."""
    return (chinese_name(column) or column) if current_language() == "zh" else column


def value_label(column: str, value: object) -> object:
    """A cell of ``column`` as a person reads it: an enum identifier as its label, a yes/no
    as a word; other values as they are.

    >>> from pairnet.i18n import use_language
    >>> with use_language("zh"):
    ...     value_label("poverty", "deeply_poor"), value_label("placeholder", True), value_label("name", "高峰村")
    ('深度贫困村', '是', '高峰村')
    """
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if not isinstance(value, str):
        return value
    if column == "reason":  # a recommendation's sentence, kept in English for tools
        return _(value)
    if value in WORDS.get(column, {}):
        return _(WORDS[column][value])
    for enum in _VALUE_ENUMS.get(column, ()):
        try:
            return label(enum(value))
        except ValueError:
            continue
    return value


def labelled(rows: Sequence[Mapping[str, Any]], *, mark: bool = False) -> list[dict[str, Any]]:
    """``rows`` with enum identifiers shown as labels and the total row named, for people
    (the files for tools keep the identifiers). The ``assumed`` cell names its columns by
    their headers (as a file may name them: it loads again); with ``mark`` the values it
    names read ``深度贫困村*`` too, for a screen (a workbook sets them in italics instead).

    >>> from pairnet.i18n import use_language
    >>> with use_language("zh"):
    ...     labelled([{"poverty": "poor", "assumed": ["poverty"]}], mark=True)
    [{'poverty': '贫困村*', 'assumed': '贫困状况'}]
    """
    shown = []
    for row in rows:
        cells = {key: value_label(key, value) for key, value in row.items()}
        if row.get("group") == "total" and "targets" in row:
            cells["group"] = _(TOTAL_LABEL)
        shown.append(_marked(row, cells, mark=mark))
    return shown


def marked(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with each value their ``assumed`` names marked (``2018-03-01*``), so that
    nobody reads an assumption as a fact; the ``assumed`` cell names the columns.

    >>> marked([{"start": "2018-03-01", "assumed": ["start"]}])[0]["start"]
    '2018-03-01*'
    """
    return [_marked(row, dict(row), mark=True) for row in rows]


def _marked(row: Mapping[str, Any], cells: dict[str, Any], *, mark: bool) -> dict[str, Any]:
    assumed = row.get("assumed") or ()
    for column in assumed if mark else ():
        if cells.get(column) not in (None, ""):
            cells[column] = f"{cells[column]}{ASSUMED_MARK}"
    if "assumed" in row:
        cells["assumed"] = "、".join(header(column) for column in assumed)
    return cells


def assumed_note(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The note that explains the mark of assumed values, when some row has one.

    >>> assumed_note([{"poverty": "poor", "assumed": ["poverty"]}]) is not None, assumed_note([{"assumed": []}])
    (True, None)
    """
    return _(ASSUMED_NOTE) if any(row.get("assumed") for row in rows) else None


def place(G: nx.MultiDiGraph[str], unit_id: str | None) -> str:
    """The name of the unit an answer is about, or the whole network's."""
    return G.nodes[unit_id]["name"] if unit_id is not None else _("the whole network")


def describe(question: Question) -> str:
    """The target set of ``question`` in words: its poverty statuses, else its kinds."""
    targets = question.targets
    members: frozenset[Enum] = targets.poverty or targets.kind or frozenset()
    return "、".join(label(member) for member in sorted(members, key=lambda member: str(member.value)))


def _levels(levels: Sequence[Level] | None) -> str:
    return "、".join(label(level) for level in levels) if levels else _("all levels")


def _share(share: float | None) -> str:
    return "—" if share is None else f"{share:.1%}"


def title(G: nx.MultiDiGraph[str], question: Question, counts: Mapping[str, Any]) -> str:
    """The title of a coverage answer: what is counted, where, on which day, at which levels,
    and how many of them are covered."""
    return _("Coverage of {what} in {place} as of {day} ({levels}): {covered}/{targets} covered ({share})").format(
        what=describe(question),
        place=place(G, question.targets.within),
        day=_iso(question.as_of),
        levels=_levels(question.levels),
        covered=counts["covered"],
        targets=counts["targets"],
        share=_share(counts["share"]),
    )


def _iso(day: dt.date) -> str:
    return day.isoformat()
