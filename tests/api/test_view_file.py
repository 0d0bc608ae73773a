"""The view file beside a SQLite store: written after a build, used by a starting worker
when it is of the store's version (or brought to it by the delta since), never when stale."""

from __future__ import annotations

from pairnet.api.deps import NetworkCache, StoreHolder, View
from pairnet.api.view_file import ViewFile
from pairnet.graph.model import Dataset, Unit
from pairnet.graph.network import build_network
from pairnet.store.store import open_store


def _units(*ids: str) -> tuple[Unit, ...]:
    return tuple(Unit(id=i, kind="county", name=f"县{i}", side="helped") for i in ids)


def _view(holder: StoreHolder, **settings: int) -> View:
    """The view a new worker starts from, its view file written before it is returned (a
    write left running would land after the test's next step)."""
    cache = NetworkCache(**settings)
    view = cache.view(holder)
    if cache.saving is not None:
        cache.saving.join()
    return view


def _marked(dataset: Dataset) -> tuple[Dataset, object]:
    """``dataset`` with a unit no store holds: a view holding it was read from the file."""
    marked = Dataset(units=(*dataset.units, *_units("only-in-the-file")))
    return marked, build_network(marked)


def test_a_worker_writes_the_view_after_a_build_and_the_next_one_starts_from_it(tmp_path):
    with open_store(str(tmp_path / "store.db")) as store:
        store.write(Dataset(units=_units("a", "b")), source="first")
        holder = StoreHolder(store.uri, store)
        first = NetworkCache()
        built = first.view(holder)
        assert first.saving is not None
        first.saving.join()
        file = ViewFile.beside(store)
        assert file is not None and file.path.name == "store.db.view" and file.version() == store.version()
        started = NetworkCache().view(holder)
        assert started.dataset == built.dataset and list(started.network.nodes(data=True)) == list(
            built.network.nodes(data=True)
        )
        # The file is what the worker read: a file of the same version holding a marked unit shows it.
        file.save_later(store.version(), *_marked(store.snapshot())).join()  # type: ignore[arg-type]
        assert "only-in-the-file" in NetworkCache().view(holder).network


def test_a_stale_view_file_is_never_answered_from(tmp_path):
    with open_store(str(tmp_path / "store.db")) as store:
        store.write(Dataset(units=_units("a", "b")), source="first")
        holder = StoreHolder(store.uri, store)
        file = ViewFile.beside(store)
        assert file is not None
        file.save_later(store.version(), *_marked(store.snapshot())).join()  # type: ignore[arg-type]
        store.write(Dataset(units=_units("c")), source="second")
        # Built again when the delta since the file's version is not to be had (too large here)...
        rebuilt = _view(holder, max_delta=0)
        assert "only-in-the-file" not in rebuilt.network and rebuilt.dataset == store.snapshot()
        # ... brought to the store's version by it when it is: the file's version plus what changed.
        patched = _view(holder)
        assert patched.version == store.version() and "c" in patched.network
        # A file of a version no import made, and one that is not a view, are ignored.
        file.save_later("0-no-such-version", *_marked(store.snapshot())).join()  # type: ignore[arg-type]
        assert "only-in-the-file" not in _view(holder).network
        file.path.write_bytes(b"not a pickle")
        assert file.version() is None and NetworkCache().view(holder).dataset == store.snapshot()


def test_a_view_file_others_may_write_is_ignored(tmp_path):
    with open_store(str(tmp_path / "store.db")) as store:
        store.write(Dataset(units=_units("a", "b")), source="first")
        holder = StoreHolder(store.uri, store)
        file = ViewFile.beside(store)
        assert file is not None
        file.save_later(store.version(), *_marked(store.snapshot())).join()  # type: ignore[arg-type]
        assert file.path.stat().st_mode & 0o777 == 0o600  # written for the server's user alone
        assert "only-in-the-file" in NetworkCache().view(holder).network
        file.path.chmod(0o666)  # anyone may now replace what a worker would unpickle
        assert file.version() is None
        assert "only-in-the-file" not in NetworkCache().view(holder).network
        file.path.chmod(0o600)
        link = tmp_path / "elsewhere.view"
        file.path.rename(link)
        file.path.symlink_to(link)  # a link is not the server's own file either
        assert file.version() is None


def test_a_view_is_written_whole_while_requests_read_its_network(tmp_path):
    # Requests use the network while the file is written; networkx then caches its views
    # (G.nodes, G.adj) among the graph's attributes, which must not break the writing.
    units = _units(*(f"u{i:05}" for i in range(20_000)))
    network = build_network(Dataset(units=units))
    file = ViewFile(tmp_path / "store.db.view")
    for round_ in range(3):
        writing = file.save_later(f"{round_}-a", Dataset(units=units), network)
        while writing.is_alive():
            for cached in ("nodes", "adj", "succ", "pred"):
                vars(network).pop(cached, None)
                getattr(network, cached)
        writing.join()
        loaded = file.load(f"{round_}-a")
        assert loaded is not None and list(loaded[1].nodes(data=True)) == list(network.nodes(data=True))


def test_only_a_sqlite_file_has_a_view_file():
    assert ViewFile.beside(open_store(":memory:")) is None
