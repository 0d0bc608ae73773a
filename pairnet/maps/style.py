"""How units and pairings look on a map: colours, shapes, dash patterns, legends, tooltips.

Every map uses the same vocabulary so that a reader who learnt one view can read the
others: edges are coloured by pairing level and dashed by village mode, nodes are filled
by side, deeply poor villages are diamonds, and a target without a partner is red.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from pairnet.graph.model import Kind, Level, Mode, Poverty, Side
from pairnet.graph.network import active_pairings
from pairnet.graph.targets import expects_partner
from pairnet.i18n import N_, _
from pairnet.i18n.labels import label
from pairnet.service.wording import ASSUMED_MARK, ASSUMED_NOTE, header

__all__ = [
    "BAND_KINDS",
    "LEVEL_COLORS",
    "MODE_DASHES",
    "PAIRED_COLOR",
    "SIDE_COLORS",
    "WARNING_COLOR",
    "band_of",
    "edge_style",
    "level_legend",
    "mode_legend",
    "node_info",
    "node_legend",
    "node_style",
    "drawn_side",
    "tooltip_text",
]

# A colour-blind-safe palette (Tableau 10), one colour per level.
LEVEL_COLORS: dict[Level, str] = {
    Level.GOVERNMENT: "#4e79a7",
    Level.DEPARTMENT: "#76b7b2",
    Level.TOWNSHIP: "#59a14f",
    Level.VILLAGE: "#f28e2b",
    Level.ENTERPRISE_VILLAGE: "#b07aa1",
    Level.PARK: "#9c755f",
    Level.SCHOOL: "#edc948",
    Level.HOSPITAL: "#ff9da7",
}
# vis-network dash patterns (dash, gap, ...); a pairing without a mode is a solid line.
MODE_DASHES: dict[Mode, list[int]] = {
    Mode.CIVILIZATION_LED: [10, 5],
    Mode.SOCIAL_ORGANIZATION: [2, 4],
    Mode.LEADING_GROUP_MEMBER: [12, 4, 2, 4],
    Mode.STRONG_VILLAGE: [5, 5],
    Mode.LARGE_ENTERPRISE: [16, 6],
    Mode.STATE_ENTERPRISE: [2, 3, 8, 3],
}
SIDE_COLORS: dict[Side, str] = {Side.HELPER: "#a9c9e8", Side.HELPED: "#f6d2b0"}
WARNING_COLOR = "#e15759"
PAIRED_COLOR = "#59a14f"
MUTED_COLOR = "#d5d5d5"
PART_OF_COLOR = "#b0b0b0"

# The horizontal bands of the five-in-one and unit views, top to bottom, each captioned with
# the label of its pairing level, and the kinds in each.
_BAND_LEVELS: list[tuple[str, Level]] = [
    ("government", Level.GOVERNMENT),
    ("department", Level.DEPARTMENT),
    ("township", Level.TOWNSHIP),
    ("village", Level.VILLAGE),
    ("enterprise", Level.ENTERPRISE_VILLAGE),
    ("park", Level.PARK),
    ("school", Level.SCHOOL),
    ("hospital", Level.HOSPITAL),
]
BAND_KINDS: dict[Kind, str] = {
    Kind.PROVINCE: "government",
    Kind.CITY: "government",
    Kind.COUNTY: "government",
    Kind.GOVERNMENT: "government",
    Kind.DEPARTMENT: "department",
    Kind.OFFICE: "department",
    Kind.TOWNSHIP: "township",
    Kind.VILLAGE: "village",
    Kind.ENTERPRISE: "enterprise",
    Kind.SOCIAL_ORGANIZATION: "enterprise",
    Kind.PARK: "park",
    Kind.SCHOOL: "school",
    Kind.HOSPITAL: "hospital",
}
_GOVERNMENT_KINDS = {Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.GOVERNMENT}
_MAX_LISTED_PAIRINGS = 12


# The labels are built in the reader's language when they are read: ``style.LEVEL_LABELS``
# (and MODE_LABELS, SIDE_LABELS, BANDS) are computed by the module's ``__getattr__``, so that
# the views that read them as constants get them in the language of the request.
_LABELLED = {"LEVEL_LABELS": Level, "MODE_LABELS": Mode, "SIDE_LABELS": Side}


def __getattr__(name: str):
    if name in _LABELLED:
        return {member: label(member) for member in _LABELLED[name]}
    if name == "BANDS":
        return [(band, label(level)) for band, level in _BAND_LEVELS]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def band_of(kind: Kind) -> str:
    """The band a unit of ``kind`` is drawn in.

    >>> band_of(Kind.COUNTY), band_of(Kind.SOCIAL_ORGANIZATION)
    ('government', 'enterprise')
    """
    return BAND_KINDS[Kind(kind)]


def drawn_side(data) -> Side:
    """The side a node is drawn on: the one its roles give it (``data`` is the node's data
    in the network, see :mod:`graph.network`); a unit on no side is drawn with the helped,
    the side a plan's targets are on.

    >>> drawn_side({"side": None}), drawn_side({"side": Side.HELPER})
    (<Side.HELPED: 'helped'>, <Side.HELPER: 'helper'>)
    """
    return data["side"] or Side.HELPED


def node_style(unit, *, paired: bool, side: Side | None = None, sides=None) -> dict:
    """The vis-network node options (shape, colour, size) of ``unit``, drawn on ``side``
    with the roles ``sides`` (None: its hint).

    >>> from pairnet.graph.model import Unit
    >>> v = Unit(id="v", kind="village", name="高峰村", side="helped", poverty="deeply_poor")
    >>> node_style(v, paired=False)["color"]["background"] == WARNING_COLOR
    True
    >>> node_style(v, paired=True)["shape"]
    'diamond'
    """
    if unit.kind in _GOVERNMENT_KINDS:
        shape, size = "square", 15
    elif unit.poverty == Poverty.DEEPLY_POOR:
        shape, size = "diamond", 12
    elif unit.poverty == Poverty.POOR:
        shape, size = "triangle", 11
    else:
        shape, size = "dot", 9
    side = side or unit.side or Side.HELPED
    if paired:
        fill = SIDE_COLORS[Side(side)]
    elif expects_partner(unit, sides):
        fill, size = WARNING_COLOR, size + 5
    else:
        fill = MUTED_COLOR
    border = "#1f3b57" if side == Side.HELPER else "#6b3a12"
    return {
        "shape": shape,
        "size": size,
        "borderWidth": 3 if unit.poverty == Poverty.DEEPLY_POOR else 1,
        "color": {"background": fill, "border": border, "highlight": {"background": "#ffe066", "border": "#000000"}},
    }


def edge_style(pairing) -> dict:
    """The vis-network edge options of a pairing: colour by level, dashes by mode.

    >>> from pairnet.graph.model import Pairing
    >>> edge_style(Pairing(id="p", helper_id="a", helped_id="b", level="village", mode="strong_village"))["dashes"]
    [5, 5]
    """
    return {
        "color": {"color": LEVEL_COLORS[pairing.level], "opacity": 0.85},
        "dashes": MODE_DASHES[pairing.mode] if pairing.mode is not None else False,
        "width": 2 if pairing.level in (Level.GOVERNMENT, Level.TOWNSHIP) else 1.5,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        "title": label(pairing.level) + (f" · {label(pairing.mode)}" if pairing.mode else ""),
    }


def level_legend(levels, counts: dict | None = None) -> list[dict]:
    """Legend entries for the pairing levels present, in the order of the five levels."""
    counts = counts or {}
    return [
        {"kind": "edge", "label": label(lv), "color": LEVEL_COLORS[lv], "dashes": "", "count": counts.get(lv)}
        for lv in Level
        if lv in levels
    ]


def mode_legend(modes) -> list[dict]:
    """Legend entries for the village modes present (as dash patterns)."""
    return [
        {
            "kind": "edge",
            "label": label(m),
            "color": "#555555",
            "dashes": " ".join(map(str, MODE_DASHES[m])),
            "count": None,
        }
        for m in Mode
        if m in modes
    ]


def node_legend(*, sides=(Side.HELPER, Side.HELPED)) -> list[dict]:
    """Legend entries for node fills and shapes, shared by the five-in-one, unit and gap views."""
    entries = [{"kind": "node", "shape": "dot", "label": label(s), "color": SIDE_COLORS[s]} for s in sides]
    entries += [
        {"kind": "node", "shape": shape, "label": _(text), "color": color} for shape, text, color in _NODE_LEGEND
    ]
    return entries


_NODE_LEGEND = [
    ("dot", N_("target without a partner"), WARNING_COLOR),
    ("dot", N_("no partner, not a target"), MUTED_COLOR),
    ("diamond", N_("deeply poor village"), "#ffffff"),
    ("triangle", N_("poor village"), "#ffffff"),
    ("square", N_("government / county / city"), "#ffffff"),
]


def _describe(G: nx.MultiDiGraph, unit_id: str) -> str:
    unit = G.nodes[unit_id]["unit"]
    return f"{unit.name} ({unit.code})" if unit.code else unit.name


def node_info(G: nx.MultiDiGraph, unit_id: str, *, as_of: dt.date | None = None) -> list[list[str]]:
    """The rows (label, text) shown for a unit in its tooltip and in the info panel: name,
    code, kind, parent path, active pairings, the record's source, and which values are
    assumed (a poverty status chosen by a rule reads 深度贫困村*)."""
    unit = G.nodes[unit_id]["unit"]
    chain = []
    node = unit.parent_id
    while node is not None and node in G:
        chain.append(G.nodes[node]["name"])
        node = G.nodes[node]["parent_id"]
    placeholder = _(" (placeholder)") if unit.placeholder else ""
    rows = [[_("name"), unit.name + placeholder]]
    rows.append([_("code"), unit.code or "—"])
    poverty = label(unit.poverty) + (ASSUMED_MARK if "poverty" in unit.assumed else "") if unit.poverty else ""
    kind = label(unit.kind) + (f", {poverty}" if poverty else "")
    roles = "/".join(label(side) for side in Side if side in G.nodes[unit_id]["sides"]) or "—"
    rows.append([_("kind"), f"{kind} · {roles}"])
    rows.append([_("parent"), " / ".join(reversed(chain)) or "—"])
    pairings = active_pairings(G, unit_id, as_of=as_of)
    lines = []
    for pairing in pairings[:_MAX_LISTED_PAIRINGS]:
        outgoing = pairing.helper_id == unit_id
        partner = pairing.helped_id if outgoing else pairing.helper_id
        mode = f" · {label(pairing.mode)}" if pairing.mode else ""
        lines.append(f"{label(pairing.level)}: {'→' if outgoing else '←'} {_describe(G, partner)}{mode}")
    if len(pairings) > _MAX_LISTED_PAIRINGS:
        lines.append(_("… and {n} more").format(n=len(pairings) - _MAX_LISTED_PAIRINGS))
    rows.append([_("pairings ({n})").format(n=len(pairings)), "\n".join(lines) or _("none")])
    src = unit.source
    row = _("row {n}").format(n=src.row) if src.row else None
    where = ", ".join(p for p in (src.file, src.sheet, row) if p)
    rows.append([_("source"), where or "—"])
    if unit.note:
        rows.append([_("note"), unit.note])
    if unit.assumed:  # which of these values are assumed, not sourced
        rows.append([_("assumed"), "、".join(header(c) for c in unit.assumed) + "\n" + _(ASSUMED_NOTE)])
    return rows


def tooltip_text(rows: list[list[str]]) -> str:
    """The plain-text hover tooltip of an info panel (vis-network shows strings as text).

    >>> tooltip_text([["名称", "高峰村"], ["编码", "—"]])
    '名称: 高峰村\\n编码: —'
    """
    return "\n".join(f"{label}: {text}" for label, text in rows)
