"""Options and query parameters accept what files accept: one parser per enum, and dates.

``--kind 村``, ``?poverty=深度贫困村``, ``--level 村级``, ``--side 东部``, ``--as-of 2018年12月31日``:
every enum option of the CLI and enum query parameter of the API is read by the loaders'
own parser (:mod:`pairnet.loaders.values`), so it takes the English identifier and every
Chinese word a spreadsheet may hold. A wrong value says, in the reader's language, what was
expected and the nearest accepted words; an impossible date says there is no such day.

How to use it
-------------
CLI (typer): ``typer.Option("--kind", parser=choice_option(Kind), metavar=metavar(Kind))``
for an enum (also with ``list[Kind]``) and ``parser=as_of_option`` for a date, both from
:mod:`pairnet.cli.common` (they turn a :class:`ChoiceError` into click's bad-parameter error).
API (FastAPI): annotate the parameter with :data:`KindChoice`, :data:`DayChoice` ... (or
``Choice(Enum)``); the value is parsed before validation and a wrong one is a 422 problem.

Examples
--------
>>> from pairnet.graph.model import Kind, Poverty
>>> parse_choice(Kind, "村"), parse_choice(Poverty, "深度贫困村"), parse_choice(Kind, "Village")
(<Kind.VILLAGE: 'village'>, <Poverty.DEEPLY_POOR: 'deeply_poor'>, <Kind.VILLAGE: 'village'>)
>>> parse_day("2018年12月31日"), parse_day("2018/12/31")
(datetime.date(2018, 12, 31), datetime.date(2018, 12, 31))
>>> from pairnet.i18n import use_language
>>> with use_language("en"):
...     parse_day("2018-02-30")
Traceback (most recent call last):
...
pairnet.i18n.choices.ChoiceError: no such day: 2018-02-30; expected a date such as 2018-12-31, 2018/12/31 or 2018年12月31日
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from pairnet.graph.model import HELPED_KINDS, FlowKind, Kind, Level, Mode, Ownership, ParkRank, Poverty, Side
from pairnet.loaders import dates, values

from . import _
from .labels import VOCABULARY, chinese_words

__all__ = [
    "Choice",
    "ChoiceError",
    "DayChoice",
    "FlowKindChoice",
    "HelpedKindChoice",
    "KindChoice",
    "LevelChoice",
    "ModeChoice",
    "OwnershipChoice",
    "ParkRankChoice",
    "PovertyChoice",
    "SideChoice",
    "metavar",
    "parse_choice",
    "parse_day",
]


class ChoiceError(ValueError):
    """A value that names no member of an enum, or no day. A ``ValueError``, so that click
    and pydantic report it as a bad parameter with this message."""


def _accepted(enum: type[Enum], members: Sequence[Enum]) -> list[str]:
    words = [str(member.value) for member in members]
    for member, member_words in chinese_words(enum).items():
        if member in members:
            words.extend(member_words)
    return words


def parse_choice(enum: type[Enum], value: object, among: Sequence[Enum] | None = None) -> Enum:
    """The member of ``enum`` (of ``among`` when given) that ``value`` names, in English or
    in any Chinese word the loaders accept; :class:`ChoiceError` otherwise, naming the
    nearest accepted words.

    >>> parse_choice(Kind, "行政村", among=HELPED_KINDS)
    <Kind.VILLAGE: 'village'>
    >>> parse_choice(Kind, "office", among=HELPED_KINDS)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pairnet.i18n.choices.ChoiceError: unknown value 'office'; expected one of province, ..., hospital, park (nearest: ...)
    """
    members = list(enum) if among is None else list(among)
    text = str(value.value if isinstance(value, enum) else value).strip()
    member = value if isinstance(value, enum) else None
    if member is None and text:
        try:
            member = VOCABULARY[enum](text)
        except values.CellError:
            member = None
    if member not in members:  # parse_poverty reads "not poor" as None: not a choice here
        accepted = _accepted(enum, members)
        nearest = difflib.get_close_matches(text, accepted, n=3, cutoff=0.4)
        expected = ", ".join(str(m.value) for m in members)
        message = _("unknown value {value!r}; expected one of {expected}").format(value=text, expected=expected)
        if nearest:
            message += _(" (nearest: {nearest})").format(nearest=", ".join(nearest))
        raise ChoiceError(message)
    return member


def parse_day(value: object) -> dt.date:
    """A day in any form the loaders read (``2018-12-31``, ``2018/12/31``, ``2018年12月31日``,
    ``20181231``; a year or a month means its last day: "as of 2018" is 2018-12-31);
    :class:`ChoiceError` saying "no such day" for 2018-02-30."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dates.parse_end_date(str(value).strip())
    except values.CellError as error:
        expected = _("a date such as 2018-12-31, 2018/12/31 or 2018年12月31日")
        what = _("no such day") if error.message == _("no such day") else _("not a date")
        message = _("{problem}: {value}; expected {expected}").format(problem=what, value=value, expected=expected)
        raise ChoiceError(message) from None


def metavar(enum: type[Enum], among: Sequence[Enum] | None = None) -> str:
    """The metavar of an enum option: its English identifiers (of ``among`` when given), as
    click shows choices.

    >>> metavar(Side)
    '[helper|helped]'
    """
    return "[" + "|".join(str(m.value) for m in (enum if among is None else among)) + "]"


def Choice(enum: type[Enum], among: Sequence[Enum] | None = None) -> Any:  # noqa: N802 - used as a type, like typing's
    """``Annotated[enum, ...]`` that parses the loaders' words before pydantic validates it;
    with ``among``, only those members are accepted, and the schema lists only them."""
    if among is None:
        return Annotated[enum, BeforeValidator(lambda value: parse_choice(enum, value))]
    schema = {"type": "string", "enum": [str(m.value) for m in among], "title": enum.__name__}
    return Annotated[enum, BeforeValidator(lambda value: parse_choice(enum, value, among)), WithJsonSchema(schema)]


KindChoice = Choice(Kind)
HelpedKindChoice = Choice(Kind, among=HELPED_KINDS)
SideChoice = Choice(Side)
LevelChoice = Choice(Level)
ModeChoice = Choice(Mode)
PovertyChoice = Choice(Poverty)
FlowKindChoice = Choice(FlowKind)
OwnershipChoice = Choice(Ownership)
ParkRankChoice = Choice(ParkRank)
DayChoice = Annotated[dt.date, BeforeValidator(parse_day)]
