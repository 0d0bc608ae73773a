"""The Cypher catalog on Neo4j gives the answers Python computes on the embedded store.

The sample is loaded into both stores; each catalog query runs on Neo4j and its rows are
compared with the same question answered by plain counting over the SQLite snapshot, at
several dates (before the 2018 village modes some deeply poor villages had no partner).
"""

from __future__ import annotations

import datetime as dt
import doctest
from collections import defaultdict

import pytest

import pairnet.store.catalog as catalog
from pairnet.graph.errors import NotFound, StoreError
from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.stores import neo4j_store

SAMPLE = "data/zhangjiagang-yanhe/zhangjiagang-yanhe.xlsx"
HELPER, HELPED = "320582", "520627"
DATES = [None, dt.date(2017, 6, 30), dt.date(2018, 6, 30), dt.date(2019, 12, 31), dt.date(2021, 6, 30)]

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalog")
    neo = neo4j_store(folder)
    import_file(neo, SAMPLE)
    with open_store(str(folder / "pairnet.db")) as lite:
        import_file(lite, SAMPLE)
        snapshot = lite.snapshot()
    yield neo, snapshot
    neo.close()


def active(pairing, as_of) -> bool:
    return as_of is None or (
        (pairing.start is None or pairing.start <= as_of) and (pairing.end is None or as_of <= pairing.end)
    )


def valid(unit, as_of) -> bool:
    return as_of is None or (
        (unit.valid_from is None or unit.valid_from <= as_of) and (unit.valid_to is None or as_of <= unit.valid_to)
    )


def ancestors(units: dict, unit_id: str) -> list[str]:
    chain, current = [], units[unit_id].parent_id
    while current is not None:
        chain.append(current)
        current = units[current].parent_id
    return chain


def test_unpaired_deeply_poor_villages(stores):
    neo, snap = stores
    units = {u.id: u for u in snap.units}
    answers = []
    for as_of in DATES:
        helped = {p.helped_id for p in snap.pairings if active(p, as_of)}
        expected = []
        for village in snap.units:
            if (
                village.kind == "village"
                and village.poverty == "deeply_poor"
                and HELPED in ancestors(units, village.id)
                and valid(village, as_of)
                and village.id not in helped
            ):
                parent = units[village.parent_id]
                township = parent if parent.kind == "township" else None
                expected.append(
                    {
                        "id": village.id,
                        "name": village.name,
                        "township_id": township and township.id,
                        "township": township and township.name,
                    }
                )
        got = catalog.run(neo, "unpaired_deeply_poor_villages", county=HELPED, as_of=as_of)
        assert got == sorted(expected, key=lambda row: row["id"])
        answers.append(len(got))
    assert answers[0] == 0 and max(answers) > 0  # all 50 paired in the end, not from the start


def test_five_in_one(stores):
    neo, snap = stores
    units = {u.id: u for u in snap.units}

    def under(unit_id: str, root: str) -> bool:
        return unit_id == root or root in ancestors(units, unit_id)

    for as_of in DATES:
        per_level: dict[str, list] = defaultdict(list)
        for p in snap.pairings:
            if active(p, as_of) and under(p.helper_id, HELPER) and under(p.helped_id, HELPED):
                per_level[p.level.value].append(p)
        expected = [
            {
                "level": level,
                "pairings": len(ps),
                "helpers": len({p.helper_id for p in ps}),
                "helped": len({p.helped_id for p in ps}),
            }
            for level, ps in sorted(per_level.items())
        ]
        assert catalog.run(neo, "five_in_one", helper=HELPER, helped=HELPED, as_of=as_of) == expected
    assert len(expected) >= 5  # the five levels, at least


