"""The language of each answer: ``?lang=zh|en``, else ``Accept-Language``, else the server's.

:class:`LanguageMiddleware` chooses it once per request, before the answer cache and every
route run, and sets it for that request only (a context variable), so that problem titles,
labels, map legends and pages are built in it. Answers say which language they are in
(``Content-Language``) and that it depends on ``Accept-Language`` (``Vary``); the ETag of
an answer includes the language (:func:`api.deps.answer_etag`), so a cached Chinese answer
is never served to an English reader.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pairnet.i18n import current_language, language_from_header, normalize_language, use_language

__all__ = ["LanguageMiddleware", "request_language"]


def request_language(scope: Scope) -> str:
    """The language a request asks for: its ``lang`` query parameter, then its
    ``Accept-Language`` header, then the server's default (``PAIRNET_LANG`` or the locale).

    >>> request_language({"type": "http", "query_string": b"lang=zh", "headers": []})
    'zh'
    >>> request_language({"type": "http", "query_string": b"", "headers": [(b"accept-language", b"en-US,zh;q=0.5")]})
    'en'
    """
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
        if name == "lang" and (language := normalize_language(value)):
            return language
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            chosen = language_from_header(value.decode("latin-1"))
            if chosen:
                return chosen
    return current_language()


class LanguageMiddleware:
    """Pure ASGI middleware: build each HTTP answer in the language its request asks for."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = request_language(scope)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                headers.append((b"content-language", b"zh-CN" if language == "zh" else b"en"))
                headers.append((b"vary", b"Accept-Language"))
                message = {**message, "headers": headers}
            await send(message)

        with use_language(language):
            await self.app(scope, receive, send_with_language)
