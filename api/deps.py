"""The API's dependencies: settings, the store, the cached network view, the writing person.

The store is opened once per process, lazily, so that the server starts while Neo4j is
still away (requests get 503 until it answers). Everything derived from a snapshot (the
NetworkX network, filtered lists, analysis results) is cached per process under the store's
version stamp, which is read on every request: an import by any process changes the stamp,
and every worker then brings its view up to date on its next request, patching it with what
the imports since changed (:meth:`NetworkCache.view`) or, when it cannot, building it again.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

import networkx as nx
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pairnet.graph.incremental import patch_network
from pairnet.graph.model import Dataset, Unit
from pairnet.graph.network import build_network
from pairnet.graph.targets import resolve_unit
from pairnet.i18n import N_, _, current_language
from pairnet.people import Person, Role, find_holder, may_write
from pairnet.store.delta import find_record, patch_dataset
from pairnet.store.store import Delta, Store, open_store

from .problems import NotModified
from .request_keys import request_key
from .settings import Settings
from .view_file import ViewFile

__all__ = [
    "SCRIPT_ADMIN",
    "STORE_VERSION",
    "NetworkCache",
    "SettingsDep",
    "HolderDep",
    "StoreDep",
    "StoreHolder",
    "TokenDep",
    "View",
    "ViewDep",
    "answer_etag",
    "client_has",
    "conditional",
    "get_holder",
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
    """The server's store, opened on first use, with one connection for writes and one for reads.

    Reads (version stamps, snapshots, the history) go through :meth:`reader`, a store with
    its own connection: an import waiting for the write lock (held by another process) or
    writing never holds them up. Writes go through :meth:`writing`, one at a time per process.
    """

    def __init__(self, uri: str, store: Store | None = None):
        self.uri = uri
        self._writer = store
        self._reader: Store | None = None
        self._owned = store is None  # a store handed in is closed by whoever opened it
        self._opening = threading.Lock()
        self._writing = threading.Lock()

    def get(self) -> Store:
        """The store writes go to (opened if need be)."""
        with self._opening:
            if self._writer is None:
                self._writer = open_store(self.uri)
            return self._writer

    def reader(self) -> Store:
        """The store reads go to: its own connection to the same data."""
        if self._reader is None:
            writer = self.get()
            with self._opening:
                if self._reader is None:
                    self._reader = writer.reader()
        return self._reader

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store, for one write at a time in this process (other processes wait in the store)."""
        with self._writing:
            yield self.get()

    def version(self) -> str:
        """The store's version stamp, read without waiting for any write."""
        return self.reader().version()

    def version_now(self) -> str | None:
        """The version stamp if it can be read at once without blocking (see
        :meth:`Store.version_nowait`), else None; never opens the store."""
        return None if self._reader is None else self._reader.version_nowait()

    def close(self) -> None:
        with self._opening:
            if self._reader is not None and self._reader is not self._writer:
                self._reader.close()
            self._reader = None
            if self._writer is not None and self._owned:
                self._writer.close()
                self._writer = None


async def get_holder(request: Request) -> StoreHolder:
    return request.app.state.store_holder


HolderDep = Annotated[StoreHolder, Depends(get_holder)]


def get_store(request: Request) -> Store:
    """The store for reads."""
    return request.app.state.store_holder.reader()


StoreDep = Annotated[Store, Depends(get_store)]


@dataclass
class View:
    """One snapshot of the store and what is derived from it, valid while ``version`` holds."""

    version: str
    dataset: Dataset
    network: nx.MultiDiGraph
    places: dict[str, str] = field(default_factory=dict)  # a scoped view's places: reference → id
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
        ref = self.places.get(ref, ref)
        if ref in G:
            return G.nodes[ref]["unit"]
        # Resolving a name path walks every node: once per reference and version is enough.
        unit_id = self.by_code().get(ref) or self.cached(("unit-ref", ref), lambda: resolve_unit(G, ref))
        return G.nodes[unit_id]["unit"]


