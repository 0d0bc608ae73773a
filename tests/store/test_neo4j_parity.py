"""Parity: the sample loaded into SQLite and into Neo4j gives identical snapshots (every
field and the provenance file, sheet and row), identical import histories, and identical
answers from the analyses; also after a second import that replaces part of the data."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from pairnet.graph.balance import balance
from pairnet.graph.coverage import coverage
from pairnet.graph.full_coverage import two_way_coverage
from pairnet.graph.gaps import gaps
from pairnet.graph.network import build_network
from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.stores import neo4j_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
HELPED = "520627"

pytestmark = pytest.mark.neo4j


def content(dataset) -> dict:
    """Every field of every record; of the provenance only what is not per-store."""

    def plain(record) -> dict:
        data = record.model_dump()
        data["source"] = {k: data["source"][k] for k in ("file", "sheet", "row")}
        return data

    return {name: [plain(r) for r in getattr(dataset, name)] for name in ("units", "pairings", "flows")}


def history(store) -> list[tuple]:
    return [(i.source, i.written, i.removed) for i in store.imports()]


def answers(dataset) -> dict:
    G = build_network(dataset)
    day = dt.date(2018, 6, 30)
    return {
        "coverage": coverage(G, kind="village", poverty="deeply_poor", within=HELPED, as_of=day, by="township"),
        "two_way": two_way_coverage(G, level="township"),
        "gaps": gaps(G, kind="village", poverty="deeply_poor", within=HELPED, as_of=day),
        "balance": balance(G),
    }


@pytest.fixture
def both(tmp_path):
    neo = neo4j_store(tmp_path)
    lite = open_store(str(tmp_path / "pairnet.db"))
    yield lite, neo
    lite.close()
    neo.close()


def a_second_file(folder: Path) -> Path:
    """The sample's pairings.csv without its first ten rows and with one renamed note."""
    source = SAMPLE.parent / "pairings.csv"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[11:]
    body[0][header.index("note")] = "改过的备注"
    target = folder / "pairings.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    return target


def test_sample_gives_identical_snapshots_histories_and_answers(both, tmp_path):
    lite, neo = both
    for store in both:
        import_file(store, SAMPLE)
    first = lite.snapshot()
    assert first.counts()["units"] > 900 and first.counts()["pairings"] > 150
    assert content(neo.snapshot()) == content(first)
    assert history(neo) == history(lite)
    assert answers(neo.snapshot()) == answers(first)
    # The per-field marks of the sample (its README's assumptions) come back from both.
    for store in both:
        marked = {u.id: u.assumed for u in store.snapshot().units if u.poverty}
        assert len(marked) == 52 and set(marked.values()) == {("poverty",)}
        assert sum("start" in p.assumed for p in store.snapshot().pairings) > 150

    second = a_second_file(tmp_path)
    for store in both:
        import_file(store, second, source="pairings.csv", replace=True, confirm=True)
        import_file(store, second, source="pairings.csv", replace=True, confirm=True)  # again: the same state
    assert content(neo.snapshot()) == content(lite.snapshot())
    assert history(neo) == history(lite)
    assert history(lite)[-1][1]["pairings"] == first.counts()["pairings"] - 10
    assert answers(neo.snapshot()) == answers(lite.snapshot())
