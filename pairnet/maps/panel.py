"""The gap list beside a map: the poor villages of the view's place without a partner, as
:func:`pairnet.graph.gaps.gaps` finds them (the rows ``pairnet gaps`` prints), each with the
reason a planner reads, and the query that downloads the same list from the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import networkx as nx

from pairnet.graph.coverage import covering_programs
from pairnet.graph.gaps import gaps
from pairnet.graph.model import Kind
from pairnet.graph.targets import Hierarchy, TargetSet, select_targets
from pairnet.i18n import N_, _
from pairnet.service.wording import WORDS

from .parts import ONLY_THROUGH, MapView, path_key, place_of, program_names
from .style import tooltip_text

__all__ = [
    "GAP_KIND",
    "GAP_LABEL",
    "GAP_POVERTY",
    "attach_gaps",
    "coverage_href",
    "download_href",
    "gap_reason",
    "gap_rows",
    "program_gap_rows",
    "status_label",
]

# The targets the panel lists: what a plan must pair first.
GAP_KIND = "village"
GAP_POVERTY = ("deeply_poor", "poor")
GAP_LABEL = N_("gap")


def gap_reason(row: Mapping[str, Any]) -> str:
    """Why a unit is a gap, in the words of ``pairnet gaps`` (the label of its status and
    the date that explains it), in the current language.

    >>> gap_reason({"status": "not_yet_started", "next_start": "2018-03-01", "last_end": None})
    'not yet started, next 2018-03-01'
    >>> gap_reason({"status": "ended", "next_start": None, "last_end": "2017-12-31"})
    'ended 2017-12-31'
    """
    words = status_label(str(row["status"]))
    if row["status"] == "not_yet_started" and row.get("next_start"):
        return _("{status}, next {day}").format(status=words, day=row["next_start"])
    if row["status"] == "ended" and row.get("last_end"):
        return _("{status} {day}").format(status=words, day=row["last_end"])
    return words


def status_label(status: str) -> str:
    """The label of a gap status identifier (``never_paired`` → "never paired", 从未结对).

    >>> status_label("through_descendant")
    'reached only through a unit below'
    """
    return _(WORDS["status"][status]) if status in WORDS["status"] else status.replace("_", " ")


def gap_rows(G: nx.MultiDiGraph, within: str, *, as_of: dt.date | None) -> tuple[list[dict], dict]:
    """The panel's rows for the place ``within`` (an id) and the API query that gives them.

    Returns
    -------
    rows : ``id``, ``name``, ``code``, ``township``, ``status`` and ``reason``, in the order of
        ``pairnet gaps`` (by parents, then name).
    query : the settings of ``/analyses/gaps`` (and of ``pairnet gaps``) for the same list.
    """
    found = gaps(G, kind=GAP_KIND, poverty=list(GAP_POVERTY), within=within, as_of=as_of)
    rows = [
        {
            "id": row["id"],
            "name": row["name"],
            "code": row["code"] or "",
            "township": row["township"] or "",
            "status": row["status"],
            "reason": gap_reason(row),
        }
        for row in found
    ]
    unit = G.nodes[within]["unit"]
    query = {"within": unit.code or within, "kind": GAP_KIND, "poverty": list(GAP_POVERTY)}
    if as_of is not None:
        query["as_of"] = as_of.isoformat()
    return rows, query


def program_gap_rows(G: nx.MultiDiGraph, within: str, *, as_of: dt.date | None) -> list[dict]:
    """The targets of the panel's list that are paired now, each with the programs that pair
    it (``programs``): the page lists one as a gap while none of its programs is ticked.

    Rows are as :func:`gap_rows`'s (status ``paired``), in the order of the place's units.
    """
    covering = covering_programs(G, as_of=as_of)
    hierarchy = Hierarchy(G, as_of)
    targets = select_targets(G, TargetSet.of(kind=GAP_KIND, poverty=GAP_POVERTY, within=within), as_of=as_of)
    rows = []
    for unit_id in sorted((t for t in targets if t in covering), key=lambda i: path_key(G, i)):
        unit, township = G.nodes[unit_id]["unit"], hierarchy.ancestor(unit_id, Kind.TOWNSHIP)
        programs = sorted(covering[unit_id])
        rows.append(
            {
                "id": unit_id,
                "name": unit.name,
                "code": unit.code or "",
                "township": G.nodes[township]["name"] if township else "",
                "status": "paired",
                "programs": programs,
                "reason": _(ONLY_THROUGH).format(programs=program_names(programs)),
            }
        )
    return rows


def download_href(query: dict, *, status: str | None = None, fmt: str = "xlsx") -> str:
    """The relative URL (from a ``/maps/...`` page) of the gap list as a download.

    >>> download_href({"within": "520627", "kind": "village", "poverty": ["deeply_poor", "poor"]})
    '../analyses/gaps?within=520627&kind=village&poverty=deeply_poor&poverty=poor&format=xlsx'
    """
    settings = {**query, **({"status": status} if status else {}), "format": fmt}
    return "../analyses/gaps?" + urlencode(settings, doseq=True)


def coverage_href(by: str, as_of: dt.date | None, *, fmt: str = "xlsx") -> str:
    """The relative URL of the coverage of the poor villages per ``by`` (a kind) as a download.

    >>> coverage_href("county", None)
    '../analyses/coverage?kind=village&poverty=deeply_poor&poverty=poor&by=county&format=xlsx'
    """
    settings = {"kind": GAP_KIND, "poverty": list(GAP_POVERTY), "by": by, "format": fmt}
    if as_of is not None:
        settings["as_of"] = as_of.isoformat()
    return "../analyses/coverage?" + urlencode(settings, doseq=True)


def attach_gaps(view: MapView, G: nx.MultiDiGraph, within: str) -> MapView:
    """Give ``view`` the gap list of ``within`` and say in each listed node's tooltip and
    panel why it is a gap (instead of an empty list of pairings)."""
    view.gaps, view.gap_query = gap_rows(G, within, as_of=view.as_of)
    view.program_gaps = program_gap_rows(G, within, as_of=view.as_of)
    view.place = place_of(G, within)
    view.gap_place = view.place["name"]
    reasons = {row["id"]: row["reason"] for row in view.gaps}
    for node in view.network.nodes:
        if node["id"] in reasons:
            node["info"] = [*node["info"], [_(GAP_LABEL), reasons[node["id"]]]]
            node["title"] = tooltip_text(node["info"])
    return view