def test_pairings_of_a_unit_at_every_level(stores):
    neo, snap = stores
    units = {u.id: u for u in snap.units}
    paired_villages = sorted({p.helped_id for p in snap.pairings if units[p.helped_id].kind == "village"})
    for unit_id in [paired_villages[0], paired_villages[-1], HELPED, HELPER]:
        for as_of in (None, dt.date(2018, 6, 30)):
            expected = []
            for depth, holder in enumerate([unit_id, *ancestors(units, unit_id)]):
                for p in snap.pairings:
                    if holder in (p.helper_id, p.helped_id) and active(p, as_of):
                        role = "helper" if p.helper_id == holder else "helped"
                        partner = units[p.helped_id if role == "helper" else p.helper_id]
                        expected.append(
                            {
                                "depth": depth,
                                "unit_id": holder,
                                "unit": units[holder].name,
                                "unit_kind": units[holder].kind.value,
                                "role": role,
                                "partner_id": partner.id,
                                "partner": partner.name,
                                "pairing_id": p.id,
                                "level": p.level.value,
                                "mode": p.mode and p.mode.value,
                                "start": p.start,
                                "end": p.end,
                            }
                        )
            expected.sort(key=lambda row: (row["depth"], row["level"], row["pairing_id"]))
            assert catalog.run(neo, "pairings_of_unit", unit=unit_id, as_of=as_of) == expected
    village_rows = catalog.run(neo, "pairings_of_unit", unit=paired_villages[0], as_of=None)
    assert {row["depth"] for row in village_rows} >= {0, 2}  # its own pairing and its county's


def test_partner_load(stores):
    neo, snap = stores
    units = {u.id: u for u in snap.units}
    for as_of in DATES:
        for level in (None, "village", "school"):
            load: dict[str, list] = defaultdict(list)
            for p in snap.pairings:
                if active(p, as_of) and (level is None or p.level == level):
                    load[p.helper_id].append(p.helped_id)
            expected = [
                {
                    "id": h,
                    "name": units[h].name,
                    "kind": units[h].kind.value,
                    "pairings": len(helped),
                    "partners": len(set(helped)),
                }
                for h, helped in load.items()
            ]
            expected.sort(key=lambda row: (-row["pairings"], row["id"]))
            assert catalog.run(neo, "partner_load", as_of=as_of, level=level) == expected
    assert expected[0]["pairings"] > 1


def test_coverage_per_township(stores):
    neo, snap = stores
    units = {u.id: u for u in snap.units}
    for as_of in DATES:
        active_pairings = [p for p in snap.pairings if active(p, as_of)]
        helped = {p.helped_id for p in active_pairings}
        touched = helped | {p.helper_id for p in active_pairings}
        expected = []
        for township in snap.units:
            if township.kind != "township" or township.parent_id != HELPED:
                continue
            villages = [u for u in snap.units if u.kind == "village" and township.id in ancestors(units, u.id)]
            deep = [v for v in villages if v.poverty == "deeply_poor"]
            expected.append(
                {
                    "id": township.id,
                    "name": township.name,
                    "villages": len(villages),
                    "paired_villages": sum(v.id in helped for v in villages),
                    "deeply_poor": len(deep),
                    "deeply_poor_paired": sum(v.id in helped for v in deep),
                    "township_paired": township.id in touched,
                }
            )
        expected.sort(key=lambda row: row["id"])
        assert catalog.run(neo, "coverage_per_township", county=HELPED, as_of=as_of) == expected
    assert len(expected) >= 22 and sum(row["deeply_poor"] for row in expected) == 50


def test_parameters_are_checked(stores):
    neo, _ = stores
    with pytest.raises(StoreError, match="missing as_of"):
        catalog.run(neo, "unpaired_deeply_poor_villages", county=HELPED)
    with pytest.raises(StoreError, match="unknown counti"):
        catalog.run(neo, "unpaired_deeply_poor_villages", county=HELPED, as_of=None, counti=HELPED)
    with pytest.raises(NotFound, match="no catalog query"):
        catalog.load("drop_everything")


def test_every_query_is_documented_and_read_only():
    for name in catalog.names():
        info = catalog.describe(name)
        assert info["summary"] and info["parameters"]
        text = catalog.load(name).upper()
        assert not any(word in text for word in ("CREATE ", "MERGE ", "DELETE ", "SET ", "REMOVE "))


def test_catalog_doctests():
    assert doctest.testmod(catalog).failed == 0
