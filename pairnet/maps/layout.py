"""Node positions computed in Python, so that the browser draws at once with physics off.

Two layouts: :func:`banded` puts each side in its own half (helper left, helped right)
and each kind of unit in its own horizontal band; :func:`grouped` puts groups (e.g. the
villages of a township) in boxes on a grid. Both return positions plus the rectangles the
page shades behind the nodes, with their captions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["Box", "banded", "grouped"]

# Distances in vis-network canvas pixels.
DX = 46
DY = 48
CENTRE_GAP = 60
BAND_GAP = 60
BAND_PADDING = 30
MAX_DX = 130
# The least width of each half, so that a small view is not crowded in the middle.
MIN_SPAN = 500

# {"label", "x0", "y0", "x1", "y1"} and "above": True when the caption goes above the box
# (in the gap between bands, where it can grow as the reader zooms out).
Box = dict


def _grid(count: int, columns: int) -> list[tuple[int, int]]:
    return [(i % columns, i // columns) for i in range(count)]


def banded(
    bands: Sequence[tuple[str, str]],
    members: dict[tuple[str, str], Sequence[str]],
    *,
    columns: int = 24,
) -> tuple[dict[str, tuple[float, float]], list[Box]]:
    """Positions for nodes in bands (rows) and sides (the helper half left, the helped half
    right), and one shaded box per non-empty band.

    ``members`` maps ``(band, side)`` to node ids in drawing order; each half fills its
    band from the centre outwards, ``columns`` nodes to a row, so that the first members
    (e.g. the two governments) meet in the middle.

    >>> pos, boxes = banded([("government", "市县")], {("government", "helper"): ["a"], ("government", "helped"): ["b"]})
    >>> pos["a"][0] < 0 < pos["b"][0], [b["label"] for b in boxes]
    (True, ['市县'])
    """
    positions: dict[str, tuple[float, float]] = {}
    boxes: list[Box] = []
    widest = max((min(len(ids), columns) for ids in members.values()), default=1)
    span = max(widest * DX, MIN_SPAN)
    half_width = CENTRE_GAP + span
    top = 0.0
    for band, caption in bands:
        sizes = [len(members.get((band, side), ())) for side in ("helper", "helped")]
        cols = min(columns, max(max(sizes), 1))
        # A band with few members spreads them over the width, so that long names fit.
        dx = min(MAX_DX, max(DX, span / cols))
        rows = 0
        for side, direction in (("helper", -1), ("helped", 1)):
            ids = members.get((band, side), ())
            for index, (col, row) in enumerate(_grid(len(ids), cols)):
                # Stagger alternate rows so that labels of neighbours do not collide.
                shift = dx / 2 if row % 2 else 0
                x = direction * (CENTRE_GAP + col * dx + shift)
                positions[ids[index]] = (x, top + BAND_PADDING + row * DY)
            rows = max(rows, math.ceil(len(ids) / cols) if ids else 0)
        if rows == 0:
            continue
        bottom = top + 2 * BAND_PADDING + (rows - 1) * DY
        boxes.append(
            {"label": caption, "x0": -half_width - DX, "y0": top, "x1": half_width + DX, "y1": bottom, "above": True}
        )
        top = bottom + BAND_GAP
    return positions, boxes


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
