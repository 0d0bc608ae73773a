"""The whole view kept in a file beside a SQLite store, so that a worker starts without
reading and validating every record and building the network again.

After a build, the worker writes the snapshot and its network to ``STORE.view``
(``pairnet.db.view``), headed by the version stamp they are of: as columns
(:mod:`api.view_columns`), not as pickled records, which made a cold start cost almost as
much as a build (10.9 s and 3.6 GiB at national scale, against 28.4 s and 3.1 GiB). A worker
starting later reads the header first: the view is used as it is when its stamp is the
store's, brought up to date with the delta since its stamp when the store can give one
(:meth:`Store.delta`), and ignored otherwise — a stale view is never answered from. An
unreadable, truncated or foreign file is ignored too, and so is one written for records
of other fields (:func:`api.view_columns.decode_view` refuses it).

The file is written in a thread, to a temporary name then renamed, so that a reader never
sees half of it and a request never waits for it. What the thread encodes is the
network's own dictionaries, taken before it starts: requests read the network meanwhile,
and networkx caches its views (``G.nodes``, ``G.adj``) in the graph's attributes on first
use, which would change them under the encoder. The dictionaries themselves are never
changed once a view is made (:func:`graph.incremental.patch_network` copies what it
changes). It is a pickle: whoever may write beside the store may run code in the server,
as whoever may replace the store's file may change every answer; keep the store's folder
the server's own. As a second guard (the rule SSH applies to its keys), a file is read
only when it is a regular file owned by the server's user that no one else may write; the
server writes it so (mode 0600).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

import networkx as nx

from pairnet.collector import collector_paused
from pairnet.graph.model import Dataset
from pairnet.store.store import Store

from .view_columns import decode_view, encode_view

__all__ = ["ViewFile"]

# Changes when what is pickled changes shape: an older file is then ignored.
FORMAT = "pairnet-view-3"
# The attributes of a networkx graph that hold it; the rest are caches made on first use.
_GRAPH_PARTS = ("_node", "_succ", "_pred", "graph")


class ViewFile:
    """The file of the whole view of the store at ``path``'s side."""

    def __init__(self, path: Path):
        self.path = path
        self._writing = threading.Lock()

    @classmethod
    def beside(cls, store: Store) -> ViewFile | None:
        """The view file of ``store``: ``<file>.view`` for a SQLite file, None for other stores."""
        path = getattr(store, "path", None)
        if not isinstance(path, Path) or store.uri == ":memory:":
            return None
        return cls(path.with_name(path.name + ".view"))

    def version(self) -> str | None:
        """The version stamp the file is of (None: no readable file)."""
        try:
            with _own_file(self.path) as handle:
                return _header(handle)
        except Exception:  # noqa: BLE001 - any unreadable file is no file
            return None

    def load(self, version: str) -> tuple[Dataset, nx.MultiDiGraph[str]] | None:
        """The snapshot and network of ``version``, or None when the file is of another
        version or unreadable."""
        try:
            with _own_file(self.path) as handle:
                if _header(handle) != version:
                    return None
                with collector_paused():  # millions of objects, none of them garbage
                    body = pickle.load(handle)  # noqa: S301 - the server's own file, see the module docstring
                    dataset, parts = decode_view(body)
                    del body  # the columns, before the network is frozen with them
        except Exception:  # noqa: BLE001 - any unreadable file is no file
            return None
        network: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        vars(network).update(parts)
        return dataset, network

    def save_later(self, version: str, dataset: Dataset, network: nx.MultiDiGraph[str]) -> threading.Thread:
        """Write the view of ``version`` in a thread (returned, started); a failure to
        write leaves the old file or none."""
        state = vars(network)
        parts = {name: state[name] for name in _GRAPH_PARTS}
        thread = threading.Thread(target=self._save, args=(version, dataset, parts), daemon=True)
        thread.start()
        return thread

    def _save(self, version: str, dataset: Dataset, parts: dict[str, Any]) -> None:
        if not self._writing.acquire(blocking=False):
            return  # another view is being written: the next build writes again
        try:
            descriptor, name = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name)
        except OSError:
            self._writing.release()
            return
        try:
            with os.fdopen(descriptor, "wb") as handle:
                pickle.dump((FORMAT, version), handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(encode_view(dataset, parts), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(name, self.path)
        except (OSError, pickle.PicklingError, RecursionError, ValueError, KeyError):
            with contextlib.suppress(OSError):
                os.unlink(name)
        finally:
            self._writing.release()


def _own_file(path: Path) -> Any:
    """``path`` opened for reading when it is a regular file of this process's user that
    neither its group nor others may write (not a link); else an OSError."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    status = os.fstat(descriptor)
    if (
        not stat.S_ISREG(status.st_mode)
        or status.st_uid != os.geteuid()
        or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        os.close(descriptor)
        raise PermissionError(f"{path.name} is not the server's own file")
    return os.fdopen(descriptor, "rb")


def _header(handle: Any) -> str | None:
    header = pickle.load(handle)  # noqa: S301 - the server's own file, see the module docstring
    if isinstance(header, tuple) and len(header) == 2 and header[0] == FORMAT and isinstance(header[1], str):
        return header[1]
    return None
