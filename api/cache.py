"""The answer cache: a repeated GET costs a version check and a lookup, not a request.

Every read answer carries an ETag that :func:`api.deps.answer_etag` derives from the store's
version stamp, the day, the path and the normalised query, and nothing else: the ETag
already promises that equal keys mean equal answers. :class:`AnswerCache` keeps the bytes of
each 200 answer (JSON, CSV, XLSX, HTML) under that ETag, and serves a later request with the
same ETag straight from memory (or a 304 when the client has it), before FastAPI solves a
single dependency or validates a single model. Profiles of the national gap query showed
those two costs were most of a request (bench/api_load.py).

The version stamp is read on every request, so an import by any process is seen at once.
An answer is kept only when the ETag it was sent with equals the one computed before the
request ran: a write in between, or a route that does not derive its ETag from the version,
leaves nothing behind. Requests with credentials are never served from or stored in the
cache, and errors are never stored (they are recomputed, with their messages, every time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pairnet.graph.errors import PairnetError
from pairnet.store.sqlite_store import SqliteStore

from .deps import STORE_VERSION, answer_etag, client_has

__all__ = ["AnswerCache", "CachedAnswer"]


@dataclass(frozen=True)
class CachedAnswer:
    """One answer as it was sent: status 200, its raw headers and its body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerCache:
    """ASGI middleware serving repeated GETs of the same answer from memory.

    Holds at most ``max_bytes`` of bodies (least recently used go first) and never an answer
    larger than a quarter of that; entries of an older version stamp are dropped as soon as
    a newer one is seen.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = 64 * 1024 * 1024):
        self.app = app
        self.max_bytes = max_bytes
        self._answers: OrderedDict[str, CachedAnswer] = OrderedDict()
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
            version = _version_now(scope) or await run_in_threadpool(_version, scope)
        except PairnetError:
            # The store is away: the route answers with its own problem document (503).
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})[STORE_VERSION] = version
        request = Request(scope)
        etag = answer_etag(version, request)
        answer = self._lookup(version, etag)
        if answer is None:
            await self._remember(scope, receive, send, version, etag)
        elif client_has(request, etag):
            await _send(send, 304, [(b"etag", etag.encode("latin-1")), (b"cache-control", b"no-cache")], b"")
        else:
            await _send(send, 200, list(answer.headers), answer.body)

    def _lookup(self, version: str, etag: str) -> CachedAnswer | None:
        with self._lock:
            if version != self._version:
                self._answers.clear()
                self._size = 0
                self._version = version
                return None
            answer = self._answers.get(etag)
            if answer is not None:
                self._answers.move_to_end(etag)
            return answer

    async def _remember(self, scope: Scope, receive: Receive, send: Send, version: str, etag: str) -> None:
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] | None = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal chunks, size
            if message["type"] == "http.response.start":
                # A copy: the middlewares outside (CORS) add their per-request headers in place.
                headers.extend(message["headers"])
                if message["status"] != 200 or _header(message, b"etag") != etag.encode("latin-1"):
                    chunks = None
            elif message["type"] == "http.response.body" and chunks is not None:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_bytes // 4:
                    chunks = None
                elif not message.get("more_body", False):
                    self._store(version, etag, CachedAnswer(headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, version: str, etag: str, answer: CachedAnswer) -> None:
        with self._lock:
            if version != self._version or etag in self._answers:
                return
            self._answers[etag] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)


def _version_now(scope: Scope) -> str | None:
    """The version stamp read on the event loop when that cannot block: an open SQLite
    store (WAL: readers never wait for writers) that no request thread is using. Otherwise
    None, and the stamp is read in a worker thread; the hop to it cost a fifth of a cached
    answer."""
    holder = scope["app"].state.store_holder
    store = holder.opened()
    if not isinstance(store, SqliteStore) or not holder.lock.acquire(blocking=False):
        return None
    try:
        return store.version()
    finally:
        holder.lock.release()


def _version(scope: Scope) -> str:
    holder = scope["app"].state.store_holder
    store = holder.get()
    with holder.lock:
        return store.version()


def _has_credentials(scope: Scope) -> bool:
    return any(name in (b"authorization", b"cookie") for name, _ in scope["headers"])


def _header(message: Message, name: bytes) -> bytes | None:
    return next((value for key, value in message.get("headers", ()) if key.lower() == name), None)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
