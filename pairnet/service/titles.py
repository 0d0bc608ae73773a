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

from collections.abc import Iterable
from enum import Enum

import networkx as nx

from pairnet.graph.asked import asked
from pairnet.graph.model import Kind, Level, Poverty, Side
from pairnet.graph.results import Asked, CoverageResult, TwoWayCoverageResult
from pairnet.i18n import _, ngettext
from pairnet.i18n.labels import label

from .question import Question

__all__ = ["asked_of", "coverage_title", "describe", "gaps_title", "two_way_title"]


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
