"""Downloads of lists and analyses: JSON (the default), CSV or XLSX, chosen by ``Accept``
(:mod:`api.negotiation`) or ``?format=``.

JSON answers are the routes' response models; CSV and XLSX answers are downloads made by
:mod:`pairnet.tables` (the same files the CLI writes: formula cells neutralised, a frozen
header row in XLSX) with a ``Content-Disposition`` file name. A download holds every row that
matches the filters, not one page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Query, Request, Response
from starlette.datastructures import URL

from pairnet.i18n import N_
from pairnet.service import dated
from pairnet.tables import MEDIA_TYPES, Caption, render

from .deps import SettingsDep, View, ViewDep, conditional
from .negotiation import MEDIA, Format, negotiate
from .problems import problem_responses

__all__ = [
    "DOWNLOAD_RESPONSES",
    "Format",
    "FormatDep",
    "XLSX_RESPONSES",
    "negotiated_format",
    "xlsx_only",
    "download_bytes",
    "FreshViewDep",
    "PageDep",
    "PageParams",
    "dated",
    "download",
    "page_of",
]


async def negotiated_format(
    request: Request,
    response: Response,
    fmt: Annotated[
        Format | None,
        Query(
            alias="format",
            description=N_(
                "json, or csv / xlsx for a download of every matching row; wins over the Accept "
                "header (`Accept: text/csv` or the XLSX media type select a download too). Default: JSON."
            ),
            examples=["csv"],
        ),
    ] = None,
) -> Format:
    """The format of the answer: ``?format=`` if given, else what ``Accept`` asks for."""
    response.headers["Vary"] = "Accept"
    if fmt is not None:
        return fmt
    return negotiate(request.headers.get("accept"), (Format.JSON, Format.CSV, Format.XLSX))


FormatDep = Annotated[Format, Depends(negotiated_format)]


async def xlsx_only(request: Request) -> Format:
    """The format of a route that answers a workbook only: 406 if ``Accept`` excludes it."""
    return negotiate(request.headers.get("accept"), (Format.XLSX,))


XLSX_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": N_("An XLSX workbook to download."),
        "content": {MEDIA[Format.XLSX]: {"schema": {"type": "string", "format": "binary"}}},
    },
    **problem_responses(406),
}

DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": N_(
            "JSON by default; a CSV or XLSX download (every matching row) with `Accept: text/csv` "
            "or the XLSX media type, or with `?format=csv|xlsx`."
        ),
        "content": {
            MEDIA[Format.CSV]: {"schema": {"type": "string"}},
            MEDIA[Format.XLSX]: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    304: {"description": "Not modified: the `If-None-Match` ETag is current."},
    **problem_responses(406),
}


@dataclass(frozen=True)
class PageParams:
    """The page a list request asks for, and where to say which page follows it."""

    offset: int
    limit: int
    url: URL | None = field(default=None, compare=False)
    response: Response | None = field(default=None, compare=False, repr=False)


async def page_params(
    request: Request,
    response: Response,
    settings: SettingsDep,
    offset: Annotated[int, Query(ge=0, description=N_("How many matching items to skip."))] = 0,
    limit: Annotated[
        int | None, Query(ge=1, description=N_("Items per page; lowered to the server's maximum (1000 by default)."))
    ] = None,
) -> PageParams:
    limit = min(limit or settings.default_page_size, settings.max_page_size)
    return PageParams(offset=offset, limit=limit, url=request.url, response=response)


PageDep = Annotated[PageParams, Depends(page_params)]


async def fresh_view(request: Request, response: Response, view: ViewDep) -> View:
    """The current view, with this answer's ETag set (304 when the client has it already)."""
    etag = conditional(request, view)
    request.state.etag = etag
    request.state.data_version = view.version  # for the "About" sheet of a download
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    return view


FreshViewDep = Annotated[View, Depends(fresh_view)]


def page_of(items: Sequence[Any], page: PageParams) -> dict[str, Any]:
    """The fields of a :class:`~api.schemas.Page` for ``items``; when a page follows, the
    answer links to it (``Link: </units?offset=100>; rel="next"``, RFC 8288)."""
    following = page.offset + page.limit
    if following < len(items) and page.url is not None and page.response is not None:
        next_url = page.url.include_query_params(offset=following)
        page.response.headers["Link"] = f'<{next_url.path}?{next_url.query}>; rel="next"'
    return {
        "total": len(items),
        "offset": page.offset,
        "limit": page.limit,
        "items": list(items[page.offset : page.offset + page.limit]),
    }


def _filename(name: str, fmt: Format) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "export"
    return f"{stem}.{fmt.value}"


def download(
    request: Request,
    rows: Sequence[Mapping[str, Any]],
    *,
    fmt: Format,
    name: str,
    columns: Sequence[str] | None = None,
    sheet: str | None = None,
    title: str | None = None,
) -> Response:
    """``rows`` as a CSV or XLSX (or JSON array) file to download, named ``name.<format>``,
    its XLSX sheet ``sheet`` (by default the name). With a ``title`` (what was counted) the
    file is report-ready, as the CLI writes it (:class:`pairnet.tables.Caption`): its
    "About" sheet names this request's URL and the store's data version."""
    caption = None
    if title is not None:
        url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        caption = Caption(title, url, getattr(request.state, "data_version", ""))
    body = render(rows, fmt.value, columns, sheet=(sheet or name)[:31], caption=caption)
    return download_bytes(request, body, fmt=fmt, name=name)


def download_bytes(request: Request, body: bytes, *, fmt: Format, name: str) -> Response:
    """``body``, a file in ``fmt``, to download as ``name.<format>``."""
    filename = _filename(name, fmt)
    headers = {
        "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-cache",
        "Vary": "Accept",
    }
    etag = getattr(request.state, "etag", None)
    if etag:
        headers["ETag"] = etag
    return Response(body, media_type=MEDIA_TYPES[fmt.value], headers=headers)
