"""The report a cooperation office sends upward: one workbook about one county on one day.

Its sheets: two-way coverage of the townships, coverage of the villages, of the deeply poor
villages, of the villages by enterprises (村企), of the parks and of the schools; the list
of gaps; flows by kind and year; the five-in-one (alignment) summary — each titled and
dated — and a last sheet with the figures and the command or URL that produced it. Both
front doors call :func:`report`, so they send the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import networkx as nx

from pairnet.graph.errors import InvalidParameter
from pairnet.graph.model import Kind, Level, Poverty
from pairnet.i18n import N_, _
from pairnet.i18n.labels import label
from pairnet.tables import columns_of
from pairnet.workbook import Sheet, to_report_xlsx

from . import analyses
from .answer import dated
from .choices import CoverageBy, RollupKey
from .question import Question, Resolver, reported_question, scope
from .wording import place, title

__all__ = ["report", "report_name", "report_root"]

COUNTS = ("targets", "covered", "uncovered", "share")
_NAMES = {
    "townships": N_("Townships two-way"),
    "villages": N_("Villages"),
    "deeply_poor": N_("Deeply poor villages"),
    "enterprise_village": N_("Enterprises–villages"),
    "parks": N_("Parks"),
    "schools": N_("Schools"),
    "gaps": N_("Gaps"),
    "flows": N_("Flows"),
    "alignment": N_("Five-in-one"),
}


def _coverage_sheet(G: nx.MultiDiGraph[str], key: str, asked: Question) -> tuple[Sheet, Any]:
    answer = analyses.coverage(G, asked, by=None if key == "parks" else CoverageBy("township"))
    sheet = Sheet(_(_NAMES[key]), title(G, asked, answer.result), ["group", "code", *COUNTS], answer.rows)
    return sheet, answer.result


def _dated(what: str, place_name: str, day: dt.date, levels: str | None = None) -> str:
    return _("{place}: {what} (as of {day}, {levels})").format(
        what=what, place=place_name, day=day.isoformat(), levels=levels or _("all levels")
    )


def report_root(G: nx.MultiDiGraph[str], county: str, resolve: Resolver | None = None) -> str:
    """The unit ``county`` names; :class:`~graph.errors.InvalidParameter` for an empty one."""
    root = scope(G, county=county, resolve=resolve)
    if root is None:
        raise InvalidParameter(_("{0}: give the county of the report"), parameters=("county",))
    return root


def report_name(G: nx.MultiDiGraph[str], root: str, as_of: dt.date) -> str:
    """The file name (without suffix) of the report on ``root`` as of ``as_of``.

    It names the county by its code where it has one, for file systems and URLs."""
    return dated(f"report-{G.nodes[root]['unit'].code or root}", as_of)


def report(G: nx.MultiDiGraph[str], *, root: str, as_of: dt.date, source: str) -> bytes:
    """The report on the county ``root`` as of ``as_of`` (XLSX bytes); ``source`` is the
    command or URL that asked for it (written in the workbook)."""
    name = place(G, root)

    def ask(kind: Kind, *, poverty: Poverty | None = None, level: Level | None = None) -> Question:
        return reported_question(G, root, as_of, kind, poverty=poverty, level=level)

    two_way = analyses.two_way_coverage(
        G, level=Level.TOWNSHIP, helper_within=None, helped_within=root, helper_units=None, as_of=as_of
    )
    verdict = _("two-way full coverage") if two_way.result["full"] else _("not two-way full")
    sheets = [
        Sheet(
            _(_NAMES["townships"]),
            _dated(
                _("Two-way coverage of the townships, {verdict}").format(verdict=verdict),
                name,
                as_of,
                label(Level.TOWNSHIP),
            ),
            ["side", *COUNTS],
            two_way.rows,
        )
    ]
    villages, village_counts = _coverage_sheet(G, "villages", ask(Kind.VILLAGE))
    deeply_poor, poor_counts = _coverage_sheet(G, "deeply_poor", ask(Kind.VILLAGE, poverty=Poverty.DEEPLY_POOR))
    enterprise, enterprise_counts = _coverage_sheet(
        G, "enterprise_village", ask(Kind.VILLAGE, level=Level.ENTERPRISE_VILLAGE)
    )
    parks, park_counts = _coverage_sheet(G, "parks", ask(Kind.PARK, level=Level.PARK))
    sheets += [villages, deeply_poor, enterprise, parks]
    schools = analyses.school_coverage(G, within=root, as_of=as_of)
    sheets.append(
        Sheet(
            _(_NAMES["schools"]),
            _dated(_("School coverage"), name, as_of, label(Level.SCHOOL)),
            ["coverage", "stage", *COUNTS],
            schools.rows,
        )
    )
    gaps = analyses.gaps(G, ask(Kind.VILLAGE))
    sheets.append(
        Sheet(
            _(_NAMES["gaps"]),
            _dated(_("Villages with no active pairing"), name, as_of),
            ["name", "code", "township", "poverty", "status", "last_end", "next_start"],
            gaps.rows,
        )
    )
    flows = analyses.flows(G, by=[RollupKey("kind"), RollupKey("year")], within=root)
    sheets.append(
        Sheet(_(_NAMES["flows"]), _dated(_("Flows by kind and year"), name, as_of), columns_of(flows.rows), flows.rows)
    )
    alignment = analyses.alignment(G, within=root, levels=None, as_of=as_of)
    sheets.append(
        Sheet(
            _(_NAMES["alignment"]),
            _dated(_("Five-in-one: pairings whose parents are paired with each other"), name, as_of),
            ["level", "aligned", "misaligned", "ratio"],
            alignment.result["levels"],
        )
    )
    figures: list[tuple[str, object]] = [
        (_("place"), name),
        (_("question"), _("Report of the pairings of a county")),
        (_("as of"), as_of),
        (_("Townships two-way"), verdict),
        *_figure(_(_NAMES["villages"]), village_counts),
        *_figure(_(_NAMES["deeply_poor"]), poor_counts),
        *_figure(_(_NAMES["enterprise_village"]), enterprise_counts),
        *_figure(_(_NAMES["parks"]), park_counts),
        (_("Gaps"), len(gaps.rows)),
    ]
    return to_report_xlsx(sheets, figures=figures, source=source)


def _figure(what: str, counts: Mapping[str, Any]) -> list[tuple[str, object]]:
    return [(what, f"{counts['covered']}/{counts['targets']}"), (what + " " + _("share"), counts["share"])]
