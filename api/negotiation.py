"""Content negotiation: the format of an answer from its ``Accept`` header (RFC 9110 §12.5.1).

A route that offers downloads answers JSON, CSV or XLSX; ``Accept: text/csv`` or the XLSX
media type selects the file, ``?format=`` (a convenience for a browser's address bar) wins
over the header, and an ``Accept`` that admits none of the offered types is a 406 problem
naming those that are offered. No ``Accept``, or ``*/*``, is JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from fastapi import HTTPException

from pairnet.i18n import N_, _
from pairnet.tables import MEDIA_TYPES

__all__ = ["MEDIA", "NOT_ACCEPTABLE", "Format", "accepted", "negotiate"]


class Format(StrEnum):
    """The formats of an answer: JSON, or a CSV or XLSX file to download."""

    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


# Each format's media type, as Accept names it (the CSV's charset is a parameter of its answer).
MEDIA: dict[Format, str] = {
    Format.JSON: "application/json",
    Format.CSV: MEDIA_TYPES["csv"].split(";")[0],
    Format.XLSX: MEDIA_TYPES["xlsx"],
}

NOT_ACCEPTABLE = N_("this route answers {offered}; the Accept header asks for none of them ({accept})")


def accepted(header: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their weights (``q``, default 1),
    in the order given; malformed weights count as 0."""
    ranges = []
    for part in header.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _sep, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        ranges.append((media.lower(), weight))
    return ranges


def _weight(media: str, ranges: list[tuple[str, float]]) -> float:
    """The weight the most specific matching range gives ``media`` (0 if none matches)."""
    kind = media.split("/")[0] + "/*"
    for candidate in (media, kind, "*/*"):
        weights = [weight for media_range, weight in ranges if media_range == candidate]
        if weights:
            return max(weights)
    return 0.0


def negotiate(header: str | None, offered: Sequence[Format]) -> Format:
    """The format of ``offered`` that the ``Accept`` ``header`` weighs most (the first
    offered on a tie; the first offered without a header).

    Raises
    ------
    HTTPException
        406, naming the offered media types, when the header admits none of them.
    """
    if not header or not header.strip():
        return offered[0]
    ranges = accepted(header)
    best, best_weight = offered[0], 0.0
    for fmt in offered:
        weight = _weight(MEDIA[fmt], ranges)
        if weight > best_weight:
            best, best_weight = fmt, weight
    if best_weight <= 0:
        names = ", ".join(MEDIA[fmt] for fmt in offered)
        raise HTTPException(406, _(NOT_ACCEPTABLE).format(offered=names, accept=header[:200]))
    return best