class NetworkCache:
    """The current :class:`View` of a store, brought up to date when the store's version
    stamp changes: patched with what the imports since its version changed (read by
    version, :meth:`Store.delta`), or built again when the store cannot tell or more than
    ``max_delta`` records changed."""

    def __init__(self, max_results: int = 256, max_delta: int = 50_000):
        self.max_results = max_results
        self.max_delta = max_delta
        self._view: View | None = None
        self._file: ViewFile | None = None
        self.saving: threading.Thread | None = None  # the thread writing the view file, if any
        self._lock = threading.Lock()

    def view(self, holder: StoreHolder, known: str | None = None) -> View:
        """The view of the store's current version. ``known`` is a stamp this request has
        already read (the answer cache reads it first): when it is the current view's, the
        store is not asked again; otherwise it is, so that a stale hint never rebuilds."""
        current = self._view
        if known is not None and current is not None and current.version == known:
            return current
        store = holder.reader()
        version = store.version()
        current = self._view
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._view is not None and self._view.version == version:
                return self._view
            if self._view is None:
                self._file = ViewFile.beside(store)
                self._view = self._from_file(store, version)
                if self._view is not None and self._view.version == version:
                    gc.freeze()
                    return self._view
            if self._view is not None:
                # What answering on the current view made since it was frozen (indexes,
                # kept answers) carries over into the patched view's: frozen too, so that
                # the collector does not walk it again and again while the patch and the
                # next answer allocate (tens of milliseconds a pass at national scale).
                gc.freeze()
            patched = None if self._view is None else self._patched(store, self._view)
            if patched is not None:
                # The new view shares most of its objects with the old, frozen one: only
                # what changed is new, and is frozen in turn.
                self._view = patched
                gc.freeze()
                return patched
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
            if self._file is not None:
                self.saving = self._file.save_later(version, dataset, self._view.network)
            return self._view

    def _from_file(self, store: Store, version: str) -> View | None:
        """The view kept in the store's view file (:mod:`api.view_file`) when it is of
        ``version``, or of an older version the store can give the delta since; else None
        (and the file is not read past its header)."""
        kept = None if self._file is None else self._file.version()
        if kept is None or self._file is None:
            return None
        delta = None if kept == version else store.delta(kept, self.max_delta)
        if kept != version and delta is None:
            return None
        loaded = self._file.load(kept)
        if loaded is None:
            return None
        view = View(version=kept, dataset=loaded[0], network=loaded[1], _max_results=self.max_results)
        return view if delta is None else self._patched(store, view, delta)

    def _patched(self, store: Store, view: View, delta: Delta | None = None) -> View | None:
        """``view`` brought to the store's current version by ``delta`` (read when not
        given: the delta since the view's version), or None when a build is needed."""
        if delta is None:
            delta = store.delta(view.version, self.max_delta)
        if delta is None:
            return None
        dataset = patch_dataset(view.dataset, delta)
        network = patch_network(
            view.network,
            dataset,
            {i: (find_record(view.dataset.units, i), u) for i, u in delta.units.items()},
            {i: (find_record(view.dataset.pairings, i), p) for i, p in delta.pairings.items()},
        )
        if network is None:
            return None
        return View(version=delta.version, dataset=dataset, network=network, _max_results=self.max_results)


def get_view(request: Request) -> View:
    """The view a request is answered on: the scoped network of the places it names when
    its route allows (:mod:`api.scoped`), else the whole network."""
    version = request.scope.get("state", {}).get(STORE_VERSION)
    holder = request.app.state.store_holder
    scoped = request.app.state.scoped_views.for_request(
        holder, request.scope.get("endpoint"), request.query_params, version
    )
    if scoped is not None:
        return scoped
    return request.app.state.network_cache.view(request.app.state.store_holder, version)


ViewDep = Annotated[View, Depends(get_view)]

_bearer = HTTPBearer(
    auto_error=False, description=N_("A person's token (pairnet users add), or PAIRNET_TOKEN; required for every write")
)

# The one admin that PAIRNET_TOKEN stands for, for scripts; its name is what the history shows.
SCRIPT_ADMIN = Person(
    name="PAIRNET_TOKEN",
    role=Role.ADMIN,
    scopes=(),
    token_index="",
    token_hash="",
    created_at=dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
)

# Person-facing text, in one place (translated where it is used).
READ_ONLY = N_("this server is read-only")
NO_TOKEN = N_("this write needs an Authorization: Bearer token")
BAD_TOKEN = N_("the bearer token is not valid (unknown or revoked)")
NOT_A_WRITER = N_("{name} is a {role}: a {role} may read, not write")


def require_token(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Person:
    """The person a write comes from: ``Authorization: Bearer <token>`` names one of the
    store's people (an editor or admin, not revoked) or is ``PAIRNET_TOKEN`` (an admin).
    401 for no or an unknown token, 403 for a viewer or a read-only server."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if not settings.writes_enabled():
        raise HTTPException(403, _(READ_ONLY))
    if credentials is None:
        raise HTTPException(401, _(NO_TOKEN), headers=challenge)
    given = credentials.credentials
    expected = settings.token.get_secret_value()
    if expected and secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return SCRIPT_ADMIN
    person = find_holder(request.app.state.store_holder.reader().people(), given)
    if person is None:
        raise HTTPException(401, _(BAD_TOKEN), headers=challenge)
    if not may_write(person):
        raise HTTPException(403, _(NOT_A_WRITER).format(name=person.name, role=_(person.role.value)))
    return person


TokenDep = Annotated[Person, Depends(require_token)]


def answer_etag(version: str, key: str) -> str:
    """The ETag of the answer to the request whose canonical key is ``key``
    (:func:`api.request_keys.request_key`: its route, path and validated parameters) at
    store ``version``, in the request's language: a digest of the version stamp, the day,
    the key and the language."""
    # Today's date is part of it: analyses default to as_of=today, so answers change at midnight.
    # The language too: labels, titles and pages are in the request's (api.language).
    text = f"{version}\x1f{dt.date.today().isoformat()}\x1f{key}\x1f{current_language()}"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f'"{digest[:32]}"'


def client_has(request: Request, etag: str) -> bool:
    """Whether the client's ``If-None-Match`` names ``etag`` (or ``*``)."""
    wanted = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    return etag in tags or "*" in tags


def conditional(request: Request, view: View) -> str:
    """The ETag of this request's answer (see :func:`answer_etag`); raises
    :class:`NotModified` when the client's ``If-None-Match`` already has it."""
    etag = answer_etag(view.version, request_key(request.scope))
    if client_has(request, etag):
        raise NotModified(etag)
    return etag
