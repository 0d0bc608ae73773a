"""What a question to the network is about: its scope, target set, levels and date.

The front doors pass what a person typed (a county's code, a name path, nothing for
"today"); this module resolves references to unit ids with :func:`graph.resolve_unit`,
applies the shared defaults (villages, on the helped side, as of today) and raises the
graph's errors naming the parameter, for the doors to translate into their own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import overload

import networkx as nx

from pairnet.graph.errors import InvalidParameter, NotFound
from pairnet.graph.model import Kind, Level, Poverty, Side
from pairnet.graph.targets import TargetSet, resolve_unit
from pairnet.i18n import _

__all__ = [
    "DEFAULT_KIND",
    "DEFAULT_SIDE",
    "Question",
    "Resolver",
    "day",
    "question",
    "reported_question",
    "scope",
    "unit_id",
    "unit_ids",
]

DEFAULT_KIND = Kind.VILLAGE
DEFAULT_SIDE = Side.HELPED
SCOPE_PARAMETERS = ("county", "township", "within")

# Turns what a person wrote into a unit id (a front door may pass a cached one).
Resolver = Callable[[str], str]


@dataclass(frozen=True)
class Question:
    """The target set, the pairing levels that count (None: all) and the date of an
    analysis; hashable, so that answers can be cached by it."""

    targets: TargetSet
    levels: tuple[Level, ...] | None
    as_of: dt.date


def day(as_of: dt.date | None) -> dt.date:
    """The date of a question: ``as_of``, else today."""
    return as_of or dt.date.today()


@overload
def unit_id(G: nx.MultiDiGraph[str], parameter: str, ref: str, resolve: Resolver | None = None) -> str: ...
@overload
def unit_id(
    G: nx.MultiDiGraph[str], parameter: str, ref: str | None, resolve: Resolver | None = None
) -> str | None: ...
def unit_id(G: nx.MultiDiGraph[str], parameter: str, ref: str | None, resolve: Resolver | None = None) -> str | None:
    """The id of the unit ``ref`` names, None for no ``ref``; an unknown reference raises
    :class:`~graph.errors.NotFound` naming ``parameter``."""
    if ref is None:
        return None
    try:
        return (resolve or (lambda r: resolve_unit(G, r)))(ref)
    except NotFound as error:
        raise NotFound(str(error), parameter=parameter) from None


def unit_ids(
    G: nx.MultiDiGraph[str], parameter: str, refs: Iterable[str] | None, resolve: Resolver | None = None
) -> list[str] | None:
    """The ids of the units ``refs`` name, in order; None for no ``refs``."""
    if not refs:
        return None
    return [found for ref in refs if (found := unit_id(G, parameter, ref, resolve)) is not None]


def scope(
    G: nx.MultiDiGraph[str],
    *,
    county: str | None = None,
    township: str | None = None,
    within: str | None = None,
    resolve: Resolver | None = None,
) -> str | None:
    """The root unit of an analysis: one of ``county``, ``township`` or ``within``."""
    given = [(name, ref) for name, ref in zip(SCOPE_PARAMETERS, (county, township, within), strict=True) if ref]
    if len(given) > 1:
        named = _(" and ").join(f"{{{SCOPE_PARAMETERS.index(name)}}}" for name, _ref in given)
        raise InvalidParameter(
            _("give one of {0}, {1}, {2}, not {named}").replace("{named}", named), parameters=SCOPE_PARAMETERS
        )
    return unit_id(G, given[0][0], given[0][1], resolve) if given else None


def question(
    G: nx.MultiDiGraph[str],
    *,
    kind: Iterable[Kind] | None = None,
    side: Side = DEFAULT_SIDE,
    poverty: Iterable[Poverty] | None = None,
    county: str | None = None,
    township: str | None = None,
    within: str | None = None,
    stage: str | None = None,
    program: str | None = None,
    level: Iterable[Level] | None = None,
    as_of: dt.date | None = None,
    resolve: Resolver | None = None,
) -> Question:
    """A :class:`Question` from a front door's settings, with the shared defaults: target
    kind village, the helped side (the role in the pairings, of ``program`` if given),
    every level, today."""
    root = scope(G, county=county, township=township, within=within, resolve=resolve)
    targets = TargetSet.of(
        kind=list(kind) if kind else [DEFAULT_KIND],
        side=side,
        poverty=poverty,
        within=root,
        stage=stage,
        program=program or None,
    )
    return Question(targets, tuple(level) if level else None, day(as_of))


def reported_question(
    G: nx.MultiDiGraph[str],
    root: str | None,
    as_of: dt.date,
    kind: Kind,
    *,
    poverty: Poverty | None = None,
    level: Level | None = None,
) -> Question:
    """One of the questions a cooperation office reports on the unit ``root`` (an id, or
    ``None`` for the whole store): ``kind`` units below it, of one ``poverty`` status, covered
    at one ``level`` (the report workbook and the workbench's home ask the same)."""
    return question(
        G,
        kind=[kind],
        poverty=[poverty] if poverty else None,
        within=root,
        level=[level] if level else None,
        as_of=as_of,
        resolve=lambda ref: ref,
    )
