"""Scoped views: an analysis about a place reads that place's part of the store, not all of it.

A county's gaps need the county's subtree and the pairings and flows that touch it
(:meth:`Store.snapshot` with ``scope``), a few thousand records where the whole national
store holds a million. The analysis routes say which of their parameters name the places
of a question (:func:`scoped_by`, as the CLI's ``_places`` does); :func:`ScopedViews.for_request`
gives such a request a :class:`~api.deps.View` of the scoped network. A place given as a unit
id or a division code is found with indexed look-ups (:func:`pairnet.service.scoped.place_ids`);
one written as a name (``沿河县``, ``沿河土家族自治县/中界镇``) is resolved as on the whole
network, by the same resolver, over the store's unit names alone (:meth:`Store.unit_names`,
one column read per version, not a snapshot). A request naming no place, or a place the
names do not resolve (unknown, ambiguous), is answered on the whole network, with its message.

The answers are the whole network's (``tests/api/test_api_scoped.py`` compares them on a
sample of counties): the scoped read keeps everything a question about its places looks at.
Scoped views are kept per (version stamp, places), the least recently used going first, so
that a worker asked only about counties never builds the national network.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from starlette.datastructures import QueryParams

from pairnet.graph.network import build_network
from pairnet.loaders.names import code_keys
from pairnet.loaders.references import RefError, Resolver
from pairnet.service.scoped import place_ids
from pairnet.store.store import Store

from .deps import StoreHolder, View

__all__ = ["PLACES", "Places", "ScopedViews", "root_places", "scoped_by"]

# The places a request names, read from its query parameters (empty: the whole network).
Places = Callable[[QueryParams], tuple[str, ...]]

# Route endpoint → how its request names its places; filled by :func:`scoped_by`.
PLACES: dict[Callable[..., object], Places] = {}

# The parameters naming the root of an analysis: ``scope`` and its old names.
ROOT_PARAMETERS = ("scope", "county", "township", "within")

Endpoint = TypeVar("Endpoint", bound=Callable[..., object])


def root_places(query: QueryParams) -> tuple[str, ...]:
    """The root of the question (``scope``, ``county``, ``township`` or ``within``)."""
    return tuple(value for name in ROOT_PARAMETERS for value in query.getlist(name) if value)


def scoped_by(places: Places) -> Callable[[Endpoint], Endpoint]:
    """Mark a route as answerable on the scoped network of the places ``places`` reads
    from its request (the route itself is unchanged)."""

    def register(endpoint: Endpoint) -> Endpoint:
        PLACES[endpoint] = places
        return endpoint

    return register


class ScopedViews:
    """The views of scoped networks, per (version stamp, unit ids); at most ``size`` kept."""

    def __init__(self, size: int = 32, max_results: int = 64):
        self.size = size
        self.max_results = max_results
        self._views: OrderedDict[tuple[str, frozenset[str]], View] = OrderedDict()
        self._names: tuple[str, set[str], Resolver] | None = None  # one version's unit ids and name resolver
        self._lock = threading.Lock()

    def _named(self, store: Store, version: str, refs: tuple[str, ...]) -> dict[str, str] | None:
        """The unit id of each of ``refs``, found as :func:`graph.targets.resolve_unit`
        finds it on the whole network (ids, codes, names, short names, name paths), from
        the store's unit names alone (:meth:`Store.unit_names`, read once per version);
        None when one of them is unknown or ambiguous (the whole network then answers,
        with its message)."""
        with self._lock:
            names = self._names if self._names is not None and self._names[0] == version else None
        if names is None:
            units = store.unit_names()
            names = (version, {u.id for u in units}, Resolver([], known=units))
            with self._lock:
                self._names = names
        _, ids, resolver = names
        found: dict[str, str] = {}
        for ref in refs:
            reference = ref.strip()
            # As resolve_unit: an id, an id written as a longer code, then the resolver.
            shortened = next((key for key in (reference, *code_keys(reference)[1:]) if key in ids), None)
            try:
                unit_id = shortened or resolver.resolve(reference).id
            except RefError:
                return None
            if unit_id is None:
                return None
            found[ref] = unit_id
        return found

    def for_request(self, holder: StoreHolder, endpoint: object, query: QueryParams, known: str | None) -> View | None:
        """The scoped view for a request to ``endpoint`` with ``query``, or None when the
        whole network answers it (not a scoped route, no place named, or a name)."""
        places = PLACES.get(endpoint) if callable(endpoint) else None
        refs = places(query) if places is not None else ()
        return self.view(holder, refs, known) if refs else None

    def view(self, holder: StoreHolder, refs: tuple[str, ...], known: str | None = None) -> View | None:
        """The view of the scoped network for the places ``refs`` (as a person gave them),
        or None when one of them is not a unit id or code of the store (the whole network
        answers then). ``known`` is a version stamp the request has read already."""
        store = holder.reader()
        version = known or store.version()
        found = place_ids(store, refs) or self._named(store, version, refs)
        if found is None:
            return None
        ids = frozenset(found.values())
        key = (version, ids)
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        while True:  # the stamp read after the snapshot: a write in between must not be kept under the older one
            dataset = store.snapshot(scope=ids)
            after = store.version()
            if after == version:
                break
            version = after
        view = View(
            version=version,
            dataset=dataset,
            network=build_network(dataset),
            places=found,
            _max_results=self.max_results,
        )
        with self._lock:
            stale = [k for k in self._views if k[0] != version]
            for k in stale:  # another version's views answer no request any more
                del self._views[k]
            self._views[(version, ids)] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        if stale:
            gc.collect()
        return view
