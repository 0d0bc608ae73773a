"""The gap view: every target unit of a county or township, paired or not, by township."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from pairnet.graph.coverage import covering_programs
from pairnet.graph.model import Kind
from pairnet.graph.targets import TargetSet, expects_partner, select_targets
from pairnet.i18n import _

from . import layout, panel, programs, style
from .parts import (
    MAX_NODES,
    MapView,
    add_unit,
    coverage_figures,
    ensure_fits,
    figure,
    new_network,
    path_key,
    unit_or_404,
)

__all__ = ["TARGET_KINDS", "gap_view"]

# The units a gap view lists under each township.
TARGET_KINDS = (Kind.VILLAGE, Kind.SCHOOL, Kind.HOSPITAL)


def gap_view(G: nx.MultiDiGraph, within: str, *, as_of: dt.date | None = None, max_nodes: int = MAX_NODES) -> MapView:
    """Every village, school and hospital under ``within`` (a county or a township id) and
    every township, grouped by township; targets without a partner are large and red.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="y", kind="county", name="沿河土家族自治县", side="helped"),
    ...     Unit(id="t", kind="township", name="中界镇", side="helped", parent_id="y"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="t", poverty="deeply_poor"),
    ...     Unit(id="u", kind="village", name="占位村", side="helped", parent_id="t", poverty="deeply_poor"),
    ...     Unit(id="w", kind="village", name="善港村", side="helper")),
    ...     pairings=(Pairing(id="p", helper_id="w", helped_id="v", level="village"),)))
    >>> view = gap_view(G, "y")
    >>> view.figures[0]["value"], [b["label"] for b in view.boxes]
    ('1/2', ['中界镇 (1/2 paired)'])
    """
    root = unit_or_404(G, within)
    if root.kind == Kind.TOWNSHIP:
        townships = [within]
    else:
        townships = sorted(
            select_targets(G, TargetSet.of(kind=Kind.TOWNSHIP, within=within), as_of=as_of),
            key=lambda i: path_key(G, i),
        )
    groups: list[tuple[str, str | None, list[str]]] = []
    grouped: set[str] = set()
    for township in townships:
        members = select_targets(G, TargetSet.of(kind=TARGET_KINDS, within=township), as_of=as_of)
        members.sort(key=lambda i: path_key(G, i))
        groups.append((G.nodes[township]["name"], township, members))
        grouped.update(members)
    if root.kind != Kind.TOWNSHIP:
        below = select_targets(G, TargetSet.of(kind=TARGET_KINDS, within=within), as_of=as_of)
        direct = [u for u in below if u not in grouped]
        if direct:
            groups.append(
                (
                    _("{name}: directly under the county").format(name=root.name),
                    None,
                    sorted(direct, key=lambda i: path_key(G, i)),
                )
            )
    ids = [i for _caption, head, members in groups for i in ([head] if head else []) + list(members)]
    ensure_fits(len(ids), max_nodes, column="within", value=root.name, hint=_("a county or a township"))
    covered = covering_programs(G, as_of=as_of)
    paired = {i for i in ids if i in covered}
    captioned, switches = [], []
    for caption, head, members in groups:
        targets = [m for m in members if expects_partner(G.nodes[m]["unit"], G.nodes[m]["sides"])]

        def text(done: int, caption: str = caption, total: int = len(targets)) -> str:
            # maps.js shortens a caption to what comes before " (": keep the figures there.
            return _("{caption} ({done}/{total} paired)").format(caption=caption, done=done, total=total)

        captioned.append((text(sum(1 for m in targets if m in paired)), head, members))
        # The caption with only some programs ticked in the page's filter.
        switches.append(programs.covered_switch(targets, covered, text))
    positions, boxes = layout.grouped(captioned)
    for box, switch in zip(boxes, switches, strict=True):
        box["switch"] = switch
    net = new_network()
    for unit_id in ids:
        fill = style.PAIRED_COLOR if unit_id in paired else None
        add_unit(
            net,
            G,
            unit_id,
            positions[unit_id],
            as_of=as_of,
            paired=unit_id in paired,
            fill=fill,
            programs=covered.get(unit_id),
        )
    expecting = [i for i in ids if expects_partner(G.nodes[i]["unit"], G.nodes[i]["sides"])]
    unpaired = sum(1 for i in expecting if i not in paired)

    def left(covered_now: int, total: int = len(expecting)) -> str:
        return str(total - covered_now)

    figures = [
        *coverage_figures(G, as_of=as_of, helped=within),
        {
            **figure(_("targets without a partner"), unpaired),
            "switch": programs.covered_switch(expecting, covered, left),
        },
    ]
    legend = [
        {"kind": "node", "shape": "dot", "label": _("paired"), "color": style.PAIRED_COLOR},
        *style.node_legend(sides=())[:-1],
    ]
    title = _("Gaps: {name}").format(name=root.name) + (f" ({root.code})" if root.code else "")
    view = MapView(kind="gaps", title=title, as_of=as_of, network=net, figures=figures, legend=legend, boxes=boxes)
    return panel.attach_gaps(view, G, within)
