"""HTTP methods every path answers as HTTP says: ``HEAD`` and ``OPTIONS``.

FastAPI routes a ``HEAD`` nowhere (405 on every GET route) and answers ``OPTIONS`` (and any
method a path lacks) with the ``Allow`` of the first route whose path matches, so
``OPTIONS /imports`` said ``GET`` although ``POST /imports`` exists. :class:`HttpMethods`
answers ``HEAD`` as the ``GET`` it stands for (same status and headers, no body), ``OPTIONS``
with every method of the path, and puts that full list in the ``Allow`` of every 405.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HttpMethods", "allowed_methods"]

_ALWAYS = ("OPTIONS",)


def allowed_methods(patterns: Iterable[tuple[re.Pattern[str], frozenset[str]]], path: str) -> list[str]:
    """The methods some route answers at ``path`` (``HEAD`` wherever ``GET`` is, and
    ``OPTIONS``), sorted; empty when no route's path matches."""
    methods: set[str] = set()
    for pattern, route_methods in patterns:
        if pattern.match(path):
            methods |= route_methods
    if not methods:
        return []
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods.union(_ALWAYS))


class HttpMethods:
    """ASGI middleware answering ``HEAD`` and ``OPTIONS`` for the ``routes`` of an app.

    Parameters
    ----------
    app
        The application it wraps.
    routes
        Every route of the app (each has ``path_regex`` and ``methods``, as Starlette's do);
        routes without methods (mounts) are left out.
    """

    def __init__(self, app: ASGIApp, routes: Iterable[Any]) -> None:
        self.app = app
        self.patterns = [
            (route.path_regex, frozenset(route.methods))
            for route in routes
            if getattr(route, "methods", None) and getattr(route, "path_regex", None) is not None
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed = allowed_methods(self.patterns, scope["path"])
        method = scope["method"]
        if method == "OPTIONS" and allowed:
            await _send_empty(send, 204, [(b"allow", ", ".join(allowed).encode())])
            return
        if method == "HEAD":
            scope = {**scope, "method": "GET"}
            send = _without_body(send)
        await self.app(scope, receive, _full_allow(send, allowed))


def _without_body(send: Send) -> Send:
    """``send`` dropping the body of the answer (``HEAD``), its headers untouched."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_head


def _full_allow(send: Send, allowed: list[str]) -> Send:
    """``send`` writing every method of the path into the ``Allow`` of a 405."""
    if not allowed:
        return send

    async def send_allow(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 405:
            headers = MutableHeaders(scope=message)
            headers["Allow"] = ", ".join(allowed)
        await send(message)

    return send_allow


async def _send_empty(send: Send, status: int, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": False})
