"""The building blocks every map view shares: :class:`MapView`, the network with its
options, one unit as a node, pairings as edges, the coverage figures and a sort key."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pyvis.network import Network

from pairnet.graph.coverage import coverage, covering_programs
from pairnet.graph.errors import InvalidInput, NotFound, Problem
from pairnet.graph.network import parent_chain
from pairnet.graph.targets import TargetSet, expects_partner, select_targets
from pairnet.i18n import N_, _

from . import labels, style
from .programs import covered_switch

__all__ = [
    "DEEPLY_POOR_PAIRED",
    "MAX_NODES",
    "NO_PROGRAM",
    "ONLY_THROUGH",
    "POOR_PAIRED",
    "MapView",
    "add_pairings",
    "add_unit",
    "coverage_figures",
    "ensure_fits",
    "figure",
    "new_network",
    "path_key",
    "place_of",
    "program_names",
    "unit_or_404",
]

MAX_NODES = 2000
# Figure labels that other views and the tests name too.
DEEPLY_POOR_PAIRED = N_("deeply poor villages paired")
POOR_PAIRED = N_("poor villages paired")
NO_PROGRAM = N_("(no program)")
# Why a paired target shows as a gap when the page's program filter leaves out its programs.
ONLY_THROUGH = N_("paired only through {programs}, not ticked")

_OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "multiselect": False},
    "edges": {"smooth": False, "selectionWidth": 2},
    # The page draws the labels itself, by importance and without overlaps (see maps.js):
    # vis-network's own are transparent, kept only so that hovering a name shows its tooltip.
    "nodes": {"font": {"size": 12, "color": "rgba(0,0,0,0)", "face": "Noto Sans CJK SC, Noto Sans SC, sans-serif"}},
}


@dataclass
class MapView:
    """What one map page shows. ``network`` holds the nodes and edges (vis-network options)."""

    kind: str
    title: str
    as_of: dt.date | None
    network: Network
    figures: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    boxes: list[dict] = field(default_factory=list)
    # Units left out and counted instead: {"label", "count", "expand"} (the value of the
    # page's ``expand`` setting that shows them).
    collapsed: list[dict] = field(default_factory=list)
    # The gaps of the view's place (rows of :func:`graph.gaps.gaps`) and how they were asked.
    gaps: list[dict] = field(default_factory=list)
    gap_query: dict = field(default_factory=dict)
    # The listed targets paired now, with their programs: gaps while the page's program
    # filter leaves all of them out (rows of :func:`panel.program_gap_rows`).
    program_gaps: list[dict] = field(default_factory=list)
    # On a helper-side unit's map: what it and the units below it help, per level
    # (rows of :func:`helps.helped_by_level`).
    helps: list[dict] = field(default_factory=list)
    # The place the list is of, when it is not the view's own (e.g. a village's township).
    gap_place: str = ""
    # A list that is not of gaps by status (the national view's counties): its one download.
    list_download: str = ""
    # The unit the view is about ({"id", "name", "code"}), for the page's navigation bar.
    place: dict | None = None
    # The rectangles of the canvas ({"x0", "y0", "x1", "y1"}) the page may open on, where the
    # whole map would be too small to read: the first that can be read whole; empty: the whole map.
    focus: list[dict] = field(default_factory=list)

    @property
    def as_of_text(self) -> str:
        if self.as_of is None:
            return _("all dates (no as-of date)")
        return _("as of {day}").format(day=self.as_of.isoformat())


def place_of(G: nx.MultiDiGraph, unit_id: str) -> dict:
    """The unit a view is about, as the page's navigation bar names it."""
    unit = G.nodes[unit_id]["unit"]
    return {"id": unit_id, "name": unit.name, "code": unit.code or ""}


def new_network() -> Network:
    net = Network(height="100%", width="100%", directed=True)
    net.options = dict(_OPTIONS)
    return net


def unit_or_404(G: nx.MultiDiGraph, unit_id: str):
    if unit_id not in G:
        raise NotFound(_("no unit {id}").format(id=repr(unit_id)))
    return G.nodes[unit_id]["unit"]


def ensure_fits(count: int, max_nodes: int, *, column: str, value: str, hint: str) -> None:
    """Refuse a page of more than ``max_nodes`` units: a browser cannot draw it usefully."""
    if count > max_nodes:
        raise InvalidInput(
            [
                Problem(
                    message=_("this view would have {count} units; a map shows at most {most}").format(
                        count=f"{count:,}", most=f"{max_nodes:,}"
                    ),
                    column=column,
                    value=value,
                    expected=hint,
                )
            ]
        )


