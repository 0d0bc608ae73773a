"""The planner's workbench: server-rendered pages under ``/app/`` over the service layer.

One module per page family: :mod:`.home` (the figures of a place on a day), :mod:`.gaps`
(the units with no partner), :mod:`.tables` (units, pairings and flows with facets) and
:mod:`.unit` (one unit). :mod:`.templating` renders them, with one navigation bar, the
place and the day every link keeps. :func:`install` adds the pages to an app.
"""

from __future__ import annotations

import inspect
from importlib import resources

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from pairnet.i18n import _

from . import gaps, home, imports, signin, tables, unit, writes
from .templating import PageProblem, problem_page

__all__ = ["install", "router"]

router = APIRouter(prefix="/app", include_in_schema=False)
for _module in (home, gaps, tables, signin, writes, imports, unit):
    router.include_router(_module.router)

_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


@router.get("/static/{name}")
def static(name: str) -> Response:
    """A file of ``pairnet/workbench/static`` (the pages' style sheet), nothing else."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    files = resources.files("pairnet.workbench").joinpath("static")
    if "/" in name or suffix not in _STATIC_TYPES or not files.joinpath(name).is_file():
        return Response(status_code=404)
    body = files.joinpath(name).read_bytes()
    return Response(body, media_type=_STATIC_TYPES[suffix], headers={"Cache-Control": "max-age=3600"})


def install(app: FastAPI) -> None:
    """Add the workbench pages to ``app``, with the page that says what a request got wrong
    (after the API's problem handlers: a page's bad parameter is a page, not JSON)."""
    app.include_router(router)
    signin.install(app)

    @app.exception_handler(PageProblem)
    async def _page_problem(request: Request, exc: PageProblem) -> Response:
        return problem_page(request, exc)

    api_validation = app.exception_handlers[RequestValidationError]

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if not _is_page(request):
            answer = api_validation(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        first = exc.errors()[0] if exc.errors() else {}
        parameter = ".".join(str(part) for part in first.get("loc", ())[1:]) or "query"
        return problem_page(request, PageProblem(parameter, str(first.get("msg", _("invalid value")))))


def _is_page(request: Request) -> bool:
    return request.url.path == router.prefix or request.url.path.startswith(router.prefix + "/")
