"""The application factory: ``create_app(settings)`` builds the FastAPI app.

Routers per resource (units, pairings, flows, analyses, imports, and the map views when
they are installed), problem+json errors, a bounded upload size, and CORS closed unless
origins are configured. OpenAPI is at ``/openapi.json``, its pages at ``/docs`` and ``/redoc``
(served from vendored assets). Each answer is in the language its request asks for.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from contextlib import asynccontextmanager
from http import HTTPStatus
from importlib.metadata import version
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

from pairnet.i18n import N_
from pairnet.people import OutOfScope
from pairnet.people.directory import NameTaken
from pairnet.service.writes import SuggestionChanged, WriteRefused
from pairnet.store.store import Store

from . import docs, operations, problems, versions
from .cache import AnswerCache
from .deps import NetworkCache, StoreHolder, ViewDep, conditional
from .language import LanguageMiddleware
from .methods import HttpMethods
from .request_keys import refuse_repeated_scalars, refuse_unknown_parameters
from .routers import analyses, flows, imports, pairings, people, problem_types, units, writes
from .schemas import ServiceInfo
from .scoped import ScopedViews
from .settings import Settings
from .uploads import BodyLimit, BodyTooLarge, WrongFileType
from .versions import API_PREFIX, API_VERSION, DeprecatedAliases, RoutePattern

__all__ = ["create_app"]

DESCRIPTION = N_("""
Query a multi-level pairing network (east–west counterpart assistance, 东西部协作): units,
pairings, flows, and the analyses planners use — coverage, gaps, alignment, balance,
recommendations, what-if, flow roll-ups and timelines.

* Versions: this JSON API is under `/api/v1`; `info.version` is its contract's version and
  `x-package-version` the software's. The unversioned paths of the first release (`/units` ...)
  still answer for one release, undocumented, with `Deprecation: true` and a `Link` to their
  successor. `data_version` in `GET /api/v1/` is the store's data stamp (changes on every import).
* Lists are paginated (`offset`, `limit`; `total` counts every match) in id order; while a page
  follows, the answer has `Link: <...>; rel="next"`.
* A query parameter the operation does not take, or a single-valued one given twice, is a 422
  naming it (and the nearest valid name); `lang` is taken everywhere.
* Every `GET` also answers `HEAD` (same headers, no body); `OPTIONS` lists a path's methods in `Allow`.
* Any list or analysis downloads as CSV or XLSX when asked with `Accept: text/csv` or the XLSX
  media type (or `?format=csv|xlsx`, which wins); an `Accept` admitting none of the three is a 406.
* Dates are ISO dates (`2018-12-31`); the root unit of an analysis is `scope` (id, code or name path).
* Answers carry an `ETag` derived from the store's version stamp; send `If-None-Match` to get
  `304 Not Modified` until the next import.
* Imports (`POST /imports`) need `Authorization: Bearer <PAIRNET_TOKEN>`; `?dry_run=true`
  validates without writing.
* Errors are `application/problem+json`, one `type` per kind of problem; each `type` is a
  path here (`/problems/invalid-input`), a relative reference (RFC 9457 §3.1.1) that resolves
  against the request's own URL to the page saying what it means. `invalid-request`
  lists the request's `parameters`; `invalid-input` lists the file's located `problems`.
* Texts for people (problem titles, labels, map legends) are in Chinese or English: `?lang=zh|en`,
  else `Accept-Language`; JSON keys and enum values stay English identifiers.
* `/docs?lang=zh` (or a Chinese `Accept-Language`) shows this documentation in Chinese; it reads
  `/openapi.json?lang=zh`. `/openapi.json` itself stays in English unless `?lang=` asks otherwise:
  its identifiers (paths, operation ids, parameters, schemas) are the same in every language.
""")


def _optional_module(module: str) -> Any:
    """``module`` if it is installed (the map views and the workbench are optional)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None


def _optional_router(module: str):
    """The ``router`` of ``module`` if that module is installed (the map views are optional)."""
    found = _optional_module(module)
    return found.router if found is not None else None


