"""A network patched with what changed is the network built again: on the province set,
after a seeded random sequence of imports (edited pairings, new units, pairings and flows,
moved villages), replaces and reverts, the server's incrementally updated view (dataset,
nodes, edges, neighbour order, sides, children, flows) equals a view built from a whole
snapshot, and answers the same. So do the patched view's indexes, derived from the
previous view's (graph.index_patch) with questions asked before each write as a server's
users would: coverage by county, gaps of a few counties on two dates and in a program."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from pairnet.api.deps import NetworkCache, StoreHolder
from pairnet.graph.errors import InvalidInput
from pairnet.graph.index import NetworkIndex, network_index
from pairnet.graph.model import Dataset, Flow, FlowKind, Kind, Level, Pairing, Side, Unit
from pairnet.graph.network import build_network
from pairnet.imports import import_dataset
from pairnet.revert import RevertRefused, revert_import
from pairnet.service import CoverageBy, analyses, question
from pairnet.store.store import Store, open_store
from tests.support.province import copy_of

DAY = dt.date(2020, 12, 31)
DAYS = (DAY, dt.date(2019, 6, 30))
PROGRAM = "携手奔小康"


def _same_network(patched: nx.MultiDiGraph, built: nx.MultiDiGraph) -> None:
    """Equal down to the order of nodes, neighbours and keys (analyses iterate in it)."""
    assert list(patched.nodes(data=True)) == list(built.nodes(data=True))
    assert list(patched.edges(keys=True, data=True)) == list(built.edges(keys=True, data=True))
    assert [list(patched.pred[n].items()) for n in patched] == [list(built.pred[n].items()) for n in built]
    assert patched.graph["children"] == built.graph["children"]
    assert patched.graph["flows"] == built.graph["flows"]


class Sequence:
    """Random writes to a store, each a real import (checked as a user's would be) or revert."""

    def __init__(self, store: Store, seed: int):
        self.store = store
        self.rng = random.Random(seed)
        self.n = 0
        self.added: dict[str, Dataset] = {}  # source → what it imported

    def _import(self, dataset: Dataset, source: str, *, replace: bool = False) -> bool:
        try:
            import_dataset(
                self.store, dataset, source=source, replace=replace, confirm=True, allow_near_duplicates=True
            )
        except InvalidInput:
            return False
        return True

    def edit_pairings(self, known: Dataset) -> bool:
        helpers: dict[Level, set[str]] = {}
        for p in known.pairings:
            helpers.setdefault(p.level, set()).add(p.helper_id)
        edited = []
        for p in self.rng.sample(known.pairings, 30):
            update: dict[str, Any] = {"end": self.rng.choice([None, dt.date(2021, 12, 31)])}
            if self.rng.random() < 0.5:  # another helper of the level: the edge moves
                update["helper_id"] = self.rng.choice(sorted(helpers[p.level]))
            edited.append(p.model_copy(update=update))
        return self._import(Dataset(pairings=tuple(edited)), f"edit-{self.n}")

    def add_units(self, known: Dataset) -> bool:
        townships = [u for u in known.units if u.kind == Kind.TOWNSHIP]
        helpers = [p.helper_id for p in known.pairings if p.level == Level.VILLAGE]
        units, pairings, flows = [], [], []
        for k in range(6):
            township = self.rng.choice(townships)
            side = self.rng.choice([None, Side.HELPED, Side.HELPER])
            village = Unit(
                id=f"x{self.n}-{k}", kind=Kind.VILLAGE, name=f"新{self.n}村{k}", parent_id=township.id, side=side
            )
            units.append(village)
            if k % 2 == 0:
                pairing = Pairing(
                    id=f"xp{self.n}-{k}",
                    helper_id=self.rng.choice(helpers),
                    helped_id=village.id,
                    level=Level.VILLAGE,
                    start=dt.date(2018, 1, 1),
                )
                pairings.append(pairing)
                flows.append(
                    Flow(
                        id=f"xf{self.n}-{k}",
                        kind=FlowKind.FUNDS,
                        amount=10.0 + k,
                        year=2019,
                        from_id=pairing.helper_id,
                        to_id=village.id,
                        pairing_id=pairing.id,
                    )
                )
        dataset = Dataset(units=tuple(units), pairings=tuple(pairings), flows=tuple(flows))
        source = f"add-{self.n}"
        if self._import(dataset, source):
            self.added[source] = dataset
            return True
        return False

    def replace_added(self, known: Dataset) -> bool:
        if not self.added:
            return False
        source = self.rng.choice(sorted(self.added))
        dataset = self.added[source]
        # Keep the paired villages with their pairings and flows, drop half the others.
        paired = {p.helped_id for p in dataset.pairings}
        units = tuple(u for i, u in enumerate(dataset.units) if u.id in paired or i % 4 == 1)
        kept = Dataset(units=units, pairings=dataset.pairings[1:], flows=tuple(f for f in dataset.flows[1:]))
        return self._import(kept, source, replace=True)

    def move_villages(self, known: Dataset) -> bool:
        townships = [u.id for u in known.units if u.kind == Kind.TOWNSHIP]
        villages = [u for u in known.units if u.kind == Kind.VILLAGE and not u.successor_ids]
        moved = [v.model_copy(update={"parent_id": self.rng.choice(townships)}) for v in self.rng.sample(villages, 10)]
        return self._import(Dataset(units=tuple(moved)), f"move-{self.n}")

    def revert_latest(self, known: Dataset) -> bool:
        latest = self.store.imports()[-1]
        if latest.source == "province":
            return False
        try:
            revert_import(self.store, latest.import_id, confirm=True)
        except RevertRefused:
            return False
        return True

    def plan(self) -> list[Callable[[Dataset], bool]]:
        """Every kind of write, some twice, in a random order (a revert may then undo any of them)."""
        steps: list[Callable[[Dataset], bool]] = [
            self.edit_pairings,
            self.add_units,
            self.add_units,
            self.replace_added,
            self.move_villages,
        ]
        steps += [self.revert_latest, self.revert_latest, self.rng.choice(steps)]
        self.rng.shuffle(steps)
        return steps


@pytest.fixture(scope="module")
def province_store(province_database, tmp_path_factory):
    """A copy of the session's province store (tests/conftest.py): this module imports into it."""
    with open_store(str(copy_of(province_database, tmp_path_factory.mktemp("province")))) as store:
        yield store


def test_the_view_patched_after_random_imports_replaces_and_reverts_is_the_built_one(province_store):
    holder = StoreHolder(province_store.uri, province_store)
    cache = NetworkCache()
    view = cache.view(holder)
    writes = Sequence(province_store, seed=18)
    done: list[str] = []
    county = next(n for n, kind in view.network.nodes(data="kind") if kind == Kind.COUNTY and n.startswith("52"))
    for step in writes.plan():
        writes.n += 1
        if not step(view.dataset):
            continue
        name = step.__name__
        done.append(name)
        before, view = view, cache.view(holder)
        assert view.version == province_store.version() != before.version
        # Patched, not built: the untouched province node is the same object as before.
        assert view.network.nodes["52"] is before.network.nodes["52"], name
        snapshot = province_store.snapshot()
        assert view.dataset == snapshot, name
        built = build_network(snapshot)
        _same_network(view.network, built)
        asked = question(built, county=county, as_of=DAY)
        assert analyses.gaps(view.network, asked).document() == analyses.gaps(built, asked).document()
        assert analyses.summary(view.network, as_of=DAY).document() == analyses.summary(built, as_of=DAY).document()
    # Every kind of write happened, several times in all.
    assert {"edit_pairings", "add_units", "replace_added", "move_villages", "revert_latest"} <= set(done), done
    assert len(done) >= 6, done


def _questions(G: nx.MultiDiGraph, counties: list[str]) -> list[object]:
    """The answers a server gives (documents): gaps of a few counties (on two dates, in
    one program), coverage of the whole network by county."""
    answers: list[object] = [analyses.gaps(G, question(G, county=c, as_of=DAYS[0])).document() for c in counties]
    answers.append(analyses.gaps(G, question(G, county=counties[0], as_of=DAYS[1])).document())
    answers.append(analyses.gaps(G, question(G, county=counties[1], program=PROGRAM)).document())
    answers.append(analyses.coverage(G, question(G, as_of=DAYS[0]), by=CoverageBy("county")).document())
    return answers


def _same_index(derived: NetworkIndex, built: NetworkIndex) -> None:
    assert derived.ids == built.ids
    assert derived._groups == built._groups
    assert derived.edges == built.edges
    assert derived.incident == built.incident
    assert derived.with_successors == built.with_successors
    assert derived._dated == built._dated
    assert derived.sides(PROGRAM) == built.sides(PROGRAM)
    for day in DAYS:
        assert derived.active(as_of=day) == built.active(as_of=day)
        assert derived.invalid(day) == built.invalid(day)


def test_indexes_derived_after_random_imports_replaces_and_reverts_are_the_built_ones(province_store):
    holder = StoreHolder(province_store.uri, province_store)
    cache = NetworkCache()
    view = cache.view(holder)
    counties = sorted(n for n, kind in view.network.nodes(data="kind") if kind == Kind.COUNTY and n.startswith("52"))
    asked = counties[::9][:3]
    writes = Sequence(province_store, seed=2018)
    done: list[str] = []
    carried = 0
    for step in writes.plan():
        _questions(view.network, asked)  # a running server has answered questions
        writes.n += 1
        if not step(view.dataset):
            continue
        done.append(step.__name__)
        before, view = view, cache.view(holder)
        previous = {id(answer) for _, answer in network_index(before.network).kept()}
        derived = network_index(view.network)
        # Answers still right after the write are the previous network's, not made again.
        carried += sum(1 for _, answer in derived.kept() if id(answer) in previous)
        built = build_network(province_store.snapshot())
        _same_index(derived, NetworkIndex(built))
        assert _questions(view.network, asked) == _questions(built, asked), step.__name__
    assert len(done) >= 5, done
    assert carried > 0
