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

__all__ = [
    "BAND_KINDS",
    "BANDS",
    "LEVEL_COLORS",
    "LEVEL_LABELS",
    "MODE_DASHES",
    "MODE_LABELS",
    "PAIRED_COLOR",
    "SIDE_COLORS",
    "WARNING_COLOR",
    "band_of",
    "edge_style",
    "level_legend",
    "mode_legend",
    "node_info",
    "node_style",
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
LEVEL_LABELS: dict[Level, str] = {
    Level.GOVERNMENT: "市县 city–county",
    Level.DEPARTMENT: "部门 departments",
    Level.TOWNSHIP: "镇级 townships",
    Level.VILLAGE: "村级 villages",
    Level.ENTERPRISE_VILLAGE: "村企 enterprise–village",
    Level.PARK: "园区 parks",
    Level.SCHOOL: "学校 schools",
    Level.HOSPITAL: "医院 hospitals",
}
MODE_LABELS: dict[Mode, str] = {
    Mode.CIVILIZATION_LED: "文明引领 civilization-led",
    Mode.SOCIAL_ORGANIZATION: "社会组织 social organization",
    Mode.LEADING_GROUP_MEMBER: "领导小组成员 leading-group member",
    Mode.STRONG_VILLAGE: "经济强村 strong village",
    Mode.LARGE_ENTERPRISE: "规模企业 large enterprise",
    Mode.STATE_ENTERPRISE: "国资企业 state-owned enterprise",
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
SIDE_LABELS: dict[Side, str] = {Side.HELPER: "帮扶方 helper side", Side.HELPED: "受帮扶方 helped side"}
WARNING_COLOR = "#e15759"
PAIRED_COLOR = "#59a14f"
MUTED_COLOR = "#d5d5d5"
PART_OF_COLOR = "#b0b0b0"

# The horizontal bands of the five-in-one and unit views, top to bottom, and the kinds in each.
BANDS: list[tuple[str, str]] = [
    ("government", "市县 city–county"),
    ("department", "部门 departments"),
    ("township", "镇级 townships"),
    ("village", "村级 villages"),
    ("enterprise", "村企 enterprises"),
    ("park", "园区 parks"),
    ("school", "学校 schools"),
    ("hospital", "医院 hospitals"),
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


def band_of(kind: Kind) -> str:
    """The band a unit of ``kind`` is drawn in.

    >>> band_of(Kind.COUNTY), band_of(Kind.SOCIAL_ORGANIZATION)
    ('government', 'enterprise')
    """
    return BAND_KINDS[Kind(kind)]


def node_style(unit, *, paired: bool) -> dict:
    """The vis-network node options (shape, colour, size) of ``unit``.

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
    if paired:
        fill = SIDE_COLORS[Side(unit.side)]
    elif expects_partner(unit):
        fill, size = WARNING_COLOR, size + 5
    else:
        fill = MUTED_COLOR
    border = "#1f3b57" if unit.side == Side.HELPER else "#6b3a12"
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
        "title": f"{LEVEL_LABELS[pairing.level]}" + (f" · {MODE_LABELS[pairing.mode]}" if pairing.mode else ""),
    }


def level_legend(levels, counts: dict | None = None) -> list[dict]:
    """Legend entries for the pairing levels present, in the order of the five levels."""
    counts = counts or {}
    return [
        {"kind": "edge", "label": LEVEL_LABELS[lv], "color": LEVEL_COLORS[lv], "dashes": "", "count": counts.get(lv)}
        for lv in Level
        if lv in levels
    ]


def mode_legend(modes) -> list[dict]:
    """Legend entries for the village modes present (as dash patterns)."""
    return [
        {
            "kind": "edge",
            "label": MODE_LABELS[m],
            "color": "#555555",
            "dashes": " ".join(map(str, MODE_DASHES[m])),
            "count": None,
        }
        for m in Mode
        if m in modes
    ]


def node_legend(*, sides=(Side.HELPER, Side.HELPED)) -> list[dict]:
    """Legend entries for node fills and shapes, shared by the five-in-one, unit and gap views."""
    entries = [{"kind": "node", "shape": "dot", "label": SIDE_LABELS[s], "color": SIDE_COLORS[s]} for s in sides]
    entries += [
        {"kind": "node", "shape": "dot", "label": "无结对 target without a partner", "color": WARNING_COLOR},
        {"kind": "node", "shape": "dot", "label": "无结对（非目标） no partner, not a target", "color": MUTED_COLOR},
        {"kind": "node", "shape": "diamond", "label": "深度贫困村 deeply poor village", "color": "#ffffff"},
        {"kind": "node", "shape": "triangle", "label": "贫困村 poor village", "color": "#ffffff"},
        {"kind": "node", "shape": "square", "label": "党委政府 government / county / city", "color": "#ffffff"},
    ]
    return entries


def _describe(G: nx.MultiDiGraph, unit_id: str) -> str:
    unit = G.nodes[unit_id]["unit"]
    return f"{unit.name} ({unit.code})" if unit.code else unit.name


def node_info(G: nx.MultiDiGraph, unit_id: str, *, as_of: dt.date | None = None) -> list[list[str]]:
    """The rows (label, text) shown for a unit in its tooltip and in the info panel: name,
    code, kind, parent path, active pairings and the record's source."""
    unit = G.nodes[unit_id]["unit"]
    chain = []
    node = unit.parent_id
    while node is not None and node in G:
        chain.append(G.nodes[node]["name"])
        node = G.nodes[node]["parent_id"]
    rows = [["名称 name", unit.name + ("（占位 placeholder）" if unit.placeholder else "")]]
    rows.append(["编码 code", unit.code or "—"])
    kind = unit.kind.value + (f", {unit.poverty.value.replace('_', ' ')}" if unit.poverty else "")
    rows.append(["类型 kind", f"{kind} · {SIDE_LABELS[unit.side]}"])
    rows.append(["上级 parent", " / ".join(reversed(chain)) or "—"])
    pairings = active_pairings(G, unit_id, as_of=as_of)
    lines = []
    for pairing in pairings[:_MAX_LISTED_PAIRINGS]:
        outgoing = pairing.helper_id == unit_id
        partner = pairing.helped_id if outgoing else pairing.helper_id
        mode = f" · {MODE_LABELS[pairing.mode]}" if pairing.mode else ""
        lines.append(f"{LEVEL_LABELS[pairing.level]}: {'→' if outgoing else '←'} {_describe(G, partner)}{mode}")
    if len(pairings) > _MAX_LISTED_PAIRINGS:
        lines.append(f"… and {len(pairings) - _MAX_LISTED_PAIRINGS} more")
    rows.append([f"结对 pairings ({len(pairings)})", "\n".join(lines) or "none"])
    src = unit.source
    where = ", ".join(p for p in (src.file, src.sheet, f"row {src.row}" if src.row else None) if p)
    rows.append(["来源 source", where or "—"])
    if unit.note:
        rows.append(["备注 note", unit.note])
    return rows


def tooltip_text(rows: list[list[str]]) -> str:
    """The plain-text hover tooltip of an info panel (vis-network shows strings as text).

    >>> tooltip_text([["名称 name", "高峰村"], ["编码 code", "—"]])
    '名称 name: 高峰村\\n编码 code: —'
    """
    return "\n".join(f"{label}: {text}" for label, text in rows)
