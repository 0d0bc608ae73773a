"""Edges that do not pass through a node they do not connect.

A straight edge between two bands of a banded map often crosses a third node of the same
row, and the reader then sees a pairing that does not exist. :func:`route_edges` keeps
every edge straight when it is clear, and otherwise bends it into one of vis-network's
quadratic curves (``curvedCW`` / ``curvedCCW`` with a chosen ``roundness``) that clears
every other node. :func:`crossings` is the check: the (edge, node) pairs where an edge,
as vis-network draws it, passes through a node's disc.

The geometry is vis-network's own: a curve goes from the centre of one node through the
control point its ``_getViaCoordinates`` computes to the centre of the other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator

__all__ = ["CLEARANCE", "crossings", "edge_points", "node_radius", "route_edges"]

# Canvas pixels between an edge and the outline of a node it passes.
CLEARANCE = 3.0
# Roundness values tried, gentlest first (vis-network accepts 0..1).
_ROUNDNESS = tuple(round(0.05 * i, 2) for i in range(1, 21))
# The radius of the circle around each vis-network shape of ``size`` (size is the radius of
# a dot and half the side of a square).
_SHAPE_FACTORS = {"square": math.sqrt(2), "triangle": 1.2, "diamond": 1.0, "dot": 1.0}
_DEFAULT_SIZE = 25
_CELL = 80.0
# How far (canvas pixels) the polyline that stands for a curve may stray from it.
_CHORD_ERROR = 1.5

Point = tuple[float, float]


def node_radius(node: dict) -> float:
    """The radius of the disc a vis-network node covers, with its border.

    >>> node_radius({"shape": "square", "size": 10, "borderWidth": 1}) > 14
    True
    """
    size = node.get("size", _DEFAULT_SIZE)
    return size * _SHAPE_FACTORS.get(node.get("shape", "dot"), 1.0) + node.get("borderWidth", 1)


def _via(start: Point, end: Point, smooth: dict | bool) -> Point | None:
    """The control point vis-network uses for ``smooth`` (None: a straight line)."""
    if not smooth or not isinstance(smooth, dict) or not smooth.get("enabled", True):
        return None
    g = smooth.get("roundness", 0.5)
    t, c = end[0] - start[0], start[1] - end[1]
    length = math.hypot(t, c)
    turn = 0.5 * g + 0.5 if smooth["type"] == "curvedCW" else -0.5 * g + 0.5
    angle = (math.atan2(c, t) + turn * math.pi) % (2 * math.pi)
    return start[0] + (0.5 * g + 0.5) * length * math.sin(angle), start[1] + (0.5 * g + 0.5) * length * math.cos(angle)


def edge_points(start: Point, end: Point, smooth: dict | bool) -> tuple[list[Point], float]:
    """A polyline along the edge from ``start`` to ``end`` as drawn, and how far at most
    the drawn curve strays from it (its chord error), in canvas pixels.

    >>> edge_points((0, 0), (8, 0), False)
    ([(0.0, 0.0), (8.0, 0.0)], 0.0)
    """
    via = _via(start, end, smooth)
    control = via if via is not None else ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    # A quadratic cut into n equal steps strays at most |P0 - 2 P1 + P2| / (4 n^2) from its chords.
    bend = math.hypot(start[0] - 2 * control[0] + end[0], start[1] - 2 * control[1] + end[1])
    steps = max(1, math.ceil(math.sqrt(bend / (4 * _CHORD_ERROR))))
    points = []
    for i in range(steps + 1):
        s = i / steps
        a, b, c = (1 - s) ** 2, 2 * s * (1 - s), s * s
        points.append(
            (
                float(a * start[0] + b * control[0] + c * end[0]),
                float(a * start[1] + b * control[1] + c * end[1]),
            )
        )
    return points, bend / (4 * steps * steps)


def _distance(px: float, py: float, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - a[0]) * dx + (py - a[1]) * dy) / length))
    return math.hypot(px - a[0] - t * dx, py - a[1] - t * dy)


class _Discs:
    """The nodes' discs in a grid of cells, to find the nodes near a segment quickly."""

    def __init__(self, nodes: Iterable[dict]):
        self.cells: dict[tuple[int, int], list[tuple[str, float, float, float]]] = defaultdict(list)
        for node in nodes:
            radius = node_radius(node) + CLEARANCE
            x, y = node["x"], node["y"]
            for cx in range(math.floor((x - radius) / _CELL), math.floor((x + radius) / _CELL) + 1):
                for cy in range(math.floor((y - radius) / _CELL), math.floor((y + radius) / _CELL) + 1):
                    self.cells[(cx, cy)].append((node["id"], x, y, radius))

    def hit(self, line: tuple[list[Point], float], ends: set[str]) -> set[str]:
        """The nodes, other than ``ends``, whose disc the polyline ``line`` (with its chord
        error) comes into."""
        points, error = line
        found = set()
        for a, b in zip(points, points[1:], strict=False):
            seen = set()
            for cell in _cells_along(a, b):
                for node_id, x, y, radius in self.cells.get(cell, ()):
                    if node_id in ends or node_id in found or node_id in seen:
                        continue
                    seen.add(node_id)
                    if _distance(x, y, a, b) < radius + error:
                        found.add(node_id)
        return found


