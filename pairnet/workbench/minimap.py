"""The small map of a unit page: an inline SVG drawn on the server, no script.

An embedded vis-network page in a small frame raised "scale has to be a number greater than
zero" when the frame had no size yet at its first draw; a picture computed here has no such
moment. It shows the unit's parent chain in the middle (root at the top, the unit last), the
units that help it on the left and those it helps on the right, one line per partner in the
colour of the pairing's level and the dashes of its mode, as the maps draw them (a pairing
not active on the page's day is a thin grey line). Nodes have the maps' shapes and fills:
the side's colour when paired on the day, red for a target without a partner, grey otherwise.
The page wraps it in a link to the full map of the unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from pairnet.graph.model import Level, Pairing, Side, Unit
from pairnet.graph.network import active_pairings, parent_chain
from pairnet.i18n import _, ngettext
from pairnet.i18n.labels import label
from pairnet.maps import style

__all__ = ["MAX_PARTNERS", "minimap"]

MAX_PARTNERS = 12  # per side; the rest is counted under the column
WIDTH = 720
_MIDDLE, _LEFT, _RIGHT = 360, 220, 500
_CHAIN_STEP, _ROW_STEP, _TOP = 40, 26, 30
_LABEL_CHARS = 15
_ENDED_COLOR = "#9a9a9a"


@dataclass(frozen=True)
class _Node:
    """One unit drawn: where, how, and its label."""

    x: float
    y: float
    name: str
    title: str
    shape: str
    r: float
    points: str
    fill: str
    border: str
    border_width: float
    anchor: str
    strong: bool = False


def _short(name: str) -> str:
    return name if len(name) <= _LABEL_CHARS else name[: _LABEL_CHARS - 1] + "…"


def _points(shape: str, x: float, y: float, r: float) -> str:
    """The polygon of a diamond or a triangle around (x, y); empty for the other shapes."""
    if shape == "diamond":
        corners = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    elif shape == "triangle":
        corners = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    else:
        return ""
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in corners)


def _node(G: nx.MultiDiGraph[str], unit: Unit, x: float, y: float, as_of: dt.date, anchor: str) -> _Node:
    data = G.nodes[unit.id]
    paired = bool(active_pairings(G, unit.id, as_of=as_of))
    options = style.node_style(unit, paired=paired, side=style.drawn_side(data), sides=data["sides"])
    shape = {"dot": "circle", "square": "square"}.get(options["shape"], options["shape"])
    radius = round(options["size"] * 0.55, 1)
    title = f"{unit.name} · {label(unit.kind)}" + (f" · {unit.code}" if unit.code else "")
    return _Node(
        x=x,
        y=y,
        name=_short(unit.name),
        title=title,
        shape=shape,
        r=radius,
        points=_points(shape, x, y, radius),
        fill=options["color"]["background"],
        border=options["color"]["border"],
        border_width=options["borderWidth"],
        anchor=anchor,
    )


def _partners(G: nx.MultiDiGraph[str], unit: Unit, pairings: list[Pairing], as_of: dt.date) -> dict[Side, list[Any]]:
    """Each partner once per side (helpers, helped), with the pairing drawn for it: an active
    one first, then the first in the levels' order; by level, then code."""
    chosen: dict[tuple[Side, str], Pairing] = {}
    levels = list(Level)
    for pairing in pairings:
        side = Side.HELPER if pairing.helped_id == unit.id else Side.HELPED  # the partner's role
        partner = pairing.helper_id if side is Side.HELPER else pairing.helped_id
        if partner not in G:
            continue
        key = (side, partner)
        rank = (not pairing.active_on(as_of), levels.index(pairing.level))
        held = chosen.get(key)
        if held is None or rank < (not held.active_on(as_of), levels.index(held.level)):
            chosen[key] = pairing
    found: dict[Side, list[Any]] = {Side.HELPER: [], Side.HELPED: []}
    for (side, partner), pairing in chosen.items():
        found[side].append((G.nodes[partner]["unit"], pairing))
    for rows in found.values():
        rows.sort(key=lambda row: (levels.index(row[1].level), row[0].code or "~", row[0].name))
    return found


def _line(x: float, y: float, unit_y: float, pairing: Pairing, as_of: dt.date) -> dict[str, Any]:
    """The line from the unit to a partner: the maps' level colour and mode dashes when the
    pairing is active on the day, else thin, grey and dotted."""
    active = pairing.active_on(as_of)
    dashes = style.MODE_DASHES.get(pairing.mode) if pairing.mode and active else None
    return {
        "x1": _MIDDLE,
        "y1": unit_y,
        "x2": x,
        "y2": y,
        "color": style.LEVEL_COLORS[pairing.level] if active else _ENDED_COLOR,
        "width": 2 if active else 1,
        "dashes": " ".join(map(str, dashes)) if dashes else ("" if active else "3 3"),
        "level": pairing.level if active else None,
    }


def minimap(G: nx.MultiDiGraph[str], unit: Unit, pairings: list[Pairing], as_of: dt.date) -> dict[str, Any]:
    """What the unit page's SVG draws (see the module doc): nodes, lines, the legend, a size."""
    chain = [G.nodes[p]["unit"] for p in reversed(parent_chain(G, unit.id))]
    middle = [_node(G, u, _MIDDLE, _TOP + i * _CHAIN_STEP, as_of, "middle") for i, u in enumerate([*chain, unit])]
    middle[-1] = replace(middle[-1], strong=True)
    unit_y = middle[-1].y
    nodes, lines, more = list(middle), [], []
    links = [{"x1": _MIDDLE, "y1": a.y, "x2": _MIDDLE, "y2": b.y} for a, b in zip(middle, middle[1:], strict=False)]
    bottom = unit_y
    partners = _partners(G, unit, pairings, as_of)
    for side, x, anchor in ((Side.HELPER, _LEFT, "end"), (Side.HELPED, _RIGHT, "start")):
        rows = partners[side]
        for i, (partner, pairing) in enumerate(rows[:MAX_PARTNERS]):
            y = unit_y + _ROW_STEP * (i + 1)
            nodes.append(_node(G, partner, x, y, as_of, anchor))
            lines.append(_line(x, y, unit_y, pairing, as_of))
            bottom = max(bottom, y)
        if len(rows) > MAX_PARTNERS:
            extra = len(rows) - MAX_PARTNERS
            bottom = unit_y + _ROW_STEP * (MAX_PARTNERS + 1)
            text = ngettext("and {n} more", "and {n} more", extra).format(n=extra)
            more.append({"x": x, "y": bottom, "anchor": anchor, "text": text})
    drawn = {line["level"] for line in lines}
    legend = [
        {"color": style.LEVEL_COLORS[level], "text": label(level), "dashes": ""} for level in Level if level in drawn
    ]
    if None in drawn:
        legend.append({"color": _ENDED_COLOR, "text": _("not active on this day"), "dashes": "3 3"})
    return {
        "width": WIDTH,
        "height": bottom + _TOP,
        "nodes": nodes,
        "links": links,
        "lines": lines,
        "more": more,
        "legend": legend,
        "fills": [
            {"color": style.SIDE_COLORS[Side.HELPED], "text": _("paired on this day")},
            {"color": style.WARNING_COLOR, "text": _("target without a partner")},
            {"color": style.MUTED_COLOR, "text": _("no partner, not a target")},
        ],
        "helpers": len(partners[Side.HELPER]),
        "helped": len(partners[Side.HELPED]),
    }
