"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from vendored assets: no request leaves the
server; and ``/openapi.json`` in the reader's language when asked.

FastAPI's own pages load their scripts, styles and fonts from a CDN, which leaves a blank
page in an office without internet; these load ``api/static/`` (see its VENDORED.md).

The pages are in the request's language (``?lang=``, else ``Accept-Language``) and read
``/openapi.json?lang=<that language>``: the texts a person reads there (the API's
description, tag descriptions, operation summaries and descriptions) come from the catalog.
``/openapi.json`` without ``?lang=`` stays the English document whatever
``Accept-Language`` says, so that tools and generated clients always see the same one; the
identifiers (paths, operation ids, parameter names, schemas) never change with the language.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from pairnet.i18n import N_, _, current_language, normalize_language, use_language

__all__ = ["ASSETS", "install", "translated"]

STATIC = Path(__file__).resolve().parent / "static"
OPENAPI_URL = "/openapi.json"
PREFIX = "/docs/assets/"
# Every file the pages may load, and its media type: nothing else under the prefix is served.
ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-favicon-32x32.png": "image/png",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
}


# The fields of an OpenAPI document that a person reads, wherever they are.
_PROSE = ("summary", "description")
# Texts the document takes from outside the API's modules: the one FastAPI writes itself
# (every 200's description) and the docstrings of two classes of the lower layers that
# describe schemas (graph.errors.Problem, pairnet.store.people.Role), whose modules hold
# other classes no reader of /docs sees. tests/api/test_api_language.py fails when the
# document has a text the catalog lacks, so a changed docstring cannot slip through.
_OUTSIDE_TEXTS = (
    N_("Successful Response"),
    N_(
        "One thing wrong with the input, located as precisely as it can be.\n\n"
        "``row`` is the spreadsheet row number a person sees (the header is row 1)."
    ),
    N_("What a person may do: read, write within their scopes, or everything."),
)


def _translate(node: Any) -> Any:
    """``node`` with every summary and description translated in the current language
    (texts outside the catalog stay as they are); in place, returned for convenience."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _PROSE and isinstance(value, str) and value:
                node[key] = _(value)
            elif key == "examples":  # an example's value is data, never translated; its summary is prose
                for example in value.values() if isinstance(value, dict) else ():
                    if isinstance(example, dict) and isinstance(example.get("summary"), str):
                        example["summary"] = _(example["summary"])
            else:
                _translate(value)
    elif isinstance(node, list):
        for item in node:
            _translate(item)
    return node


def translated(schema: dict[str, Any], language: str) -> dict[str, Any]:
    """A copy of the OpenAPI ``schema`` whose texts for people are in ``language``; the
    identifiers are untouched.

    >>> schema = {"info": {"description": "Nothing was written."}, "paths": {"/units": {}}}
    >>> translated(schema, "zh")["info"]["description"], schema["info"]["description"]
    ('未写入任何内容。', 'Nothing was written.')
    """
    with use_language(language):
        return _translate(copy.deepcopy(schema))


def install(app: FastAPI, *, title: str) -> None:
    """Serve ``/openapi.json`` (with ``?lang=``), ``/docs``, ``/docs/oauth2-redirect``,
    ``/redoc`` and their assets on ``app`` (create it with ``docs_url=None, redoc_url=None,
    openapi_url=None``; :data:`OPENAPI_URL` is the schema's path)."""
    openapi_url = OPENAPI_URL
    favicon = PREFIX + "swagger-ui-favicon-32x32.png"
    by_language: dict[str, dict[str, Any]] = {}  # the schema never changes once generated

    @app.get(openapi_url, include_in_schema=False)
    def openapi(request: Request) -> JSONResponse:
        language = normalize_language(request.query_params.get("lang")) or "en"
        if language not in by_language:
            by_language[language] = translated(app.openapi(), language)
        return JSONResponse(by_language[language])

    def localized_url() -> str:
        return f"{openapi_url}?lang={current_language()}"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=localized_url(),
            title=_("{title}: interactive documentation").format(title=title),
            swagger_js_url=PREFIX + "swagger-ui-bundle.js",
            swagger_css_url=PREFIX + "swagger-ui.css",
            swagger_favicon_url=favicon,
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=localized_url(),
            title=_("{title}: reference").format(title=title),
            redoc_js_url=PREFIX + "redoc.standalone.js",
            redoc_favicon_url=favicon,
            with_google_fonts=False,
        )

    @app.get(PREFIX + "{name}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        media_type = ASSETS.get(name)
        if media_type is None:
            raise HTTPException(404, _("no such documentation asset: {name}").format(name=name))
        # The files change only with a new release of pairnet: a day's caching is safe.
        return FileResponse(STATIC / name, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})
