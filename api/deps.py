"""The API's dependencies: settings, the store, the cached network view, the write token.

The store is opened once per process, lazily, so that the server starts while Neo4j is
still away (requests get 503 until it answers). Everything derived from a snapshot (the
NetworkX network, filtered lists, analysis results) is cached per process under the store's
version stamp, which is read on every request: an import by any process changes the stamp,
and every worker then rebuilds on its next request.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Annotated, Any

import networkx as nx
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pairnet.graph.model import Dataset, Unit
from pairnet.graph.network import build_network
from pairnet.graph.targets import resolve_unit
from pairnet.i18n import current_language
from pairnet.store.store import Store, open_store

from .problems import NotModified
from .settings import Settings

__all__ = [
    "STORE_VERSION",
    "NetworkCache",
    "SettingsDep",
    "StoreDep",
    "StoreHolder",
    "TokenDep",
    "View",
    "ViewDep",
    "answer_etag",
    "client_has",
    "conditional",
    "get_settings",
    "get_store",
    "get_view",
    "require_token",
]


# The request state key under which api.cache leaves the version stamp it read.
STORE_VERSION = "pairnet_store_version"


# Dependencies that neither block nor compute are ``async def``: FastAPI runs a plain ``def``
# in a worker thread, and the hops cost more than the work (bench/api_load.py).
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


class StoreHolder:
    """Opens the store on first use and serialises access to it across request threads."""

    def __init__(self, uri: str, store: Store | None = None):
        self.uri = uri
        self.lock = threading.RLock()
        self._store = store
        self._owned = store is None  # a store handed in is closed by whoever opened it

    def get(self) -> Store:
        with self.lock:
            if self._store is None:
                self._store = open_store(self.uri)
            return self._store

    def opened(self) -> Store | None:
        """The store if it is open already (never opens it)."""
        return self._store

    def close(self) -> None:
        with self.lock:
            if self._store is not None and self._owned:
                self._store.close()
                self._store = None


def get_store(request: Request) -> Store:
    return request.app.state.store_holder.get()


StoreDep = Annotated[Store, Depends(get_store)]


@dataclass
class View:
    """One snapshot of the store and what is derived from it, valid while ``version`` holds."""

    version: str
    dataset: Dataset
    network: nx.MultiDiGraph
    _results: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _max_results: int = 256
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered for this version (least recently used results go first).

        Remembered per language too: a result may hold labels for people (a map's legend)."""
        key = (current_language(), key)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        value = compute()
        with self._lock:
            self._results[key] = value
            while len(self._results) > self._max_results:
                self._results.popitem(last=False)
        return value

    def by_code(self) -> dict[str, str]:
        return self.cached(("by-code",), lambda: {u.code: u.id for u in self.dataset.units if u.code})

    def unit(self, ref: str) -> Unit:
        """The unit named by ``ref``: an id, a division code, or a name (path) such as
        ``沿河土家族自治县/中界镇/高峰村``; ambiguous names raise InvalidInput with the candidates."""
        G = self.network
        if ref in G:
            return G.nodes[ref]["unit"]
        # Resolving a name path walks every node: once per reference and version is enough.
        unit_id = self.by_code().get(ref) or self.cached(("unit-ref", ref), lambda: resolve_unit(G, ref))
        return G.nodes[unit_id]["unit"]


class NetworkCache:
    """The current :class:`View` of a store, rebuilt when the store's version stamp changes."""

    def __init__(self, max_results: int = 256):
        self.max_results = max_results
        self._view: View | None = None
        self._lock = threading.Lock()

    def view(self, holder: StoreHolder, known: str | None = None) -> View:
        """The view of the store's current version. ``known`` is a stamp this request has
        already read (the answer cache reads it first): when it is the current view's, the
        store is not asked again; otherwise it is, so that a stale hint never rebuilds."""
        current = self._view
        if known is not None and current is not None and current.version == known:
            return current
        store = holder.get()
        with holder.lock:
            version = store.version()
        current = self._view
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._view is not None and self._view.version == version:
                return self._view
            with holder.lock:
                # Read the stamp again after the snapshot: a write in between must not be
                # cached under the older stamp.
                while True:
                    dataset = store.snapshot()
                    after = store.version()
                    if after == version:
                        break
                    version = after
            # A national network is millions of objects that live until the next version.
            # Frozen, the cyclic collector stops walking them: a full pass took seconds and
            # stalled every request (bench/api_load.py). Unfrozen first so that the previous
            # view can be collected.
            gc.unfreeze()
            self._view = View(
                version=version, dataset=dataset, network=build_network(dataset), _max_results=self.max_results
            )
            gc.collect()
            gc.freeze()
            return self._view


def get_view(request: Request) -> View:
    version = request.scope.get("state", {}).get(STORE_VERSION)
    return request.app.state.network_cache.view(request.app.state.store_holder, version)


ViewDep = Annotated[View, Depends(get_view)]

_bearer = HTTPBearer(auto_error=False, description="PAIRNET_TOKEN, required for every write")


def require_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let a write through only with ``Authorization: Bearer <PAIRNET_TOKEN>``."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if not settings.writes_enabled():
        raise HTTPException(403, "this server is read-only")
    expected = settings.token.get_secret_value().encode("utf-8")
    if credentials is None:
        raise HTTPException(401, "this write needs an Authorization: Bearer token", headers=challenge)
    given = credentials.credentials.encode("utf-8")
    if not expected or not secrets.compare_digest(given, expected):
        raise HTTPException(401, "the bearer token is not valid", headers=challenge)


TokenDep = Annotated[None, Depends(require_token)]


def answer_etag(version: str, request: Request) -> str:
    """The ETag of the answer to ``request`` at store ``version``: a digest of the version
    stamp, the day, the path, the normalised query and the language. :mod:`api.cache` keys answers by it."""
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    # Today's date is part of it: analyses default to as_of=today, so answers change at midnight.
    # The raw path, not request.url: building the URL was a tenth of a cached answer's cost.
    # The language too: labels, titles and pages are in the request's (api.language).
    key = f"{version}\x1f{dt.date.today().isoformat()}\x1f{request.scope['path']}\x1f{query}\x1f{current_language()}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f'"{digest[:32]}"'


def client_has(request: Request, etag: str) -> bool:
    """Whether the client's ``If-None-Match`` names ``etag`` (or ``*``)."""
    wanted = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    return etag in tags or "*" in tags


def conditional(request: Request, view: View) -> str:
    """The ETag of this request's answer (see :func:`answer_etag`); raises
    :class:`NotModified` when the client's ``If-None-Match`` already has it."""
    etag = answer_etag(view.version, request)
    if client_has(request, etag):
        raise NotModified(etag)
    return etag
