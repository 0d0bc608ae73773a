"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error the API sends has ``type``, ``title``, ``status`` and ``detail``. One ``type`` per
kind of problem (:data:`PROBLEM_TYPES`), each a path under the API that opens a page saying
what it means (``/problems/invalid-input``). A request the API cannot take (a query, path or
header parameter, a form or body field) is ``invalid-request`` and lists its ``parameters``
(name, where, what was expected); a file whose content is wrong is ``invalid-input`` and lists
its ``problems`` (file, sheet, row, column, value, expected). Either list is present only when
it has items. pairnet's own exceptions are translated here and nowhere else; anything
unexpected becomes a bare 500 whose detail names no internals (the traceback goes to the
server log only).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

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

__all__ = [
    "PROBLEM_JSON",
    "PROBLEM_TYPES",
    "TYPE_BASE",
    "NotModified",
    "ParameterProblem",
    "ProblemDocument",
    "ProblemItem",
    "install",
    "problem",
    "problem_responses",
    "problem_slug",
]

PROBLEM_JSON = "application/problem+json"
# A path under the API itself: each type opens its page (api.routers.problem_types).
TYPE_BASE = "/problems/"
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

# Every kind of problem the API reports, by its ``type`` slug: its status and what it means.
PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "bad-request": (400, N_("The request cannot be carried out as asked; the detail says why.")),
    "unauthorized": (401, N_("The request needs a valid token: Authorization: Bearer <token>.")),
    "forbidden": (403, N_("The token is valid, but its person may not do this.")),
    "out-of-scope": (403, N_("The file touches units outside the scope of the token's person; problems lists them.")),
    "not-found": (404, N_("Nothing has the id, code or name path in the address.")),
    "method-not-allowed": (405, N_("The path does not take this method; the Allow header lists those it takes.")),
    "not-acceptable": (406, N_("None of the media types the Accept header asks for is offered.")),
    "conflict": (409, N_("The request conflicts with the store's current state.")),
    "needs-confirmation": (409, N_("The import or revert would change much; send it again with confirm=true.")),
    "revert-refused": (409, N_("This import cannot be undone; the detail says why.")),
    "suggestion-changed": (
        409,
        N_("The suggested partner accepted is no longer the one the recommendations give; look at them again."),
    ),
    "upload-too-large": (413, N_("The upload is larger than the server accepts.")),
    "unsupported-file": (415, N_("The upload is not a file type the import reads (XLSX or CSV).")),
    "invalid-request": (
        422,
        N_(
            "A parameter or field of the request is missing, unknown, repeated or invalid; "
            "parameters names each one and what was expected."
        ),
    ),
    "invalid-input": (
        422,
        N_("The file's content is invalid; problems locates each problem by file, sheet, row and column."),
    ),
    "too-many-requests": (429, N_("Too many requests; wait as long as Retry-After says.")),
    "internal-error": (500, N_("An unexpected error; it has been logged. Nothing was written.")),
    "store-error": (500, N_("The store could not complete the request; nothing was written.")),
    "store-unavailable": (503, N_("The store cannot be reached; try again after Retry-After seconds.")),
}
# The type of an error that names none: its status's.
_STATUS_TYPES = {400: "bad-request", 413: "upload-too-large", 415: "unsupported-file", 422: "invalid-request"}


ProblemItem = Problem
"""One thing wrong with the input, located as precisely as possible: the graph's
:class:`~graph.errors.Problem` itself (pydantic documents and serialises the dataclass)."""


class ParameterProblem(BaseModel):
    """One parameter or field of a request that cannot be taken as given."""

    parameter: str = Field(examples=["poverty"])
    location: str = Field(description=N_("query, path, header, or body (a form or JSON field)."), examples=["query"])
    message: str = Field(examples=["unknown parameter povety; did you mean poverty?"])
    value: str | None = Field(default=None, examples=["deeply-poor"])
    expected: str | None = Field(default=None, description=N_("What kind of check failed."), examples=["enum"])


class ProblemDocument(BaseModel):
    """An error, as ``application/problem+json``; ``parameters`` and ``problems`` are present
    only when they have items."""

    type: str = Field(examples=[TYPE_BASE + "invalid-input"])
    title: str = Field(examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["units.csv, units, row 7, column kind: unknown kind (value 'hamlet')"])
    parameters: list[ParameterProblem] = Field(default_factory=list)
    problems: list[ProblemItem] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The document as JSON, without its empty lists."""
        document: dict[str, Any] = self.model_dump(mode="json")
        for name in ("parameters", "problems"):
            if not document[name]:
                del document[name]
        return document


class NotModified(Exception):
    """The client's cached copy (``If-None-Match``) is current: answer 304."""

    def __init__(self, etag: str):
        self.etag = etag


def problem_slug(status: int) -> str:
    """The type slug of an error of ``status`` that names no type of its own."""
    if status in _STATUS_TYPES:
        return _STATUS_TYPES[status]
    slug = HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")
    return slug if slug in PROBLEM_TYPES else ("internal-error" if status >= 500 else "bad-request")


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    problems: list[ProblemItem] | None = None,
    parameters: list[ParameterProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response; its title in the current language (see :data:`TITLES`)."""
    slug = slug or problem_slug(status)
    if slug not in PROBLEM_TYPES:
        raise ValueError(f"problem type {slug!r} is not in PROBLEM_TYPES")
    doc = ProblemDocument(
        type=TYPE_BASE + slug,
        title=_(TITLES.get(status, HTTPStatus(status).phrase)),
        status=status,
        detail=detail,
        problems=problems or [],
        parameters=parameters or [],
    )
    return JSONResponse(doc.to_json(), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem documents for ``statuses``."""
    return {
        status: {"model": ProblemDocument, "content": {PROBLEM_JSON: {}}, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def _validation_items(exc: RequestValidationError) -> list[ParameterProblem]:
    items = []
    for error in exc.errors():
        where = [str(part) for part in error.get("loc", ())]
        value = error.get("input")
        items.append(
            ParameterProblem(
                parameter=".".join(where[1:]) if len(where) > 1 else ".".join(where),
                location=where[0] if where else "query",  # the part of the request: query, path, body, header
                message=error.get("msg", "invalid value"),
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
        detail = "; ".join(f"{i.parameter}: {i.message}" for i in items[:3]) or "invalid request"
        return problem(422, detail, slug="invalid-request", parameters=items)

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, exc: InvalidInput) -> Response:
        items = list(shown(exc.problems))
        return problem(422, redact(str(exc)), slug="invalid-input", problems=items)

    @app.exception_handler(InvalidParameter)
    async def _invalid_parameter(request: Request, exc: InvalidParameter) -> Response:
        items = [ParameterProblem(parameter=name, location="query", message=str(exc)) for name in exc.parameters]
        return problem(422, str(exc), slug="invalid-request", parameters=items)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        if exc.parameter is not None:  # a query parameter names no unit: the request is wrong
            detail = redact(f"{exc.parameter}: {exc}")
            item = ParameterProblem(parameter=exc.parameter, location="query", message=redact(str(exc)))
            return problem(422, detail, slug="invalid-request", parameters=[item])
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
