"""The version scheme of the JSON API: every resource under ``/api/v1``.

The JSON API (the service document, units, pairings, flows, analyses, imports, people) is
mounted under :data:`API_PREFIX` in one place, :func:`mount`, so a router added later gets the
prefix by being listed there. The pages a person opens (``/maps``, ``/docs``, ``/problems``,
``/app``) stay unversioned: their addresses are bookmarks, not a contract.

The unversioned paths of the first release (``/units``, ``/analyses/gaps`` ...) stay as aliases
for one more release: the same handlers, left out of the OpenAPI schema, each answer marked
``Deprecation: true`` with a ``Link`` to its successor (RFC 9745, RFC 8288), by
:class:`DeprecatedAliases`.

``info.version`` of the schema is :data:`API_VERSION`: it changes when the contract does
(a new major version gets a new prefix); the package's own version is ``x-package-version``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import quote

from fastapi import APIRouter, FastAPI
from starlette.datastructures import MutableHeaders
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["API_PREFIX", "API_VERSION", "DeprecatedAliases", "RoutePattern", "mount", "route_patterns"]

API_PREFIX = "/api/v1"
API_VERSION = "1.0"


class RoutePattern(NamedTuple):
    """A path the app answers, as the middlewares match it: its template, its compiled
    pattern and its methods (the shape of a Starlette route)."""

    path: str
    path_regex: re.Pattern[str]
    methods: frozenset[str]


def route_patterns(routers: Iterable[APIRouter], prefix: str = "") -> list[RoutePattern]:
    """The paths (under ``prefix``) and methods of every route of ``routers``. The app's own
    route list holds included routers, not their routes, and without their prefixes."""
    patterns = []
    for router in routers:
        for route in router.routes:
            methods = getattr(route, "methods", None)
            path = getattr(route, "path", None)
            if methods and isinstance(path, str):
                regex, _format, _convertors = compile_path(prefix + path)
                patterns.append(RoutePattern(prefix + path, regex, frozenset(methods)))
    return patterns


def mount(app: FastAPI, routers: Iterable[APIRouter]) -> list[RoutePattern]:
    """Include each of ``routers`` in ``app`` under :data:`API_PREFIX`, documented, and at
    its unversioned path as an undocumented alias (the same handler); the routes' patterns
    under both."""
    routers = list(routers)
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
        app.include_router(router, include_in_schema=False)
    return [*route_patterns(routers, API_PREFIX), *route_patterns(routers)]


class DeprecatedAliases:
    """ASGI middleware marking the answers of the unversioned aliases as deprecated.

    An alias is a path outside :data:`API_PREFIX` that some versioned route answers once the
    prefix is put before it; its answer gets ``Deprecation: true`` and
    ``Link: </api/v1/...>; rel="successor-version"`` (beside any ``rel="next"``).

    Parameters
    ----------
    app
        The application it wraps.
    routes
        Every route of the app (:func:`mount` gives those of the API).
    """

    def __init__(self, app: ASGIApp, routes: Iterable[RoutePattern]) -> None:
        self.app = app
        self.patterns = [route.path_regex for route in routes if route.path.startswith(API_PREFIX + "/")]

    def successor(self, path: str) -> str | None:
        """The versioned path that replaces the alias ``path``, or None if it is none."""
        if path.startswith(API_PREFIX + "/") or path == API_PREFIX:
            return None
        versioned = API_PREFIX + path
        return versioned if any(pattern.match(versioned) for pattern in self.patterns) else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        successor = self.successor(scope["path"]) if scope["type"] == "http" else None
        if successor is None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        # A header is Latin-1: a name path (沿河土家族自治县/中界镇) goes percent-encoded, as sent.
        target = quote(successor, safe="/%") + (f"?{query}" if query else "")

        async def mark(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("Deprecation", "true")
                headers.append("Link", f'<{target}>; rel="successor-version"')
            await send(message)

        await self.app(scope, receive, mark)
