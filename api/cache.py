"""The answer cache: a repeated GET costs a version check and a lookup, not a request.

Every read answer carries an ETag that :func:`api.deps.answer_etag` derives from the store's
version stamp, the day and the request's canonical key (its route, path and parameters as
FastAPI validates them, :mod:`api.request_keys`), and nothing else: the ETag already
promises that equal keys mean equal answers. :class:`AnswerCache` keeps the bytes of each
200 answer (JSON, CSV, XLSX, HTML) under that ETag.

The canonical key is known only once FastAPI has routed and validated a request, so the
cache also remembers which ETag each *exact* request (path and query string, byte for byte)
was answered under: a later identical request is served straight from memory (or a 304 when
the client has it), before FastAPI solves a single dependency or validates a single model.
Profiles of the national gap query showed those two costs were most of a request
(bench/api_load.py). A request written differently (another order, ``limit=05``) runs once,
finds its canonical answer already kept, and is remembered too.

The version stamp is read on every request, so an import by any process is seen at once.
An answer is kept only when the ETag it was sent with is the one of the version read before
the request ran: a write in between, or a route that does not derive its ETag from the
version, leaves nothing behind. Requests with credentials are never served from or stored in
the cache, and errors are never stored (they are recomputed, with their messages, every time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pairnet.graph.errors import PairnetError

from .deps import STORE_VERSION, StoreHolder, answer_etag, client_has
from .request_keys import STATE_KEY

__all__ = ["AnswerCache", "CachedAnswer"]


@dataclass(frozen=True)
class CachedAnswer:
    """One answer as it was sent: status 200, its raw headers and its body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerCache:
    """ASGI middleware serving repeated GETs of the same answer from memory.

    Holds at most ``max_bytes`` of bodies (least recently used go first) and never an answer
    larger than a quarter of that, and remembers the ETags of at most ``max_requests``
    exact requests; everything of an older version stamp is dropped as soon as a newer one
    is seen.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = 64 * 1024 * 1024, max_requests: int = 65536):
        self.app = app
        self.max_bytes = max_bytes
        self.max_requests = max_requests
        self._answers: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._etags: OrderedDict[bytes, str] = OrderedDict()  # exact request → ETag of its answer
        self._size = 0
        self._version: str | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    def __contains__(self, etag: str) -> bool:
        return etag in self._answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or _has_credentials(scope):
            await self.app(scope, receive, send)
            return
        try:
            version = _version_now(scope)
            if version is None:
                version = await run_in_threadpool(_version, scope)
        except PairnetError:
            # The store is away: the route answers with its own problem document (503).
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})[STORE_VERSION] = version
        exact = _exact_request(scope)
        found = self._lookup(version, exact)
        if found is None:
            await self._remember(scope, receive, send, version, exact)
            return
        etag, answer = found
        if client_has(Request(scope), etag):
            await _send(send, 304, [(b"etag", etag.encode("latin-1")), (b"cache-control", b"no-cache")], b"")
        else:
            await _send(send, 200, list(answer.headers), answer.body)

    def _lookup(self, version: str, exact: bytes) -> tuple[str, CachedAnswer] | None:
        with self._lock:
            if version != self._version:
                self._answers.clear()
                self._etags.clear()
                self._size = 0
                self._version = version
                return None
            etag = self._etags.get(exact)
            answer = None if etag is None else self._answers.get(etag)
            if etag is None or answer is None:
                return None
            self._etags.move_to_end(exact)
            self._answers.move_to_end(etag)
            return etag, answer

    async def _remember(self, scope: Scope, receive: Receive, send: Send, version: str, exact: bytes) -> None:
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] | None = []
        size = 0
        sent_etag: bytes | None = None

        async def capture(message: Message) -> None:
            nonlocal chunks, size, sent_etag
            if message["type"] == "http.response.start":
                # A copy: the middlewares outside (CORS) add their per-request headers in place.
                headers.extend(message["headers"])
                sent_etag = _header(message, b"etag")
                if message["status"] != 200 or sent_etag is None:
                    chunks = None
            elif message["type"] == "http.response.body" and chunks is not None:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_bytes // 4:
                    chunks = None
                elif not message.get("more_body", False):
                    key = scope.get("state", {}).get(STATE_KEY)
                    # Kept only if the route answered for the version read before it ran.
                    if key is not None and sent_etag == answer_etag(version, key).encode("latin-1"):
                        self._store(
                            version, exact, sent_etag.decode("latin-1"), CachedAnswer(headers, b"".join(chunks))
                        )
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, version: str, exact: bytes, etag: str, answer: CachedAnswer) -> None:
        with self._lock:
            if version != self._version:
                return
            self._etags[exact] = etag
            while len(self._etags) > self.max_requests:
                self._etags.popitem(last=False)
            if etag in self._answers:
                return
            self._answers[etag] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)


def _version_now(scope: Scope) -> str | None:
    """The version stamp read on the event loop when that cannot block (the store says
    when: :meth:`Store.version_nowait`). Otherwise None, and the stamp is read in a worker
    thread; the hop to it cost a fifth of a cached answer."""
    holder: StoreHolder = scope["app"].state.store_holder
    return holder.version_now()


def _version(scope: Scope) -> str:
    holder: StoreHolder = scope["app"].state.store_holder
    return holder.version()


def _exact_request(scope: Scope) -> bytes:
    """The request as sent: its path, its query string, its Accept-Language and its Accept
    (which selects a download's format, and sends a browser's ``GET /`` to the workbench),
    byte for byte (equal bytes, equal parameters, language and format, whatever FastAPI
    makes of them)."""
    language = b",".join(value for name, value in scope["headers"] if name == b"accept-language")
    accept = b",".join(value for name, value in scope["headers"] if name == b"accept")
    return scope["path"].encode("utf-8") + b"?" + scope.get("query_string", b"") + b"\x1f" + language + b"\x1f" + accept


def _has_credentials(scope: Scope) -> bool:
    return any(name in (b"authorization", b"cookie") for name, _ in scope["headers"])


def _header(message: Message, name: bytes) -> bytes | None:
    return next((value for key, value in message.get("headers", ()) if key.lower() == name), None)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