def _document_problems(app: FastAPI) -> None:
    """Make the OpenAPI schema say what the handlers send: every 422 (and any error the
    routes document) is ``application/problem+json``, not FastAPI's default JSON shape."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            reference = {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}
            for path_operations in schema.get("paths", {}).values():
                for operation in path_operations.values():
                    for status, response in operation.get("responses", {}).items():
                        if status[:1] in ("4", "5"):
                            response["content"] = {problems.PROBLEM_JSON: reference}
                            response["description"] = HTTPStatus(int(status)).phrase
            operations.document(schema)
            schema["info"]["x-package-version"] = version("pairnet")
            components = schema.get("components", {}).get("schemas", {})
            for unused in ("HTTPValidationError", "ValidationError"):
                components.pop(unused, None)
            return schema  # generate() keeps it as app.openapi_schema, as FastAPI does
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the API for ``settings`` (default: from ``PAIRNET_*`` environment variables).

    ``store`` serves an already open store (a notebook's, a test's) instead of opening
    ``settings.store``; the app then leaves closing it to the caller.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.store_holder.close()

    app = FastAPI(
        docs_url=None,  # served by api.docs from vendored assets, not from a CDN
        openapi_url=None,  # served by api.docs, in the language asked (?lang=)
        redoc_url=None,
        title="pairnet API",
        version=API_VERSION,
        summary=N_("Pairing networks over HTTP: units, pairings, flows, analyses, imports."),
        description=DESCRIPTION,
        openapi_tags=operations.TAGS,
        lifespan=lifespan,
        dependencies=[Depends(refuse_repeated_scalars), Depends(refuse_unknown_parameters)],
    )
    app.state.settings = settings
    app.state.store_holder = StoreHolder(store.uri if store is not None else settings.store, store)
    app.state.network_cache = NetworkCache(max_results=settings.cache_entries)
    app.state.scoped_views = ScopedViews(max_results=settings.cache_entries)

    problems.install(app)
    docs.install(app, title=app.title)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge):
        return problems.problem(413, str(exc), slug="upload-too-large")

    @app.exception_handler(OutOfScope)
    async def _out_of_scope(request: Request, exc: OutOfScope):
        items = [problems.ProblemItem(**p.to_dict()) for p in exc.problems]
        return problems.problem(403, str(exc), slug="out-of-scope", problems=items)

    @app.exception_handler(WriteRefused)
    async def _write_refused(request: Request, exc: WriteRefused):
        return problems.problem(403, str(exc), slug="forbidden")

    @app.exception_handler(SuggestionChanged)
    async def _suggestion_changed(request: Request, exc: SuggestionChanged):
        return problems.problem(409, str(exc), slug="suggestion-changed")

    @app.exception_handler(NameTaken)
    async def _name_taken(request: Request, exc: NameTaken):
        return problems.problem(409, str(exc), slug="conflict")

    @app.exception_handler(WrongFileType)
    async def _wrong_type(request: Request, exc: WrongFileType):
        return problems.problem(415, exc.detail, slug="unsupported-file", problems=exc.problems)

    maps = _optional_router("pairnet.api.routers.maps")
    workbench = _optional_module("pairnet.workbench")
    service = APIRouter(tags=["service"])

    @service.get(
        "/",
        response_model=ServiceInfo,
        summary=N_("What this server serves"),
        responses=problems.problem_responses(503),
    )
    def index(request: Request, response: Response, view: ViewDep) -> Any:
        if workbench is not None and _wants_page(request):
            # A browser asks for HTML first: the planner's pages, not the tools' document
            # (decided before the ETag, so that a browser never gets a 304 for the JSON).
            return RedirectResponse("/app/", status_code=303)
        request.state.etag = response.headers["ETag"] = conditional(request, view)
        response.headers["Cache-Control"] = "no-cache"
        links = {name: f"{API_PREFIX}/{name}" for name in ("units", "pairings", "flows", "imports", "analyses")}
        links |= {"docs": "/docs", "openapi": "/openapi.json"}
        if maps is not None:
            links["maps"] = "/maps/"
        return ServiceInfo(
            data_version=view.version,
            api_version=API_VERSION,
            package_version=version("pairnet"),
            counts=view.dataset.counts(),
            writes=settings.writes_enabled(),
            links=links,
        )

    api_routers = [service, *(module.router for module in (units, pairings, writes, flows, analyses, imports, people))]
    # The JSON API, under /api/v1 (and its unversioned aliases); the pages stay where they are.
    patterns = versions.mount(app, api_routers)
    pages = [problem_types.router]
    if maps is not None:
        pages.append(maps)
    for router in pages:
        app.include_router(router)
    if workbench is not None:
        workbench.install(app)
        pages.append(workbench.router)
    # The app's own routes (/openapi.json, /docs) and the pages'.
    patterns += versions.route_patterns([app.router, *pages])

    _document_problems(app)
    _add_middleware(app, settings, patterns)
    return app


def _wants_page(request: Request) -> bool:
    """Whether the request prefers HTML to JSON (a browser's ``Accept``), by the order of
    preference it states."""
    best: tuple[float, str] = (0.0, "")
    for part in request.headers.get("accept", "").split(","):
        media, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media in ("text/html", "application/xhtml+xml", "application/json") and quality > best[0]:
            best = (quality, media)
    return best[1] in ("text/html", "application/xhtml+xml")


def _add_middleware(app: FastAPI, settings: Settings, routes: Sequence[RoutePattern]) -> None:
    """The middleware of ``app``, innermost first."""
    # Innermost, so that CORS headers are still added per request to cached answers.
    app.add_middleware(AnswerCache)
    # Outside the cache, so that a HEAD is answered from the cached GET; inside CORS, so that
    # CORS answers its own preflight OPTIONS.
    app.add_middleware(HttpMethods, routes=routes)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Content-Disposition", "Content-Language", "Link", "Allow", "Deprecation"],
        )
    # Outermost, so that every answer (cached ones and errors too) is in the request's language.
    app.add_middleware(DeprecatedAliases, routes=routes)
    app.add_middleware(LanguageMiddleware)
