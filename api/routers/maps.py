"""``/maps``: the interactive network maps as self-contained HTML pages.

``/maps/`` lists the helped places by division code with their coverage (filterable) and
links every view; ``/maps/geo`` is the geographic view; ``/maps/five-in-one``, ``/maps/unit/{ref}``, ``/maps/gaps`` and
``/maps/national`` serve one page each. Units are named by id, division code or name path
(``沿河土家族自治县/中界镇/高峰村``). Pages are cached per store version and carry an ETag.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from pairnet.api.deps import View, ViewDep, conditional
from pairnet.api.parameters import ISO_DAY_EXAMPLE, IsoDay
from pairnet.api.problems import problem_responses
from pairnet.graph.model import Kind, Level
from pairnet.graph.network import active_pairings
from pairnet.i18n import N_, _, normalize_language
from pairnet.maps import MAX_NODES, five_in_one, gap_view, national_view, to_html, unit_view
from pairnet.maps.find import FoundUnit, find_units
from pairnet.maps.geo import MEASURES, geo_html, geo_view, measure_labels
from pairnet.maps.national import coverage_color
from pairnet.maps.places import PLACE_KINDS, place_rows
from pairnet.maps.render import Navigation, environment, script_json, script_texts
from pairnet.workbench.templating import PageContext

__all__ = ["router"]

router = APIRouter(prefix="/maps", tags=["maps"], default_response_class=HTMLResponse)

MAX_DEPTH = 5
# An ISO date, as on every JSON route: a number (as_of=0.0) is not the first day of 1970.
AsOf = Annotated[
    IsoDay | None,
    Query(
        description=N_("Only pairings active on this date (YYYY-MM-DD); default: today."), examples=[ISO_DAY_EXAMPLE]
    ),
]
Expand = Annotated[
    list[str] | None,
    Query(description=N_("Show collapsed helper units too: all, a band (village...) or a parent's id (repeat).")),
]
_LINKS_PER_LIST = 500
_PLACES_LISTED = 5000


# The languages a page can be read in, each named in itself.
_LANGUAGE_NAMES = (("zh", "中文"), ("en", "English"))


def _navigation(request: Request, place: str | None, as_of: dt.date | None) -> Navigation:
    """The workbench's bar for this page: its links keep the place, day and asked language,
    and the language switch reopens this page in the other language."""
    languages = [
        (code, name, f"{request.url.path}?{request.url.include_query_params(lang=code).query}")
        for code, name in _LANGUAGE_NAMES
    ]
    return Navigation(page=PageContext(place=place, as_of=as_of, lang=_lang(request)), languages=languages)


def _page(request: Request, view: View, key: tuple, build, *, as_of: dt.date, place: str | None = None) -> HTMLResponse:
    etag = conditional(request, view)
    navigation = _navigation(request, place, as_of)
    page = view.cached(("map", *key, str(request.url.query)), lambda: to_html(build(), navigation))
    return HTMLResponse(page, headers={"ETag": etag, "Cache-Control": "no-cache"})


def _ref(view: View, unit_id: str) -> str:
    return view.network.nodes[unit_id]["unit"].code or unit_id


def _lang(request: Request) -> str | None:
    """The language the page was asked for in its address (``?lang=``), kept in its links."""
    return normalize_language(request.query_params.get("lang", ""))


def _link(path: str, as_of: dt.date | None, lang: str | None = None, **params) -> str:
    if as_of is not None:
        params["as_of"] = as_of.isoformat()
    if lang:
        params["lang"] = lang
    return f"{path}?{urlencode(params)}" if params else path


@router.get("/", summary=N_("Index of every map view"), responses=problem_responses(503))
def index(request: Request, view: ViewDep, as_of: AsOf = None) -> HTMLResponse:
    G = view.network
    lang = _lang(request)
    # The figures are as of today unless told, as on every map and in the CLI; the links
    # carry only a date asked for (the maps they open default to today as well).
    asked, as_of = as_of, as_of or dt.date.today()
    pairs: list[dict[str, str]] = []
    for pairing in active_pairings(G, as_of=as_of, levels=[Level.GOVERNMENT]):
        helper, helped = G.nodes[pairing.helper_id]["unit"], G.nodes[pairing.helped_id]["unit"]
        # Province and prefecture pairs are too large for one page: the national view shows them.
        if helped.kind != Kind.COUNTY or len(pairs) >= _LINKS_PER_LIST:
            continue
        pairs.append(
            {
                "label": f"{helper.name} → {helped.name}",
                "note": f"{helper.code or helper.id} → {helped.code or helped.id}",
                "href": _link("five-in-one", asked, lang, helper=_ref(view, helper.id), helped=_ref(view, helped.id)),
            }
        )
    places = view.cached(("maps-index", as_of), lambda: place_rows(G, as_of=as_of))
    rows = [
        {
            **row,
            "kind_label": _(PLACE_KINDS[row["kind"]]),
            "colors": {m: coverage_color(f["share"]) for m, f in row["figures"].items() if f},
            "gaps": _link("gaps", asked, lang, within=row["code"] or row["id"]) if row["kind"] == Kind.COUNTY else None,
            "geo": _link("geo", asked, lang, within=row["code"]) if row["code"] else None,
        }
        for row in places[:_PLACES_LISTED]
    ]
    page = (
        environment()
        .get_template("maps_index.html")
        .render(
            base="./",
            counts=view.dataset.counts(),
            as_of=as_of.isoformat(),
            link_as_of=asked.isoformat() if asked else None,
            pairs=pairs,
            places=rows,
            more_places=max(len(places) - _PLACES_LISTED, 0),
            measures=measure_labels(),
            national=_link("national", asked, lang),
            geo=_link("geo", asked, lang),
            lang_param=lang,
            max_depth=MAX_DEPTH,
            nonce=secrets.token_urlsafe(18),
            script_data=script_json({**script_texts(), "asOf": asked.isoformat() if asked else "", "lang": lang or ""}),
            **_navigation(request, None, asked).values(),
        )
    )
    return HTMLResponse(page)


@router.get(
    "/search",
    summary=N_("Units by name or code, each with the map that shows it"),
    response_class=JSONResponse,
    responses=problem_responses(503),
)
def search(
    view: ViewDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description=N_("A name (or part of one) or a code prefix"))],
) -> list[FoundUnit]:
    """The navigation bar's search, at most 20 units: ``href`` is the unit's map, relative to ``/maps/``."""
    return find_units(view.network, q)


@router.get(
    "/five-in-one", summary=N_("The five-in-one view of a helper–helped pair"), responses=problem_responses(404, 503)
)
def five_in_one_map(
    request: Request,
    view: ViewDep,
    helper: Annotated[str, Query(description=N_("The helper unit (id, code or name path), e.g. 320582"))],
    helped: Annotated[str, Query(description=N_("The helped unit, e.g. 520627"))],
    as_of: AsOf = None,
    expand: Expand = None,
) -> HTMLResponse:
    helper_id, helped_id = view.unit(helper).id, view.unit(helped).id
    as_of, opened = as_of or dt.date.today(), tuple(sorted(set(expand or ())))
    return _page(
        request,
        view,
        ("five-in-one", helper_id, helped_id, as_of, opened),
        lambda: five_in_one(view.network, helper_id, helped_id, as_of=as_of, expand=opened),
        as_of=as_of,
        place=_ref(view, helped_id),
    )


@router.get("/unit", summary=N_("Redirect the index's unit form to /maps/unit/{ref}"), include_in_schema=False)
def unit_form(
    request: Request,
    ref: Annotated[str, Query(min_length=1)],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
    as_of: AsOf = None,
):
    return RedirectResponse(_link(f"unit/{quote(ref, safe='')}", as_of, _lang(request), depth=depth), status_code=303)


@router.get(
    "/unit/{ref:path}", summary=N_("One unit, its parent chain and its partners"), responses=problem_responses(404, 503)
)
def unit_map(
    request: Request,
    view: ViewDep,
    ref: str,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description=N_("Pairing hops to follow"))] = 1,
    as_of: AsOf = None,
) -> HTMLResponse:
    unit_id, as_of = view.unit(ref).id, as_of or dt.date.today()
    return _page(
        request,
        view,
        ("unit", unit_id, depth, as_of),
        lambda: unit_view(view.network, unit_id, depth=depth, as_of=as_of),
        as_of=as_of,
        place=_ref(view, unit_id),
    )


@router.get(
    "/gaps",
    summary=N_("Every target unit of a county or township, paired or not"),
    responses=problem_responses(404, 503),
)
def gaps_map(
    request: Request,
    view: ViewDep,
    within: Annotated[str, Query(description=N_("A county or township (id, code or name path), e.g. 520627"))],
    as_of: AsOf = None,
) -> HTMLResponse:
    within_id, as_of = view.unit(within).id, as_of or dt.date.today()
    return _page(
        request,
        view,
        ("gaps", within_id, as_of),
        lambda: gap_view(view.network, within_id, as_of=as_of),
        as_of=as_of,
        place=_ref(view, within_id),
    )


@router.get(
    "/national", summary=N_("Counties (or prefectures) as nodes, for large data"), responses=problem_responses(503)
)
def national_map(
    request: Request,
    view: ViewDep,
    as_of: AsOf = None,
    max_nodes: Annotated[
        int, Query(ge=10, le=MAX_NODES, description=N_("Aggregate one level higher above this many nodes"))
    ] = MAX_NODES,
) -> HTMLResponse:
    as_of = as_of or dt.date.today()
    return _page(
        request,
        view,
        ("national", max_nodes, as_of),
        lambda: national_view(view.network, as_of=as_of, max_nodes=max_nodes),
        as_of=as_of,
    )


@router.get(
    "/geo",
    summary=N_("County-level units on their real boundaries, coloured by coverage"),
    responses=problem_responses(404, 422, 503),
)
def geo_map(
    request: Request,
    view: ViewDep,
    within: Annotated[
        str | None, Query(description=N_("A province, prefecture or county (code or name), e.g. 5206; default: China"))
    ] = None,
    as_of: AsOf = None,
    measure: Annotated[
        str,
        # A pattern, so that the schema says which texts are measures (a client and a fuzzer keep to it).
        Query(
            description=N_("What coverage counts: villages, deeply_poor or townships."),
            pattern=f"^({'|'.join(MEASURES)})$",
        ),
    ] = "villages",
) -> HTMLResponse:
    within_id = view.unit(within).id if within else None
    as_of = as_of or dt.date.today()  # as every map and the CLI: today unless told
    etag = conditional(request, view)
    page = view.cached(
        ("map", "geo", within_id, as_of, measure, str(request.url.query)),
        lambda: geo_html(
            geo_view(
                view.network, within_id, as_of=as_of, measure=measure, gaps_link=_link("gaps", None, _lang(request))
            ),
            lang_param=_lang(request),
            navigation=_navigation(request, _ref(view, within_id) if within_id else None, as_of),
        ),
    )
    return HTMLResponse(page, headers={"ETag": etag, "Cache-Control": "no-cache"})
