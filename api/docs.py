"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from vendored assets: no request leaves the server.

FastAPI's own pages load their scripts, styles and fonts from a CDN, which leaves a blank
page in an office without internet; these load ``api/static/`` (see its VENDORED.md).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from pairnet.i18n import _

__all__ = ["ASSETS", "install"]

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/docs/assets/"
# Every file the pages may load, and its media type: nothing else under the prefix is served.
ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-favicon-32x32.png": "image/png",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
}


def install(app: FastAPI, *, title: str) -> None:
    """Serve ``/docs``, ``/docs/oauth2-redirect``, ``/redoc`` and their assets on ``app``
    (create it with ``docs_url=None, redoc_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    favicon = PREFIX + "swagger-ui-favicon-32x32.png"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
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
            openapi_url=openapi_url,
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
