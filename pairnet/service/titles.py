"""The titles of coverage and gap answers, which say what was counted: the target kinds
and side, the place, the date and the pairing levels ("0 of 2947 covered" alone hides that
it counted villages).

Every front door that titles an answer (the CLI's tables, the files' title rows) takes
its words from here, in the current language.

Examples
--------
>>> from pairnet.i18n import use_language
>>> asked = {"kind": ["village"], "side": "helped", "poverty": ["deeply_poor"], "stage": None,
...          "place": {"id": "c", "code": "520627", "name": "沿河土家族自治县"},
...          "as_of": "2018-12-31", "levels": None}
>>> with use_language("en"):
...     describe(asked)
'deeply poor village (helped) below 沿河土家族自治县, as of 2018-12-31, at every pairing level'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import Enum

import networkx as nx

from pairnet.graph.asked import asked
from pairnet.graph.model import Kind, Level, Poverty, Side
from pairnet.graph.results import (
    Asked,
    CoverageResult,
    SchoolCoverageResult,
    TwoWayCoverageResult,
    WhatIfResult,
)
from pairnet.i18n import _, ngettext
from pairnet.i18n.labels import label

from .question import Question
from .wording import header

__all__ = [
    "alignment_title",
    "asked_of",
    "balance_title",
    "coverage_title",
    "describe",
    "flows_title",
    "gaps_title",
    "recommend_title",
    "school_title",
    "scope_words",
    "summary_title",
    "timeline_title",
    "two_way_title",
    "whatif_title",
]


def _labels(enum: type[Enum], values: Iterable[str]) -> str:
    return _(", ").join(label(enum(value)) for value in values)


def asked_of(G: nx.MultiDiGraph[str], question: Question) -> Asked:
    """What ``question`` counts, with its place named (as coverage results carry it)."""
    return asked(G, question.targets, levels=question.levels, as_of=question.as_of)


def describe(question: Asked) -> str:
    """The target set, place, date and levels of ``question`` in words."""
    targets = _labels(Kind, question["kind"]) if question["kind"] else _("unit")
    if question["poverty"]:
        targets = _("{poverty} {targets}").format(poverty=_labels(Poverty, question["poverty"]), targets=targets)
    if question["side"]:
        targets = _("{targets} ({side})").format(targets=targets, side=label(Side(question["side"])))
    if question["stage"]:
        targets = _("{targets}, stage {stage}").format(targets=targets, stage=question["stage"])
    if question.get("program"):
        targets = _("{targets} in program {program}").format(targets=targets, program=question["program"])
    place = question["place"]
    where = (
        _("{targets} below {place}").format(targets=targets, place=place["name"])
        if place
        else _("{targets} everywhere").format(targets=targets)
    )
    day = question["as_of"] or _("any date")
    if question["levels"]:
        return _("{where}, as of {day}, at pairing levels {levels}").format(
            where=where, day=day, levels=_labels(Level, question["levels"])
        )
    return _("{where}, as of {day}, at every pairing level").format(where=where, day=day)


def _share(share: float | None) -> str:
    return "—" if share is None else f"{share:.1%}"


def coverage_title(result: CoverageResult) -> str:
    """ "Coverage of <what>: N of M covered (share)", and how many are reached only through
    a unit below them."""
    title = _("Coverage of {asked}: {covered} of {targets} covered ({share})").format(
        asked=describe(result["asked"]),
        covered=result["covered"],
        targets=result["targets"],
        share=_share(result["share"]),
    )
    if result["through_descendant"]:
        title += _("; {n} more reached only through a unit below them").format(n=result["through_descendant"])
    return title


def gaps_title(question: Asked, gaps: int) -> str:
    """ "N gaps among <what>"."""
    return ngettext("{n} gap among {asked}", "{n} gaps among {asked}", gaps).format(n=gaps, asked=describe(question))


def two_way_title(result: TwoWayCoverageResult) -> str:
    """Two-way coverage of a level: the two sides' places, where the helper side comes
    from, the date and the verdict."""
    helper = result["helper_place"]["name"] if result["helper_place"] else _("everywhere")
    helped = result["helped_place"]["name"] if result["helped_place"] else _("everywhere")
    helper_set = {
        "pairings": _("the helpers its pairings name"),
        "within": _("every unit of the level"),
        "named": _("the units named"),
    }[result["helper_set"]]
    verdict = _("two-way full coverage") if result["full"] else _("not two-way full")
    return _(
        "Two-way coverage of the {level} level, as of {day}: helper side {helper} ({helper_set}), "
        "helped side {helped}: {verdict}"
    ).format(
        level=label(Level(result["level"])),
        day=result["as_of"] or _("any date"),
        helper=helper,
        helper_set=helper_set,
        helped=helped,
        verdict=verdict,
    )


def scope_words(
    G: nx.MultiDiGraph[str], *, within: str | None, as_of: dt.date | None, levels: Sequence[Level] | None = None
) -> str:
    """The place, date and levels of a question that names no target set, in words."""
    where = _("below {place}").format(place=G.nodes[within]["name"]) if within is not None else _("everywhere")
    day = as_of.isoformat() if as_of is not None else _("any date")
    if levels:
        return _("{where}, as of {day}, at pairing levels {levels}").format(
            where=where, day=day, levels=_labels(Level, [level.value for level in levels])
        )
    return _("{where}, as of {day}, at every pairing level").format(where=where, day=day)


def school_title(G: nx.MultiDiGraph[str], result: SchoolCoverageResult, *, within: str | None, as_of: dt.date) -> str:
    """School coverage of a place on a day, and whether all three coverages are full."""
    verdict = _("all three full") if result["full"] else _("not all full")
    words = scope_words(G, within=within, as_of=as_of, levels=None)
    return _("School coverage {scope}: {verdict}").format(scope=words, verdict=verdict)


def timeline_title(question: Asked, days: Sequence[dt.date]) -> str:
    """Coverage of a target set at several dates."""
    return _("Coverage over time of {asked}").format(
        asked=describe({**question, "as_of": _(", ").join(day.isoformat() for day in days)})
    )


def alignment_title(
    G: nx.MultiDiGraph[str], *, within: str | None, as_of: dt.date, levels: Sequence[Level] | None
) -> str:
    """The five-in-one check of a place: the rows are the pairings that are not aligned."""
    return _("Pairings whose parents are not paired, {scope}").format(
        scope=scope_words(G, within=within, as_of=as_of, levels=levels)
    )


def balance_title(
    G: nx.MultiDiGraph[str],
    *,
    within: str | None,
    as_of: dt.date,
    levels: Sequence[Level] | None,
    program: str | None = None,
) -> str:
    """The load per helper of a place (in one program), the most loaded first."""
    scope = scope_words(G, within=within, as_of=as_of, levels=levels)
    if program is not None:
        return _("Helpers in program {program}, most loaded first, {scope}").format(program=program, scope=scope)
    return _("Helpers, most loaded first, {scope}").format(scope=scope)


def recommend_title(question: Asked, suggestions: int) -> str:
    """How many partners are suggested for which target set."""
    return ngettext("{n} partner suggested for {asked}", "{n} partners suggested for {asked}", suggestions).format(
        n=suggestions, asked=describe(question)
    )


def whatif_title(question: Asked, result: WhatIfResult) -> str:
    """Who loses every partner if the withdrawn units leave, with coverage before and after."""
    return _(
        "{n} targets lose every partner among {asked}; {ended} pairings end; before {before}, after {after}"
    ).format(
        n=len(result["rows"]),
        asked=describe(question),
        ended=result["pairings_ended"],
        before=_share(result["before"]["share"]),
        after=_share(result["after"]["share"]),
    )


def flows_title(G: nx.MultiDiGraph[str], *, keys: Sequence[str], within: str | None) -> str:
    """Flows summed per group, below a place."""
    where = _("below {place}").format(place=G.nodes[within]["name"]) if within is not None else _("everywhere")
    return _("Flows per {keys}, {where}").format(keys=_(", ").join(header(key) for key in keys), where=where)


def summary_title(as_of: dt.date | None) -> str:
    """What a store holds, on a day or over all dates."""
    return _("Units, pairings and flows, as of {day}").format(day=as_of.isoformat() if as_of else _("any date"))
