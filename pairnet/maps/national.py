"""The aggregated national view: one node per county (or prefecture, or province).

A national network has about a million units, far too many for a page, so units are
rolled up to their county; when there are more counties than ``max_nodes``, to their
prefecture, then to their province. Nodes are sized by villages and coloured by the share
of their poor villages that have a partner; edges are weighted by pairings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from operator import attrgetter

import networkx as nx

from pairnet.graph.columnar import network_columns
from pairnet.graph.counted import counted, rolled_up
from pairnet.graph.coverage import coverage, covering_programs
from pairnet.graph.model import Kind, Poverty, Side
from pairnet.graph.results import CoverageGroup
from pairnet.graph.targets import TargetSet, select_targets
from pairnet.i18n import N_, _, ngettext

from . import labels, layout, panel, style
from .parts import MAX_NODES, POOR_PAIRED, MapView, figure, new_network, path_key
from .programs import MAX_PROGRAMS, covered_per_program_set, program_key, program_sets

__all__ = ["AGGREGATION_KINDS", "coverage_color", "national_view"]

AGGREGATION_KINDS = (Kind.COUNTY, Kind.CITY, Kind.PROVINCE)
_CAPTIONS = {Kind.COUNTY: N_("counties"), Kind.CITY: N_("prefectures"), Kind.PROVINCE: N_("provinces")}
VILLAGES = TargetSet.of(kind=Kind.VILLAGE)
POOR_VILLAGES = TargetSet.of(kind=Kind.VILLAGE, side=Side.HELPED, poverty=tuple(Poverty))
_COVERAGE_STEPS = [
    (1.0, "#59a14f", N_("100% full coverage")),
    (0.9, "#b5d99c", "90–99%"),
    (0.5, "#f2c45a", "50–89%"),
    (0.0, style.WARNING_COLOR, N_("below 50%")),
]

_NODE_SIZES = (6, 21)
_SELECTION_REASON = N_("{done}/{total} poor villages paired")


def _scaled(value: int, low: int, high: int) -> float:
    return 0.5 if high == low else (value - low) / (high - low)


def coverage_color(share: float | None) -> str:
    """The fill of a helped node whose targets are ``share`` paired (None: no targets).

    >>> coverage_color(1.0), coverage_color(0.2) == style.WARNING_COLOR, coverage_color(None)
    ('#59a14f', True, '#d5d5d5')
    """
    if share is None:
        return style.MUTED_COLOR
    return next(color for floor, color, _label in _COVERAGE_STEPS if share >= floor)


def _switches(covered: dict[str, int], targets: int, info: list[list[str]]) -> dict:
    """A helped node's fill, status and tooltip for each set of programs ticked (keyed as
    :func:`programs.program_key`), from its poor villages covered by those programs."""
    row = next((i for i, (term, _value) in enumerate(info) if term == _(POOR_PAIRED)), None)

    def info_with(n: int) -> list[list[str]]:
        return info if row is None else [*info[:row], [info[row][0], f"{n}/{targets}"], *info[row + 1 :]]

    return {
        "fillWith": {key: coverage_color(n / targets if targets else None) for key, n in covered.items()},
        "statusWith": {key: "gap" if n < targets else "paired" for key, n in covered.items()},
        "infoWith": {key: info_with(n) for key, n in covered.items()},
        "titleWith": {key: style.tooltip_text(info_with(n)) for key, n in covered.items()},
    }


def _per_group(
    G: nx.MultiDiGraph, targets: TargetSet, as_of: dt.date | None, kind: Kind
) -> dict[str | None, CoverageGroup]:
    """The coverage of ``targets`` per ancestor of ``kind``, by group id (graph.coverage)."""
    return {group["group_id"]: group for group in coverage(G, targets, as_of=as_of, by=kind.value)["groups"]}


def _selection(
    G: nx.MultiDiGraph,
    aggregates: list[str],
    targets: Counter,
    paired: Counter,
    covered_with: dict[str, dict[str, int]],
) -> tuple[list[dict], list[dict]]:
    """The places whose poor villages are not all paired (as the panel lists them), and those
    that are but would not be with some programs unticked; each with its reason (and, under
    the program filter, ``reasonWith`` and ``gapWith`` per set of programs ticked)."""
    listed: tuple[list[dict], list[dict]] = ([], [])
    for node in aggregates:
        if not targets[node]:
            continue
        parent = G.nodes[node]["parent_id"]
        row = {
            "id": node,
            "name": G.nodes[node]["name"],
            "code": G.nodes[node]["unit"].code or "",
            "township": G.nodes[parent]["name"] if parent in G else "",
            "status": "gap",
            "reason": _(_SELECTION_REASON).format(done=paired[node], total=targets[node]),
        }
        if node in covered_with:
            counted = covered_with[node]
            row["reasonWith"] = {
                key: _(_SELECTION_REASON).format(done=n, total=targets[node]) for key, n in counted.items()
            }
            row["gapWith"] = {key: n < targets[node] for key, n in counted.items()}
        if paired[node] < targets[node]:
            listed[0].append(row)
        elif "gapWith" in row:
            listed[1].append(row)
    return listed


def national_view(G: nx.MultiDiGraph, *, as_of: dt.date | None = None, max_nodes: int = MAX_NODES) -> MapView:
    """The counties that have pairings or poor villages as nodes (or, when there are more
    than ``max_nodes`` of them, the prefectures or provinces that do).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="z", kind="county", name="张家港市", side="helper"),
    ...     Unit(id="y", kind="county", name="沿河土家族自治县", side="helped"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="y", poverty="deeply_poor"),
    ...     Unit(id="w", kind="village", name="善港村", side="helper", parent_id="z")),
    ...     pairings=(Pairing(id="p", helper_id="w", helped_id="v", level="village"),)))
    >>> view = national_view(G)
    >>> [(e["from"], e["to"], e["value"]) for e in view.network.edges]
    [('z', 'y', 1)]
    """
    table = network_columns(G)
    pairings = sorted((pairing for _, _, pairing in table.active_pairings(as_of)), key=attrgetter("id"))
    ends = [unit for p in pairings for unit in (p.helper_id, p.helped_id)]
    found = counted(G, POOR_VILLAGES, as_of=as_of, levels=None)
    poor = select_targets(G, POOR_VILLAGES, as_of=as_of) if found is None else found.ids(found.targets)
    # Only the units the program touches (a pairing, or poor villages) are nodes: the lowest
    # kind that has at most max_nodes of them. Each unit is rolled up to its place of that
    # kind at once, from the network's columns (graph.counted.rolled_up).
    for kind in AGGREGATION_KINDS:
        ends_up, poor_up = rolled_up(G, ends, kind, as_of), rolled_up(G, poor, kind, as_of)
        involved = {group for group in (*ends_up, *poor_up) if group is not None}
        if len(involved) <= max_nodes:
            break
    aggregates = [n for n in involved if G.nodes[n]["unit"].valid_on(as_of)]
    aggregates = sorted(aggregates, key=lambda i: path_key(G, i))[:max_nodes]
    shown = set(aggregates)
    total = table.count_of(kind)

    # The villages (for the size) and the poor villages covered, per node, from graph.coverage.
    villages = {group: counts["targets"] for group, counts in _per_group(G, VILLAGES, as_of, kind).items()}
    poor_covered = _per_group(G, POOR_VILLAGES, as_of, kind)
    targets = Counter({group: counts["targets"] for group, counts in poor_covered.items() if group in shown})
    targets_paired = Counter({group: counts["covered"] for group, counts in poor_covered.items() if group in shown})
    weights: Counter = Counter()
    per_program: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for pairing, a, b in zip(pairings, ends_up[::2], ends_up[1::2], strict=True):
        if a in shown and b in shown and a != b:
            weights[(a, b)] += 1
            per_program[(a, b)][pairing.program or ""] += 1
    # The program filter (a few programs at most): each place's poor villages covered by the
    # pairings of every set of programs a reader can leave ticked, for the page to look up.
    programs = sorted({p.program or "" for p in pairings})
    switchable = 1 < len(programs) <= MAX_PROGRAMS
    covered_with = (
        covered_per_program_set(
            poor, dict(zip(poor, poor_up, strict=True)).get, covering_programs(G, as_of=as_of), programs
        )
        if switchable
        else {}
    )
    partners: dict[str, Counter] = defaultdict(Counter)
    for (a, b), weight in weights.items():
        partners[a][b] += weight
        partners[b][a] += weight

    members: dict[tuple[str, str], list[str]] = {}
    for node in sorted(aggregates, key=lambda i: path_key(G, i)):
        members.setdefault(("all", style.drawn_side(G.nodes[node]).value), []).append(node)
    columns = max(8, math.ceil(math.sqrt(max((len(v) for v in members.values()), default=1))))

    net = new_network()
    # Sizes from villages, scaled as vis-network's value scaling would, but computed here so
    # that edges can be routed around the nodes as drawn.
    counts = [max(villages.get(n, 0), 1) for n in aggregates]
    low, high = min(counts, default=1), max(counts, default=1)
    net.options["edges"] = {**net.options["edges"], "scaling": {"min": 1, "max": 8}}
    for node in aggregates:
        unit, side = G.nodes[node]["unit"], style.drawn_side(G.nodes[node])
        share = poor_covered[node]["share"] if targets[node] else None
        fill = style.SIDE_COLORS[Side.HELPER] if side == Side.HELPER else coverage_color(share)
        info = style.node_info(G, node, as_of=as_of)
        info.insert(4, [_("villages"), str(villages.get(node, 0))])
        if targets[node]:
            info.insert(5, [_(POOR_PAIRED), f"{targets_paired[node]}/{targets[node]}"])
        top = _(", ").join(f"{G.nodes[p]['name']} ({w})" for p, w in partners[node].most_common(8))
        info.insert(-1, [_("partners (pairings)"), top or _("none")])
        net.add_node(
            node,
            label=unit.name,
            short=labels.short_label(unit.name),
            rank=labels.label_rank(unit.kind),
            x=0,
            y=0,
            size=_NODE_SIZES[0] + (_NODE_SIZES[1] - _NODE_SIZES[0]) * _scaled(max(villages.get(node, 0), 1), low, high),
            shape="square" if side == Side.HELPER else "dot",
            color={
                "background": fill,
                "border": "#444444",
                "highlight": {"background": "#ffe066", "border": "#000000"},
            },
            title=style.tooltip_text(info),
            info=info,
            code=unit.code or "",
            unpaired=bool(targets[node]) and share is not None and share < 1,
            band=style.band_of(unit.kind),
            side=str(side),
            status="gap" if targets[node] and targets_paired[node] < targets[node] else "paired",
            **(
                _switches(covered_with[node], targets[node], info)
                if side != Side.HELPER and node in covered_with
                else {}
            ),
        )
    for (a, b), weight in sorted(weights.items()):
        net.add_edge(
            a,
            b,
            id=f"{a}>{b}",
            value=weight,
            **({"programs": dict(per_program[(a, b)])} if switchable else {}),
            title=ngettext("{n} pairing", "{n} pairings", weight).format(n=weight),
            color={"color": "#7f7f7f", "opacity": 0.5},
            arrows={"to": {"enabled": True, "scaleFactor": 0.4}},
        )

    caption = _(_CAPTIONS[kind])
    boxes = layout.settle(net.nodes, net.edges, [("all", caption)], members, columns=columns)
    total_targets, total_paired = sum(targets.values()), sum(targets_paired.values())
    figures = [
        {
            "label": _("{places} shown (with pairings or poor villages)").format(places=caption),
            "value": _("{n} of {total}").format(n=len(aggregates), total=total),
        },
        figure(_("pairings between them"), sum(weights.values())),
        {
            **figure(_(POOR_PAIRED), total_paired, total_targets),
            # The page's program filter switches the total with the places' colours.
            "switch": {
                "programs": programs,
                "with": {
                    key: f"{sum(covered_with[n][key] for n in aggregates if n in covered_with)}/{total_targets}"
                    for key in map(program_key, program_sets(programs))
                },
            }
            if switchable
            else {},
        },
    ]
    legend: list[dict] = [
        {"kind": "node", "shape": "square", "label": _("helper side"), "color": style.SIDE_COLORS[Side.HELPER]},
        *(
            {
                "kind": "node",
                "shape": "dot",
                "label": _("helped, {share}").format(share=_(text)),
                "color": color,
            }
            for _f, color, text in _COVERAGE_STEPS
        ),
        {"kind": "node", "shape": "dot", "label": _("no poor villages"), "color": style.MUTED_COLOR},
        {"kind": "edge", "label": _("pairings (width = count)"), "color": "#7f7f7f", "dashes": "", "count": None},
        {"kind": "note", "label": _("node size = number of villages")},
    ]
    title = _("National view: {places}").format(places=caption)
    view = MapView(kind="national", title=title, as_of=as_of, network=net, figures=figures, legend=legend, boxes=boxes)
    # The selection beside the map: the places whose poor villages are not all paired, and
    # their coverage per place as the report's XLSX.
    view.gaps, view.program_gaps = _selection(G, aggregates, targets, targets_paired, covered_with)
    view.list_download = panel.coverage_href(kind.value, as_of)
    return view
