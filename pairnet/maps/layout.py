"""Node positions computed in Python, so that the browser draws at once with physics off.

Two layouts: :func:`banded` puts each side in its own half (helper left, helped right)
and each kind of unit in its own horizontal band; :func:`grouped` puts groups (e.g. the
villages of a township) in boxes on a grid. Both return positions plus the rectangles the
page shades behind the nodes, with their captions.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

from . import routing

__all__ = ["Box", "banded", "frontier_columns", "grouped", "settle"]

# Distances in vis-network canvas pixels.
DX = 46
DY = 48
CENTRE_GAP = 60
BAND_GAP = 60
BAND_PADDING = 30
MAX_DX = 130
# The block of linked nodes: its distance from the centre, its spacing, and its shape
# (rows per column), so that edges between the halves cross only the empty centre.
LINKED_GAP = 600
FRONT_DX = 90
FRONT_DY = 36
FRONT_ASPECT = 20
# How many times :func:`settle` may widen the rows of a one-column block.
MAX_SPREADS = 3
# The least width of each half, so that a small view is not crowded in the middle.
MIN_SPAN = 500

# {"label", "x0", "y0", "x1", "y1"} and "above": True when the caption goes above the box
# (in the gap between bands, where it can grow as the reader zooms out).
Box = dict


def _grid(count: int, columns: int) -> list[tuple[int, int]]:
    return [(i % columns, i // columns) for i in range(count)]


def frontier_columns(count: int) -> int:
    """Columns of the block of linked nodes: tall and narrow, so that edges leave it sideways."""
    return max(1, math.ceil(math.sqrt(count / FRONT_ASPECT)))


def _facing(split: dict, links: Collection[tuple[str, str]]) -> dict:
    """The linked nodes of each helped half in the order of their partners on the helper
    half (the mean of their places), so that edges run level rather than steeply."""
    place = {
        node: i for (_band, side), (near, _far) in split.items() if side == "helper" for i, node in enumerate(near)
    }
    partners: dict[str, list[int]] = {}
    for a, b in links:
        for mine, theirs in ((a, b), (b, a)):
            if theirs in place:
                partners.setdefault(mine, []).append(place[theirs])
    facing = {}
    for (band, side), (near, far) in split.items():
        if side == "helped":
            order = {n: i for i, n in enumerate(near)}
            near = sorted(
                near, key=lambda n: (sum(partners[n]) / len(partners[n]) if n in partners else order[n], order[n])
            )
        facing[(band, side)] = (near, far)
    return facing


def banded(
    bands: Sequence[tuple[str, str]],
    members: Mapping[tuple[str, str], Sequence[str]],
    *,
    columns: int = 24,
    band_columns: dict[str, int] | None = None,
    links: Collection[tuple[str, str]] = (),
    front_limits: dict[tuple[str, str], int] | None = None,
    front_spacing: dict[tuple[str, str], float] | None = None,
) -> tuple[dict[str, tuple[float, float]], list[Box]]:
    """Positions for nodes in bands (rows) and sides (the helper half left, the helped half
    right), and one shaded box per non-empty band.

    ``members`` maps ``(band, side)`` to node ids in drawing order. The ends of ``links``
    (the edges) stand in a narrow block of staggered columns on each side of an
    empty centre, so that an edge between the halves crosses only that empty centre; the
    others fill their half of the band from the block outwards, ``columns`` to a row
    (``band_columns`` overrides it per band, e.g. fewer, wider-spaced townships, so that
    every name fits). ``front_limits`` caps the columns of a ``(band, side)``'s block: one
    column leaves every linked node a free lane to the centre, at the cost of height;
    ``front_spacing`` multiplies the rows' spacing of a block, for steep edges.

    >>> pos, boxes = banded([("government", "市县")], {("government", "helper"): ["a"], ("government", "helped"): ["b"]})
    >>> pos["a"][0] < 0 < pos["b"][0], [b["label"] for b in boxes]
    (True, ['市县'])
    """
    linked = {node for link in links for node in link}
    split = {
        key: ([i for i in ids if i in linked], [i for i in ids if i not in linked]) for key, ids in members.items()
    }
    split = _facing(split, links)
    limits = front_limits or {}
    blocks = {
        key: min(frontier_columns(len(near)), limits.get(key, len(near) or 1)) for key, (near, _far) in split.items()
    }
    front = max((blocks[key] for key, (near, _far) in split.items() if near), default=0)
    inner = CENTRE_GAP + (LINKED_GAP + front * FRONT_DX if front else 0)
    widest = max((min(len(far), columns) for _near, far in split.values()), default=1)
    span = max(widest * DX, MIN_SPAN)
    half_width = inner + span
    positions: dict[str, tuple[float, float]] = {}
    boxes: list[Box] = []
    top = 0.0
    for band, caption in bands:
        near = {side: split.get((band, side), ((), ()))[0] for side in ("helper", "helped")}
        far = {side: split.get((band, side), ((), ()))[1] for side in ("helper", "helped")}
        height = 0.0
        for side, direction in (("helper", -1), ("helped", 1)):
            block = blocks.get((band, side), 1)
            dy = FRONT_DY * (front_spacing or {}).get((band, side), 1.0)
            rows = math.ceil(len(near[side]) / block) if near[side] else 0
            for index, node in enumerate(near[side]):
                col, row = divmod(index, rows)
                # Each column sits a fraction of a row lower, so that an edge leaves between two nodes.
                y = top + BAND_PADDING + row * dy + dy * col / block
                positions[node] = (direction * (LINKED_GAP + col * FRONT_DX), y)
            height = max(height, (rows - 1) * dy + dy * (block - 1) / block if rows else -1)
        sizes = [len(far[side]) for side in ("helper", "helped")]
        cols = min((band_columns or {}).get(band, columns), max(max(sizes), 1))
        # A band with few members spreads them over the width, so that long names fit.
        dx = min(MAX_DX, max(DX, span / cols))
        for side, direction in (("helper", -1), ("helped", 1)):
            ids = far[side]
            for index, (col, row) in enumerate(_grid(len(ids), cols)):
                # Stagger alternate rows so that labels of neighbours do not collide.
                shift = dx / 2 if row % 2 else 0
                positions[ids[index]] = (direction * (inner + col * dx + shift), top + BAND_PADDING + row * DY)
            if ids:
                height = max(height, (math.ceil(len(ids) / cols) - 1) * DY)
        if not any(near.values()) and not any(far.values()):
            continue
        bottom = top + 2 * BAND_PADDING + height
        boxes.append(
            {"label": caption, "x0": -half_width - DX, "y0": top, "x1": half_width + DX, "y1": bottom, "above": True}
        )
        top = bottom + BAND_GAP
    return positions, boxes


def settle(
    nodes: list[dict],
    edges: list[dict],
    bands: Sequence[tuple[str, str]],
    members: Mapping[tuple[str, str], Sequence[str]],
    **settings,
) -> list[Box]:
    """Lay ``nodes`` out with :func:`banded` (``settings`` are its own), set their ``x`` and
    ``y`` and route ``edges`` (vis-network dicts, changed in place) around them; where an
    edge cannot clear a node, the linked blocks of the bands involved lose a column and the
    layout is done again, down to one column, where every linked node has its own lane;
    then their rows are spaced wider (for steep edges), up to ``MAX_SPREADS`` times.

    Returns the boxes of the final layout.
    """
    links = [(edge["from"], edge["to"]) for edge in edges]
    linked = {node for link in links for node in link}
    key_of = {node: key for key, ids in members.items() for node in ids}
    limits = {key: frontier_columns(sum(1 for i in ids if i in linked)) for key, ids in members.items()}
    spacing = dict.fromkeys(members, 1.0)
    spreads = 0
    while True:
        positions, boxes = banded(bands, members, links=links, front_limits=limits, front_spacing=spacing, **settings)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
        left = routing.route_edges(nodes, edges)
        involved = {key_of[node] for crossing in left for node in crossing}
        narrower = {key for key in involved if limits[key] > 1}
        if narrower:
            for key in narrower:
                limits[key] -= 1
        elif involved and spreads < MAX_SPREADS:
            spreads += 1
            for key in involved:
                spacing[key] *= 1.5
        else:
            return boxes


def grouped(
    groups: Sequence[tuple[str, str | None, Sequence[str]]],
    *,
    group_columns: int = 6,
    member_columns: int = 5,
) -> tuple[dict[str, tuple[float, float]], list[Box]]:
    """Positions for groups of nodes laid out as boxes on a grid, ``group_columns`` boxes
    to a row; each group is ``(caption, head, members)`` with its ``head`` node (e.g. the
    township) on top and its members below, ``member_columns`` to a row.

    >>> pos, boxes = grouped([("中界镇", "t", ["v1", "v2"]), ("黑水镇", "t2", ["v3"])])
    >>> pos["t"][1] < pos["v1"][1], len(boxes)
    (True, 2)
    """
    positions: dict[str, tuple[float, float]] = {}
    boxes: list[Box] = []
    box_width = (member_columns + 1) * DX
    top = 0.0
    for start in range(0, len(groups), group_columns):
        row_groups = groups[start : start + group_columns]
        row_height = 0.0
        for column, (caption, head, members) in enumerate(row_groups):
            x0 = column * (box_width + BAND_GAP)
            y = top + BAND_PADDING + 10
            if head is not None:
                positions[head] = (x0 + box_width / 2, y)
                y += DY * 1.3
            for index, (col, row) in enumerate(_grid(len(members), member_columns)):
                positions[members[index]] = (x0 + DX * (col + 1), y + row * DY)
            rows = math.ceil(len(members) / member_columns)
            height = (y - top) + max(rows - 1, 0) * DY + BAND_PADDING
            boxes.append({"label": caption, "x0": x0, "y0": top, "x1": x0 + box_width, "y1": top + height})
            row_height = max(row_height, height)
        for box in boxes[-len(row_groups) :]:
            box["y1"] = top + row_height
        top += row_height + BAND_GAP
    return positions, boxes
