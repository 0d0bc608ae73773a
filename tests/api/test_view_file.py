"""The view file beside a SQLite store: written after a build, used by a starting worker
when it is of the store's version (or brought to it by the delta since), never when stale;
the view read from it is the one built, down to the order of nodes, neighbours and keys,
on the province set."""

from __future__ import annotations

import datetime as dt

import pytest

from pairnet.api.deps import NetworkCache, StoreHolder, View
from pairnet.api.view_columns import NO_NEIGHBOURS, decode_view, encode_view
from pairnet.api.view_file import ViewFile
from pairnet.graph.model import Dataset, Flow, Kind, Pairing, Unit
from pairnet.graph.network import build_network
from pairnet.service import analyses, question
from pairnet.store.store import open_store
from tests.support.province import load_province


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


def _same_view(read: View, built: View) -> None:
    """Equal down to each record's fields, the fields it was given, the order of nodes,
    neighbours and keys, and which objects are one (a node's unit is the dataset's)."""
    assert read.dataset == built.dataset
    for kind in ("units", "pairings", "flows"):
        for mine, theirs in zip(getattr(read.dataset, kind), getattr(built.dataset, kind), strict=True):
            assert type(mine) is type(theirs) and list(mine.__dict__.items()) == list(theirs.__dict__.items())
            assert mine.model_fields_set == theirs.model_fields_set
        for mine, theirs in zip(getattr(read.dataset, kind)[:100], getattr(built.dataset, kind)[:100], strict=True):
            assert mine.model_dump_json() == theirs.model_dump_json()
    G, H = read.network, built.network
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert [list(G.nodes[n]) for n in G] == [list(H.nodes[n]) for n in H]
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    assert [list(G.pred[n].items()) for n in G] == [list(H.pred[n].items()) for n in H]
    assert G.graph == H.graph and list(G.graph) == list(H.graph)
    units = {id(u) for u in read.dataset.units}
    assert all(id(data["unit"]) in units for _, data in G.nodes(data=True) if "unit" in data)
    succ, pred = vars(G)["_succ"], vars(G)["_pred"]
    assert all(succ[u][v] is pred[v][u] for u, v in G.edges())  # one keyed dictionary, as networkx keeps it


@pytest.fixture(scope="module")
def province_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    with open_store(str(folder / "store.db")) as store:
        load_province(store, folder)
        yield store


def test_the_view_read_from_the_file_is_the_built_one_on_the_province_set(province_store):
    holder = StoreHolder(province_store.uri, province_store)
    built = _view(holder)  # built, and written to the file
    file = ViewFile.beside(province_store)
    assert file is not None and file.version() == province_store.version()
    read = NetworkCache().view(holder)
    assert read.network is not built.network
    _same_view(read, built)
    # Equal values are one object: every record of an import has the same time.
    assert len({id(u.source.imported_at) for u in read.dataset.units}) == 1
    county = next(n for n, kind in read.network.nodes(data="kind") if kind == Kind.COUNTY and n.startswith("52"))
    asked = question(built.network, county=county, as_of=dt.date(2020, 12, 31))
    assert analyses.gaps(read.network, asked).document() == analyses.gaps(built.network, asked).document()
    # A record read from the file changes as a built one does (its set of given fields is its own).
    unit = read.dataset.units[0]
    changed = unit.model_copy(update={"note": "改"})
    assert changed.note == "改" and unit.note != "改" and "note" in changed.model_fields_set
    assert changed.model_fields_set is not unit.model_fields_set


def test_a_view_read_from_the_file_is_patched_and_written_again_as_built(province_store):
    holder = StoreHolder(province_store.uri, province_store)
    file = ViewFile.beside(province_store)
    assert file is not None and file.version() == province_store.version()  # written by the test above
    cache = NetworkCache()
    before = cache.view(holder)
    lonely = [n for n, neighbours in vars(before.network)["_succ"].items() if neighbours is NO_NEIGHBOURS]
    assert len(lonely) > len(before.network) // 2  # read from the file: one empty mapping for most units
    edited = tuple(p.model_copy(update={"note": "view-file"}) for p in before.dataset.pairings[:50])
    # A pairing between two units that had none: their read-only empty neighbours are replaced.
    new = Pairing(id="p-new", helper_id=lonely[0], helped_id=lonely[1], level="enterprise_village")
    province_store.write(Dataset(pairings=(*edited, new), units=_units("new-county")), source="patch")
    patched = cache.view(holder)
    assert patched.version == province_store.version() and "new-county" in patched.network
    snapshot = province_store.snapshot()
    _same_view(patched, View(version=patched.version, dataset=snapshot, network=build_network(snapshot)))
    assert list(patched.network.successors(lonely[0])) == [lonely[1]]
    file.save_later(patched.version, patched.dataset, patched.network).join()
    _same_view(NetworkCache().view(holder), patched)


def test_nodes_and_edges_of_other_shapes_are_kept_as_they_are(tmp_path):
    # A pairing whose helper is no unit: a build gives it a bare node, with no attributes.
    units = _units("a", "b")
    pairing = Pairing(id="p", helper_id="nowhere", helped_id="a", level="government")
    flow = Flow(id="f", kind="funds", amount=-0.0, from_id="nowhere", to_id="a")
    dataset = Dataset(units=units, pairings=(pairing,), flows=(flow,))
    network = build_network(dataset)
    network.nodes["b"]["marked"] = True  # an attribute no build gives
    file = ViewFile(tmp_path / "store.db.view")
    file.save_later("1-a", dataset, network).join()
    loaded = file.load("1-a")
    assert loaded is not None
    built = View(version="1-a", dataset=dataset, network=network)
    _same_view(View(version="1-a", dataset=loaded[0], network=loaded[1]), built)
    assert loaded[1].nodes["nowhere"] == {} and loaded[1].nodes["b"]["marked"] is True
    assert str(loaded[0].flows[0].amount) == "-0.0"


def test_a_file_of_records_with_other_fields_is_no_file(tmp_path):
    dataset = Dataset(units=_units("a", "b"))
    parts = {name: vars(build_network(dataset))[name] for name in ("_node", "_succ", "_pred", "graph")}
    assert decode_view(encode_view(dataset, parts))[0] == dataset  # as written: read
    body = encode_view(dataset, parts)
    body["units"]["fields"] = (*body["units"]["fields"], "added")
    with pytest.raises(ValueError, match="Unit"):
        decode_view(body)
