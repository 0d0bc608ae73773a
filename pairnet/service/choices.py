"""The closed choices of the analyses' settings, built from ``graph``'s constants: one
definition for every front door (typer options and FastAPI query parameters alike).

Values are the stable identifiers of ``graph`` (``never_paired``, ``parents``...).
"""

from __future__ import annotations

from enum import StrEnum

from pairnet.graph.gaps import GAP_STATUSES, SORT_KEYS
from pairnet.graph.model import Kind
from pairnet.graph.rollups import ROLLUP_KEYS

__all__ = ["CoverageBy", "GapSort", "GapStatus", "RollupKey"]

GapStatus = StrEnum("GapStatus", [(status.upper(), status) for status in GAP_STATUSES])  # type: ignore[misc]
GapSort = StrEnum("GapSort", [(key.upper(), key) for key in SORT_KEYS])  # type: ignore[misc]
RollupKey = StrEnum("RollupKey", [(key.upper(), key) for key in ROLLUP_KEYS])  # type: ignore[misc]
CoverageBy = StrEnum(  # type: ignore[misc]
    "CoverageBy", [("LEVEL", "level"), ("PARENT", "parent"), *((kind.name, kind.value) for kind in Kind)]
)
