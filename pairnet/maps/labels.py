"""What the page needs to draw labels by importance: a rank per kind and a short form.

The page (``static/maps.js``) draws labels itself, at a fixed size on screen, most important
first, and leaves out any label that would overlap one already drawn: counties and
townships come before departments, villages and schools, which appear as the reader zooms
in. Long names are shortened on the map; the tooltip and the panel keep the full name.
"""

from __future__ import annotations

from pairnet.graph.model import Kind

__all__ = ["MAX_LABEL_CHARS", "label_rank", "short_label"]

# Characters of a name shown on the map (CJK characters are about 13 px wide each).
MAX_LABEL_CHARS = 8
# Lower ranks are placed first, so they win where two labels would overlap.
_RANKS: dict[Kind, int] = {
    Kind.PROVINCE: 0,
    Kind.CITY: 0,
    Kind.COUNTY: 0,
    Kind.GOVERNMENT: 1,
    Kind.TOWNSHIP: 1,
    Kind.DEPARTMENT: 2,
    Kind.OFFICE: 2,
    Kind.PARK: 2,
    Kind.VILLAGE: 3,
    Kind.ENTERPRISE: 4,
    Kind.SOCIAL_ORGANIZATION: 4,
    Kind.HOSPITAL: 4,
    Kind.SCHOOL: 5,
}


def label_rank(kind: Kind | str) -> int:
    """The drawing priority of a unit's label (0 first).

    >>> label_rank("county") < label_rank("township") < label_rank("village") < label_rank("school")
    True
    """
    return _RANKS[Kind(kind)]


def short_label(name: str, limit: int = MAX_LABEL_CHARS) -> str:
    """``name`` cut to ``limit`` characters with an ellipsis, and without the sample's
    "（示例）" marker, which the tooltip still shows.

    >>> short_label("中寨镇中学中心小学附属幼儿园（示例）")
    '中寨镇中学中心…'
    >>> short_label("高峰村")
    '高峰村'
    """
    name = name.removesuffix("（示例）")
    return name if len(name) <= limit else name[: limit - 1] + "…"
