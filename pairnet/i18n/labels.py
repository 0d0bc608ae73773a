"""Labels of the stable English identifiers, for the person reading them.

JSON keys and enum values stay English (tools rely on them); where a person reads a value,
its label goes beside it: ``{"kind": "village", "kind_label": "村"}``. The Chinese label of an
enum member is the first Chinese word the loaders accept for it (``pairnet.loaders.values``),
so what a planner types in a file, in an option and reads in an answer is one vocabulary.

Examples
--------
>>> from pairnet.graph.model import Kind, Level, Poverty
>>> from pairnet.i18n import use_language
>>> with use_language("zh"):
...     label(Kind.VILLAGE), label(Level.ENTERPRISE_VILLAGE), label(Poverty.DEEPLY_POOR)
('村', '村企', '深度贫困村')
>>> with use_language("en"):
...     label(Poverty.DEEPLY_POOR)
'deeply poor'
>>> with use_language("zh"):
...     with_labels({"kind": "village", "side": "helped", "name": "高峰村"})
{'kind': 'village', 'kind_label': '村', 'side': 'helped', 'side_label': '受帮扶方', 'name': '高峰村'}
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from enum import Enum

from pairnet.graph.model import FlowKind, Kind, Level, Mode, Ownership, ParkRank, Poverty, Side
from pairnet.loaders import values

from .language import current_language

__all__ = ["LABELLED_FIELDS", "VOCABULARY", "chinese_words", "label", "with_labels"]

# Each enum and the loader parser whose vocabulary names its members.
VOCABULARY: dict[type[Enum], values.EnumParser[Enum | None]] = {
    Kind: values.parse_unit_kind,
    Side: values.parse_side,
    Level: values.parse_level,
    Mode: values.parse_mode,
    Poverty: values.parse_poverty,
    Ownership: values.parse_ownership,
    ParkRank: values.parse_rank,
    FlowKind: values.parse_flow_kind,
}
# The record fields whose values are enum identifiers, and their enums.
LABELLED_FIELDS: dict[str, type[Enum]] = {
    "kind": Kind,
    "side": Side,
    "role": Side,
    "level": Level,
    "mode": Mode,
    "poverty": Poverty,
    "ownership": Ownership,
    "rank": ParkRank,
}


@functools.cache
def chinese_words(enum: type[Enum]) -> dict[Enum, tuple[str, ...]]:
    """Every Chinese word the loaders accept for each member of ``enum``, label first.

    >>> chinese_words(Side)[Side.HELPER][:2]
    ('帮扶方', '东部')
    """
    words: dict[Enum, list[str]] = {member: [] for member in enum}
    for word, member in VOCABULARY[enum].chinese.items():
        words[member].append(word)
    return {member: tuple(found) for member, found in words.items()}


def label(member: Enum, language: str | None = None) -> str:
    """The label of an enum member in ``language`` (default: the current one).

    In Chinese, the loaders' first word for it; in English, its value with spaces.
    """
    member_enum = type(member)
    if (language or current_language()) == "zh":
        words = chinese_words(member_enum).get(member)
        if words:
            return words[0]
    return str(member.value).replace("_", " ")


def with_labels(record: Mapping[str, object], fields: Mapping[str, type[Enum]] = LABELLED_FIELDS) -> dict:
    """``record`` with a ``<field>_label`` after each enum field it has (``None`` stays ``None``)."""
    result: dict[str, object] = {}
    for key, value in record.items():
        result[key] = value
        enum = fields.get(key)
        if enum is not None and key + "_label" not in record:
            result[key + "_label"] = None if value is None else label(enum(value))
    return result
