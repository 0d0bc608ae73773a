"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error the API sends has ``type``, ``title``, ``status`` and ``detail``; invalid input
also lists its ``problems`` (file, sheet, row, column, value, expected). pairnet's own
exceptions are translated here and nowhere else; anything unexpected becomes a bare 500
whose detail names no internals (the traceback goes to the server log only).
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from pairnet.disclosure import redact, shown
from pairnet.graph.errors import (
    InvalidInput,
    InvalidParameter,
    NotFound,
    PairnetError,
    Problem,
    StoreError,
    StoreUnavailable,
)
from pairnet.i18n import N_, _

__all__ = ["PROBLEM_JSON", "NotModified", "ProblemDocument", "ProblemItem", "install", "problem", "problem_responses"]

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://pairnet.invalid/problems/"
log = logging.getLogger("pairnet.api")
# The titles a person reads, in the request's language; ``type`` stays the English slug.
TITLES: dict[int, str] = {
    400: N_("Bad Request"),
    401: N_("Unauthorized"),
    403: N_("Forbidden"),
    404: N_("Not Found"),
    405: N_("Method Not Allowed"),
    406: N_("Not Acceptable"),
    409: N_("Conflict"),
    413: N_("Request Entity Too Large"),
    415: N_("Unsupported Media Type"),
    422: N_("Unprocessable Entity"),
    429: N_("Too Many Requests"),
    500: N_("Internal Server Error"),
    503: N_("Service Unavailable"),
}


ProblemItem = Problem
"""One thing wrong with the input, located as precisely as possible: the graph's
:class:`~graph.errors.Problem` itself (pydantic documents and serialises the dataclass)."""


class ProblemDocument(BaseModel):
    """An error, as ``application/problem+json``."""

    type: str = Field(examples=[TYPE_BASE + "invalid-input"])
    title: str = Field(examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["units.csv, units, row 7, column kind: unknown kind (value 'hamlet')"])
    problems: list[ProblemItem] = Field(default_factory=list)


class NotModified(Exception):
    """The client's cached copy (``If-None-Match``) is current: answer 304."""

    def __init__(self, etag: str):
        self.etag = etag


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    problems: list[ProblemItem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response; its title in the current language (see :data:`TITLES`)."""
    phrase = HTTPStatus(status).phrase
    doc = ProblemDocument(
        type=TYPE_BASE + (slug or phrase.lower().replace(" ", "-").replace("'", "")),
        title=_(TITLES.get(status, phrase)),
        status=status,
        detail=detail,
        problems=problems or [],
    )
    return JSONResponse(doc.model_dump(mode="json"), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI ``responses`` entries documenting problem documents for ``statuses``."""
    return {
        status: {"model": ProblemDocument, "content": {PROBLEM_JSON: {}}, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def _validation_items(exc: RequestValidationError) -> list[ProblemItem]:
    items = []
    for error in exc.errors():
        where = [str(part) for part in error.get("loc", ())]
        column = ".".join(where[1:]) if len(where) > 1 else ".".join(where) or None
        value = error.get("input")
        items.append(
            ProblemItem(
                message=error.get("msg", "invalid value"),
                sheet=where[0] if where else None,  # the part of the request: query, path, body, header
                column=column,
                value=None if value is None or isinstance(value, dict) else str(value)[:200],
                expected=error.get("type"),
            )
        )
    return items


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(NotModified)
    async def _not_modified(request: Request, exc: NotModified) -> Response:
        return Response(status_code=304, headers={"ETag": exc.etag, "Cache-Control": "no-cache"})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return problem(exc.status_code, redact(str(exc.detail)), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        items = _validation_items(exc)
        detail = "; ".join(f"{i.column}: {i.message}" for i in items[:3]) or "invalid request"
        return problem(422, detail, slug="invalid-request", problems=items)

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, exc: InvalidInput) -> Response:
        items = list(shown(exc.problems))
        return problem(422, redact(str(exc)), slug="invalid-input", problems=items)

    @app.exception_handler(InvalidParameter)
    async def _invalid_parameter(request: Request, exc: InvalidParameter) -> Response:
        column = exc.parameters[0] if len(exc.parameters) == 1 else None
        item = ProblemItem(message=str(exc), sheet="query", column=column)
        return problem(422, str(exc), slug="invalid-request", problems=[item])

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        if exc.parameter is not None:  # a query parameter names no unit: the request is wrong
            detail = redact(f"{exc.parameter}: {exc}")
            item = ProblemItem(message=redact(str(exc)), sheet="query", column=exc.parameter)
            return problem(422, detail, slug="invalid-request", problems=[item])
        return problem(404, redact(str(exc)), slug="not-found")

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(request: Request, exc: StoreUnavailable) -> Response:
        log.warning("store unavailable: %s", exc)
        return problem(
            503, "the store cannot be reached; try again later", slug="store-unavailable", headers={"Retry-After": "10"}
        )

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        return problem(500, "the store could not complete the request; nothing was written", slug="store-error")

    @app.exception_handler(PairnetError)
    async def _pairnet(request: Request, exc: PairnetError) -> Response:
        return problem(400, redact(str(exc)), slug="bad-request")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "an internal error occurred; it has been logged", slug="internal-error")
