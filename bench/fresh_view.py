"""A running server after a write, and a server starting (issue "National scale without
waiting", items 3 and 4).

- A fresh answer after a 1,000-row import: on a copy of the store the load benchmark filled,
  a server's whole view (:class:`api.deps.NetworkCache`) is built and, as on a running
  server, has answered a question (another county's gaps); 1,000 pairings are written
  (existing ones with a changed note, every other one also ended at the end of 2025, so
  that what is covered changes), and the time to the next answer on the whole
  network (one county's gaps) is measured: the view patched with the import's delta, and
  the answer (the patched network's indexes derived from the previous ones,
  :mod:`graph.index_patch`). Baseline: building the network again from a snapshot, and
  the same answer. Goal: at most 1 s at national scale.
- Cold start: the whole view read from the view file a server wrote beside the store
  (:mod:`api.view_file`), in a fresh process, against reading the store and building the
  network there. Goal: at most 6 s and 1.5 GiB at national scale.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pairnet.api.deps import NetworkCache, StoreHolder
from pairnet.api.view_file import ViewFile
from pairnet.graph.model import Dataset, Kind
from pairnet.graph.network import build_network
from pairnet.service import analyses, question
from pairnet.store.store import open_store

from .common import Context, Row, in_child, timed

__all__ = ["run"]

GIB = 2**30
EDITED = 1000
ENDED = dt.date(2025, 12, 31)


def _counties(G) -> list[str]:
    """The first two helped counties: the question asked after the write, and the one
    asked before."""
    return [n for n, kind in G.nodes(data="kind") if kind == Kind.COUNTY and n.startswith("52")][:2]


def _answer(G, county: str) -> int:
    return len(analyses.gaps(G, question(G, county=county)).result["gaps"])


def _from_file(path: str) -> int:
    """A starting server's whole view (from the view file when there is one; the file is
    written when there was none)."""
    with open_store(path) as store:
        cache = NetworkCache()
        view = cache.view(StoreHolder(store.uri, store))
        if cache.saving is not None:
            cache.saving.join()
    return len(view.network)


def _built(path: str) -> int:
    with open_store(path) as store:
        return len(build_network(store.snapshot()))


def run(ctx: Context) -> list[Row]:
    path = Path(ctx.work / "fresh.db")
    shutil.copy(ctx.shared["sqlite"], path)
    national = ctx.scale == "national"
    # Cold start first, in fresh processes, before this one holds a network (a child's peak
    # memory starts at its parent's).
    build_seconds, build_peak, built_units = in_child(_built, str(path))
    in_child(_from_file, str(path))  # builds, and writes the view file
    assert ViewFile(path.with_name(path.name + ".view")).version() is not None, "the server wrote its view file"
    file_seconds, file_peak, loaded = in_child(_from_file, str(path))
    assert loaded == built_units
    rows = [
        Row(
            "fresh",
            f"cold start: whole network of {loaded:,} units from the view file",
            file_seconds,
            "s",
            "snapshot + build_network",
            build_seconds,
            limit=6.0 if national else None,
            goal_text="≤ 6 s at national scale",
        ),
        Row(
            "fresh",
            "cold start: peak memory of the process",
            file_peak / GIB,
            "GiB",
            "snapshot + build_network",
            build_peak / GIB,
            limit=1.5 if national else None,
            goal_text="≤ 1.5 GiB at national scale",
        ),
    ]
    with open_store(str(path)) as store:
        holder = StoreHolder(store.uri, store)
        cache = NetworkCache()
        view = cache.view(holder)
        county, asked_before = _counties(view.network)
        _answer(view.network, asked_before)  # a running server has answered questions
        edited = tuple(
            p.model_copy(update={"note": "bench", **({"end": ENDED} if i % 2 and (p.start or ENDED) <= ENDED else {})})
            for i, p in enumerate(view.dataset.pairings[:EDITED])
        )
        store.write(Dataset(pairings=edited), source="bench-fresh")
        patch_seconds, patched_view = timed(lambda: cache.view(holder))
        answer_seconds, patched = timed(lambda: _answer(patched_view.network, county))
        built_seconds, built = timed(lambda: _answer(build_network(store.snapshot()), county))
        assert patched == built, "the patched view answers as the built one"
        rows.append(
            Row(
                "fresh",
                f"API: whole-network answer after a {len(edited):,}-row import (view patched with the delta)",
                patch_seconds + answer_seconds,
                "s",
                "network built again",
                built_seconds,
                limit=1.0 if national else None,
                goal_text="≤ 1 s at national scale",
                note=f"patch {patch_seconds:.2f} s + one county's gaps ({built} gaps) {answer_seconds:.2f} s",
            )
        )
    return rows
