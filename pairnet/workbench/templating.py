"""How workbench pages are rendered: one Jinja2 environment, the page's place and date.

Every page is about a place (``place``: a unit's id, division code or name as people write
it) on a day (``as_of``); both come from the query string and every link a page builds keeps
them (:meth:`PageContext.link`), so the navigation bar, the tables and the maps stay on the
place and day the planner chose. Texts go through the catalog: the templates call ``_`` and
``ngettext``, which read the language the request asked for (:mod:`api.language` sets it,
and adds ``Content-Language`` and ``Vary`` to every answer, pages included).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, TypeVar, cast
from urllib.parse import urlencode

import jinja2
import networkx as nx
from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from pairnet.graph.errors import PairnetError
from pairnet.graph.network import parent_chain
from pairnet.i18n import _, current_language, gettext, ngettext, normalize_language
from pairnet.i18n.catalog import translations
from pairnet.i18n.choices import ChoiceError, parse_choice, parse_day
from pairnet.i18n.labels import label

__all__ = [
    "ContextDep",
    "PageContext",
    "PageProblem",
    "choice",
    "environment",
    "lenient_context",
    "options",
    "page_context",
    "render",
    "resolved",
    "unit_path",
]

# Pages load only from the server (offline planners; no outside request, ever), run only the
# server's own script files (the unit pickers of the write forms; no inline script), and may
# be framed only by the server's own pages.
CSP = (
    "default-src 'self'; script-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
E = TypeVar("E", bound=Enum)
T = TypeVar("T")


class PageProblem(Exception):
    """A request a page cannot answer (an unknown place, an impossible date): shown as a
    page saying which parameter is wrong and why, with ``status`` (404 or 422)."""

    def __init__(self, parameter: str, message: str, status: int = 422):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.status = status


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the workbench (autoescaping on, for every template)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pairnet.workbench", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = gettext
    env.globals["ngettext"] = ngettext
    env.globals["pgettext"] = pgettext
    return env


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language as it reads in ``context`` (the navigation bar's
    short words: 缺口 there, 未结对名单 in a report)."""
    return translations(current_language()).pgettext(context, message)


@dataclass(frozen=True)
class PageContext:
    """The place and day a page is about, as the planner wrote them (``place``, ``as_of``)."""

    place: str | None = None
    as_of: dt.date | None = None
    lang: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def params(self, **params: Any) -> dict[str, str]:
        """The query parameters of a link: ``params`` (None drops one), then place, day and
        the language when the page was asked for one (``?lang=``)."""
        kept: dict[str, Any] = {
            "place": self.place,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "lang": self.lang,
        }
        kept.update(params)
        return {name: str(value) for name, value in kept.items() if value is not None and value != ""}

    def link(self, path: str, **params: Any) -> str:
        """``path`` with ``params`` and this page's place and day in its query string."""
        query = urlencode(self.params(**params), doseq=True)
        return f"{path}?{query}" if query else path


def page_context(
    request: Request,
    place: Annotated[str | None, Query(max_length=200, description="The place of the page")] = None,
    as_of: Annotated[str | None, Query(max_length=40, description="The day of the page")] = None,
) -> PageContext:
    """The place and day of a page from its query string (a dependency of every page);
    an impossible date is a :class:`PageProblem` naming ``as_of``."""
    day = None
    if as_of and as_of.strip():
        try:
            day = parse_day(as_of.strip())
        except ChoiceError as error:
            raise PageProblem("as_of", str(error)) from None
    lang = normalize_language(request.query_params.get("lang", ""))
    return PageContext(place=place.strip() if place and place.strip() else None, as_of=day, lang=lang)


def lenient_context(request: Request) -> PageContext:
    """The place and day of the request's query string, without the ones that cannot be
    read (for a page that is not about them: a form's answer, a problem page)."""
    try:
        return page_context(request, request.query_params.get("place"), request.query_params.get("as_of"))
    except PageProblem:
        return page_context(request, request.query_params.get("place"), None)


def choice(parameter: str, enum: type[E], value: str | None) -> E | None:
    """The member of ``enum`` that ``value`` names (English or the files' Chinese words),
    None for no value; a wrong one is a :class:`PageProblem` naming ``parameter``."""
    if value is None or not value.strip():
        return None
    try:
        member = parse_choice(enum, value)
    except ChoiceError as error:
        raise PageProblem(parameter, str(error)) from None
    return cast(E, member)


def options(enum: type[Enum]) -> list[tuple[str, str]]:
    """The ``(value, label)`` pairs of a filter's drop-down list, in the current language."""
    return [(str(member.value), label(member)) for member in enum]


ContextDep = Annotated[PageContext, Depends(page_context)]


def resolved(parameter: str, resolve: Callable[[str], T], ref: str) -> T:
    """``resolve(ref)``, a graph error turned into a :class:`PageProblem` naming ``parameter``."""
    try:
        found = resolve(ref)
    except PairnetError as error:
        raise PageProblem(parameter, str(error), status=404) from None
    return found


def unit_path(G: nx.MultiDiGraph[str], unit_id: str) -> str:
    """The names of the unit's parents, outermost first, joined with ``/``."""
    return "/".join(G.nodes[p]["unit"].name for p in reversed(parent_chain(G, unit_id)))


def render(
    request: Request, template: str, context: PageContext | None = None, status: int = 200, **values: Any
) -> HTMLResponse:
    """The page ``template`` (extending ``base.html``) filled with ``values``, the page's
    place and day (``context``; by default read from the request's query string, leaving out
    what cannot be read) and the language."""
    if context is None:
        context = lenient_context(request)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            page=context,
            lang=current_language(),
            html_lang="zh-CN" if current_language() == "zh" else "en",
            path=request.url.path,
            **values,
        )
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-cache", "Content-Security-Policy": CSP})


def problem_page(request: Request, problem: PageProblem) -> HTMLResponse:
    """The page for a request a page cannot answer, with its status."""
    return render(
        request,
        "problem.html",
        lenient_context(request),
        status=problem.status,
        parameter=problem.parameter,
        message=problem.message,
        title=_("Cannot show this page"),
    )