def figure(label: str, done: int, total: int | None = None) -> dict:
    value = f"{done}/{total}" if total is not None else str(done)
    return {"label": label, "value": value}


def path_key(G: nx.MultiDiGraph, unit_id: str) -> tuple:
    """A sort key that keeps the children of one parent together (e.g. villages by township)."""
    names = [G.nodes[a]["name"] for a in reversed(parent_chain(G, unit_id))]
    return (len(names), *names, G.nodes[unit_id]["name"], unit_id)


def program_names(programs) -> str:
    """Programs as a reader names them, "" being a pairing recorded without one.

    >>> program_names(["万企帮万村", ""])
    '万企帮万村, (no program)'
    """
    return _(", ").join(p or _(NO_PROGRAM) for p in programs)


def add_unit(
    net: Network,
    G: nx.MultiDiGraph,
    unit_id: str,
    position,
    *,
    as_of,
    paired: bool,
    fill: str | None = None,
    programs: frozenset[str] | None = None,
) -> None:
    """Add the unit as a node; a paired target gets, with ``programs`` (those of the
    pairings that cover it, :func:`graph.coverage.covering_programs`), how it looks as a gap
    (``gapColor``, ``gapSize``, ``gapInfo``, ``gapTitle``), which the page's program filter
    shows when none of them is ticked."""
    data = G.nodes[unit_id]
    unit, sides = data["unit"], data["sides"]
    info = style.node_info(G, unit_id, as_of=as_of)
    drawn = style.drawn_side(data)
    options = style.node_style(unit, paired=paired, side=drawn, sides=sides)
    if fill is not None:
        options["color"]["background"] = fill
    target = expects_partner(unit, sides)
    if paired and target and programs:
        gap = style.node_style(unit, paired=False, side=drawn, sides=sides)
        gap_info = [*info, [_("gap"), _(ONLY_THROUGH).format(programs=program_names(sorted(programs)))]]
        options |= {
            "coveredBy": sorted(programs),
            "gapColor": gap["color"],
            "gapSize": gap["size"],
            "gapInfo": gap_info,
            "gapTitle": style.tooltip_text(gap_info),
        }
    net.add_node(
        unit_id,
        label=unit.name,
        short=labels.short_label(unit.name),
        rank=labels.label_rank(unit.kind),
        x=position[0],
        y=position[1],
        title=style.tooltip_text(info),
        info=info,
        code=unit.code or "",
        unpaired=not paired and target,
        band=style.band_of(unit.kind),
        side=str(style.drawn_side(data)),
        status="paired" if paired else "gap" if target else "other",
        target=target,
        **options,
    )


def add_pairings(net: Network, pairings) -> Counter:
    levels: Counter = Counter()
    for pairing in pairings:
        net.add_edge(
            pairing.helper_id,
            pairing.helped_id,
            id=pairing.id,
            level=str(pairing.level),
            program=pairing.program or "",
            **style.edge_style(pairing),
        )
        levels[pairing.level] += 1
    return levels


def _out_of(total: int) -> Callable[[int], str]:
    """A figure's text for a number covered: "3/4"."""
    return lambda covered: f"{covered}/{total}"


def coverage_figures(G: nx.MultiDiGraph, *, as_of, helped: str | None, helper: str | None = None) -> list[dict]:
    """The figures a planner reports (from :func:`graph.coverage.coverage`): deeply poor and
    poor villages paired, townships paired on each side. Empty target sets are left out.
    Each figure has a ``switch`` (:func:`programs.covered_switch`): its value with only some
    programs ticked in the page's filter."""
    selections: list[tuple[str, str | None, dict[str, Any]]] = [
        (_(DEEPLY_POOR_PAIRED), helped, {"kind": "village", "side": "helped", "poverty": "deeply_poor"}),
        (_(POOR_PAIRED), helped, {"kind": "village", "side": "helped", "poverty": "poor"}),
        (_("townships paired (helped side)"), helped, {"kind": "township", "side": "helped"}),
        (_("towns paired (helper side)"), helper, {"kind": "township", "side": "helper"}),
    ]
    figures = []
    covering = covering_programs(G, as_of=as_of)
    for label, within, target in selections:
        if within is None:
            continue
        result = coverage(G, within=within, as_of=as_of, **target)
        if result["targets"]:
            total = result["targets"]
            counted = select_targets(G, TargetSet.of(within=within, **target), as_of=as_of)
            switch = covered_switch(counted, covering, _out_of(total))
            figures.append({**figure(label, result["covered"], total), "switch": switch})
    return figures