def _cells_along(a: Point, b: Point) -> set[tuple[int, int]]:
    """The grid cells a segment may pass through: those of its bounding box when few, else
    those of points every half cell along it with their neighbours (so that no cell the
    segment cuts a corner of is missed)."""
    x0, x1 = math.floor(min(a[0], b[0]) / _CELL), math.floor(max(a[0], b[0]) / _CELL)
    y0, y1 = math.floor(min(a[1], b[1]) / _CELL), math.floor(max(a[1], b[1]) / _CELL)
    if (x1 - x0 + 1) * (y1 - y0 + 1) <= 9:
        return {(cx, cy) for cx in range(x0, x1 + 1) for cy in range(y0, y1 + 1)}
    steps = max(1, math.ceil(math.dist(a, b) / (_CELL / 2)))
    cells: set[tuple[int, int]] = set()
    for i in range(steps + 1):
        cx = math.floor((a[0] + (b[0] - a[0]) * i / steps) / _CELL)
        cy = math.floor((a[1] + (b[1] - a[1]) * i / steps) / _CELL)
        cells.update((cx + dx, cy + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
    return cells


def _candidates() -> Iterator[dict | bool]:
    yield False
    for roundness in _ROUNDNESS:
        for kind in ("curvedCW", "curvedCCW"):
            yield {"enabled": True, "type": kind, "roundness": roundness}


def route_edges(nodes: list[dict], edges: list[dict]) -> list[tuple[str, str, str]]:
    """Give each edge of ``edges`` (vis-network dicts, changed in place) the first shape,
    straight or gently curved, that passes through no node but its own two; returns the
    crossings left, as :func:`crossings` does, where no shape could clear an edge (it keeps
    the shape that crosses fewest nodes)."""
    discs = _Discs(nodes)
    where = {node["id"]: (node["x"], node["y"]) for node in nodes}
    blocked: list[tuple[str, str, str]] = []
    for edge in edges:
        start, end = where[edge["from"]], where[edge["to"]]
        ends = {edge["from"], edge["to"]}
        best: tuple[set[str], dict | bool] | None = None
        for smooth in _candidates():
            hits = discs.hit(edge_points(start, end, smooth), ends)
            if best is None or len(hits) < len(best[0]):
                best = (hits, smooth)
            if not hits:
                break
        assert best is not None
        blocked.extend((edge["from"], edge["to"], node) for node in sorted(best[0]))
        edge["smooth"] = best[1]
    return blocked


def crossings(nodes: list[dict], edges: list[dict]) -> list[tuple[str, str, str]]:
    """``(from, to, node)`` for every edge that passes through a node it does not connect,
    drawn as its ``smooth`` option says (straight when absent)."""
    discs = _Discs(nodes)
    where = {node["id"]: (node["x"], node["y"]) for node in nodes}
    found = []
    for edge in edges:
        points = edge_points(where[edge["from"]], where[edge["to"]], edge.get("smooth", False))
        for node_id in sorted(discs.hit(points, {edge["from"], edge["to"]})):
            found.append((edge["from"], edge["to"], node_id))
    return found
