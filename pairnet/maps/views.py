"""The banded map views, built as a :class:`pyvis.network.Network` from the NetworkX network.

* :func:`five_in_one` — a helper–helped pair: both trees of units in bands per level;
* :func:`unit_view` — one unit, its parent chain and its partners, to a chosen depth;

(the gap view is in :mod:`api.maps.gaps`, the national view in :mod:`api.maps.national`).

Each returns a :class:`MapView`: the pyvis network (positions precomputed, physics off)
plus the title, the as-of date, the figures, the legend and the shaded boxes that
:func:`api.maps.render.to_html` turns into one self-contained page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import pairwise

import networkx as nx

from pairnet.graph.coverage import covering_programs
from pairnet.graph.model import Kind, Level, Side
from pairnet.graph.network import active_pairings, parent_chain
from pairnet.graph.targets import TargetSet, select_targets
from pairnet.i18n import N_, _

from . import layout, panel, style
from .helps import helped_by_level
from .parts import (
    MAX_NODES,
    MapView,
    add_pairings,
    add_unit,
    coverage_figures,
    ensure_fits,
    figure,
    new_network,
    path_key,
    place_of,
    unit_or_404,
)

__all__ = ["COLLAPSED_TEXT", "five_in_one", "unit_view"]

COLLAPSED_TEXT = N_("without pairings in this program")
# Townships and governments in wide rows of few, so that their names are always readable
# at fit-to-screen (see labels.py); villages, schools... in dense rows, named as one zooms.
_BAND_COLUMNS = {"government": 8, "township": 10}


def _tree(G: nx.MultiDiGraph, root: str, as_of: dt.date | None) -> list[str]:
    """``root`` and every unit below it on ``as_of`` (the date-aware hierarchy of graph)."""
    return [root, *select_targets(G, TargetSet(within=root), as_of=as_of)]


def _banded_members(G: nx.MultiDiGraph, ids) -> dict[tuple[str, str], list[str]]:
    members: dict[tuple[str, str], list[str]] = {}
    for unit_id in sorted(ids, key=lambda i: path_key(G, i)):
        data = G.nodes[unit_id]
        members.setdefault((style.band_of(data["kind"]), style.drawn_side(data).value), []).append(unit_id)
    return members


def _banded_view(G, kind, title, as_of, ids, pairings, *, extra_edges=(), figures=()) -> MapView:
    """A view of ``ids`` in bands per kind, helper half left, helped half right."""
    ids = list(dict.fromkeys(ids))
    # The covered units, each with the programs that cover it (for the page's program filter).
    covering = covering_programs(G, as_of=as_of)
    net = new_network()
    for unit_id in ids:
        add_unit(net, G, unit_id, (0, 0), as_of=as_of, paired=unit_id in covering, programs=covering.get(unit_id))
    levels = add_pairings(net, pairings)
    for child, parent in extra_edges:
        net.add_edge(child, parent, color=style.PART_OF_COLOR, dashes=[3, 3], width=1, title=_("part of"), arrows="")
    boxes = layout.settle(net.nodes, net.edges, style.BANDS, _banded_members(G, ids), band_columns=_BAND_COLUMNS)
    legend = (
        style.level_legend(levels, levels)
        + style.mode_legend({p.mode for p in pairings if p.mode})
        + style.node_legend()
    )
    figures = [*figures, figure(_("pairings shown"), len(pairings))]
    return MapView(kind=kind, title=title, as_of=as_of, network=net, figures=figures, legend=legend, boxes=boxes)


def _collapsed_groups(G: nx.MultiDiGraph, hidden: list[str], root: str) -> list[dict]:
    """One entry per parent and band of the ``hidden`` helper units: how many, and the key
    (the parent's id) that expands them."""
    groups: dict[tuple[str, str], int] = {}
    for unit_id in hidden:
        parent = G.nodes[unit_id]["parent_id"] or root
        key = (parent, style.band_of(G.nodes[unit_id]["kind"]))
        groups[key] = groups.get(key, 0) + 1
    captions = dict(style.BANDS)
    return [
        {
            "parent": G.nodes[parent]["name"],
            "band": band,
            "count": count,
            "label": _("{parent}: +{count} {band} {without}").format(
                parent=G.nodes[parent]["name"], count=count, band=captions[band], without=_(COLLAPSED_TEXT)
            ),
            "expand": parent,
        }
        for (parent, band), count in sorted(groups.items(), key=lambda item: (path_key(G, item[0][0]), item[0][1]))
    ]


def _program_members(G: nx.MultiDiGraph, helper_tree: list[str], helped: set[str], pairings) -> set[str]:
    """The helper units that pair with a unit of the helped tree, and their parents."""
    tree = set(helper_tree)
    kept = {helper_tree[0]}
    for pairing in pairings:
        for mine, theirs in ((pairing.helper_id, pairing.helped_id), (pairing.helped_id, pairing.helper_id)):
            if mine in tree and theirs in helped:
                kept.add(mine)
                kept.update(a for a in parent_chain(G, mine) if a in tree)
    return kept


# Canvas pixels around the focused nodes, for their labels (about 8 characters of 13 px at
# the least scale the page opens at).
_FOCUS_MARGIN = 120


def _focus(view: MapView, ids: set[str]) -> dict | None:
    """The rectangle around the nodes ``ids`` (with room for their labels), or None."""
    points = [(n["x"], n["y"]) for n in view.network.nodes if n["id"] in ids]
    if not points:
        return None
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    m = _FOCUS_MARGIN
    return {"x0": min(xs) - m, "y0": min(ys) - m, "x1": max(xs) + m, "y1": max(ys) + m / 2}


def five_in_one(
    G: nx.MultiDiGraph,
    helper: str,
    helped: str,
    *,
    as_of: dt.date | None = None,
    expand: Iterable[str] = (),
    max_nodes: int = MAX_NODES,
) -> MapView:
    """The five-in-one view of a pair: every unit under ``helped``, the units under
    ``helper`` that pair with one of them (the others are counted, per parent and band,
    in ``MapView.collapsed``), the partners they have elsewhere, and their active pairings.

    ``expand`` shows collapsed helper units too: ``"all"``, a band (``"village"``, see
    :data:`style.BANDS`) or the id of their parent (e.g. a township).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="z", kind="city", name="张家港市", side="helper"),
    ...     Unit(id="y", kind="county", name="沿河土家族自治县", side="helped"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="y", poverty="deeply_poor"),
    ...     Unit(id="w", kind="village", name="善港村", side="helper", parent_id="z"),
    ...     Unit(id="x", kind="village", name="别村", side="helper", parent_id="z")),
    ...     pairings=(Pairing(id="p", helper_id="w", helped_id="v", level="village"),)))
    >>> view = five_in_one(G, "z", "y")
    >>> view.figures[0]["label"], view.figures[0]["value"]
    ('deeply poor villages paired', '1/1')
    >>> view.network.num_nodes(), view.network.num_edges(), view.collapsed[0]["count"]
    (4, 1, 1)
    >>> five_in_one(G, "z", "y", expand=["all"]).network.num_nodes()
    5
    """
    helper_unit, helped_unit = unit_or_404(G, helper), unit_or_404(G, helped)
    helper_tree, helped_tree = _tree(G, helper, as_of), _tree(G, helped, as_of)
    everything = {p.id: p for unit_id in [*helper_tree, *helped_tree] for p in active_pairings(G, unit_id, as_of=as_of)}
    expand = set(expand)
    kept = _program_members(G, helper_tree, set(helped_tree), everything.values())
    shown_helpers: list[str] = []
    hidden: list[str] = []
    for unit_id in helper_tree:
        data = G.nodes[unit_id]
        opened = {"all", style.band_of(data["kind"]), data["parent_id"]} & expand
        (shown_helpers if unit_id in kept or opened else hidden).append(unit_id)
    ids = [*shown_helpers, *helped_tree]
    inside = set(ids)
    pairings = sorted(
        (p for p in everything.values() if p.helper_id in inside or p.helped_id in inside), key=lambda p: p.id
    )
    outside = [i for p in pairings for i in (p.helper_id, p.helped_id) if i not in inside]
    ensure_fits(
        len(inside) + len(set(outside)),
        max_nodes,
        column="helped",
        value=helped_unit.name,
        hint=_("a county-level pair (use the national view for provinces and prefectures)"),
    )
    title = _("Five-in-one: {helper} → {helped}").format(helper=helper_unit.name, helped=helped_unit.name)
    figures = coverage_figures(G, as_of=as_of, helped=helped, helper=helper)
    if hidden:
        figures.append(figure(_("helper units {without}").format(without=_(COLLAPSED_TEXT)), len(hidden)))
    view = _banded_view(G, "five-in-one", title, as_of, [*ids, *outside], pairings, figures=figures)
    view.collapsed = _collapsed_groups(G, hidden, helper)
    townships = {i for i in helped_tree if G.nodes[i]["kind"] == Kind.TOWNSHIP}
    partners = {p.helper_id for p in pairings if p.helped_id in townships and p.level == Level.TOWNSHIP}
    view.focus = [f for f in (_focus(view, townships | partners), _focus(view, townships)) if f]
    return panel.attach_gaps(view, G, helped)


def unit_view(
    G: nx.MultiDiGraph, unit_id: str, *, depth: int = 1, as_of: dt.date | None = None, max_nodes: int = MAX_NODES
) -> MapView:
    """One unit, its parent chain, and the partners of each of them: partners reached
    within ``depth`` pairings (1 = direct partners, 2 = their partners too...).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit, Pairing
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="t", kind="township", name="中界镇", side="helped"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="t"),
    ...     Unit(id="w", kind="village", name="善港村", side="helper"),
    ...     Unit(id="e", kind="township", name="杨舍镇", side="helper")),
    ...     pairings=(Pairing(id="p", helper_id="w", helped_id="v", level="village"),
    ...               Pairing(id="q", helper_id="e", helped_id="t", level="township"))))
    >>> sorted(n["id"] for n in unit_view(G, "v").network.nodes)
    ['e', 't', 'v', 'w']
    """
    unit = unit_or_404(G, unit_id)
    chain = [unit_id, *parent_chain(G, unit_id)]
    distance = {node: 0 for node in chain}
    frontier = list(chain)
    truncated = False
    for hop in range(1, depth + 1):
        following = []
        for node in frontier:
            for pairing in active_pairings(G, node, as_of=as_of):
                partner = pairing.helped_id if pairing.helper_id == node else pairing.helper_id
                if partner in distance:
                    continue
                if len(distance) >= max_nodes:
                    truncated = True
                    break
                distance[partner] = hop
                following.append(partner)
        frontier = following
    ids = list(distance)
    inside = set(ids)
    pairings = sorted(
        {
            p.id: p
            for node in ids
            for p in active_pairings(G, node, as_of=as_of)
            if p.helper_id in inside and p.helped_id in inside
        }.values(),
        key=lambda p: p.id,
    )
    figures = [
        figure(_("pairings of {name}").format(name=unit.name), len(active_pairings(G, unit_id, as_of=as_of))),
        figure(_("depth {depth}: units shown").format(depth=depth), len(ids)),
    ]
    if truncated:
        figures.append({"label": _("truncated at"), "value": _("{n} units").format(n=max_nodes)})
    title = _("Unit: {name}").format(name=unit.name) + (f" ({unit.code})" if unit.code else "")
    part_of = list(pairwise(chain))
    view = _banded_view(G, "unit", title, as_of, ids, pairings, extra_edges=part_of, figures=figures)
    # The gaps of the unit's own township or county (the unit itself where it is one), on the helped side.
    place = next((a for a in chain if G.nodes[a]["kind"] in (Kind.TOWNSHIP, Kind.COUNTY)), None)
    if place is not None and G.nodes[place]["side"] == Side.HELPED:
        panel.attach_gaps(view, G, place)
    if style.drawn_side(G.nodes[unit_id]) == Side.HELPER:
        view.helps = helped_by_level(G, unit_id, as_of=as_of)
    view.place = place_of(G, unit_id)
    return view
