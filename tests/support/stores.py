"""Stores of every kind for tests, and a small dataset with every field used.

A new store kind joins every store test by adding one entry to :data:`STORE_FACTORIES` (a
function of the test's temporary folder that returns an empty, open store).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pairnet.graph.errors import StoreUnavailable
from pairnet.graph.model import Dataset, Flow, Pairing, Source, Unit
from pairnet.store.store import Store, open_store
from tests.support.parallel import require_neo4j_group

# The Neo4j that `scripts/neo4j start` runs (make test starts it); one database, so each
# test erases it first.
NEO4J_URI = os.environ.get("PAIRNET_TEST_NEO4J", "bolt://127.0.0.1:7687")


def sqlite_store(folder: Path) -> Store:
    return open_store(str(folder / "pairnet.db"))


def neo4j_store(folder: Path) -> Store:
    """The shared test Neo4j, emptied. In CI (CI=true) an unreachable Neo4j fails the test.
    Only a test of the ``neo4j`` group may use it (tests/support/parallel.py)."""
    require_neo4j_group()
    try:
        opened = open_store(NEO4J_URI)
    except StoreUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Neo4j is required in CI and is not reachable: {error}")
        pytest.skip(f"Neo4j is not running (start it with scripts/neo4j start): {error}")
    opened.erase()
    return opened


STORE_FACTORIES: dict[str, Callable[[Path], Store]] = {"sqlite": sqlite_store, "neo4j": neo4j_store}


def _src(sheet: str, row: int) -> Source:
    return Source(file="sample.xlsx", sheet=sheet, row=row)


def small_dataset() -> Dataset:
    """Two counties with townships, villages, an enterprise and a park; pairings at four
    levels and flows of three kinds. Every optional field is used at least once."""
    units = (
        Unit(id="320582", code="320582", kind="county", name="张家港市", side="helper", source=_src("units", 2)),
        Unit(
            id="520627",
            code="520627",
            kind="county",
            name="沿河土家族自治县",
            side="helped",
            population=600000,
            source=_src("units", 3),
        ),
        Unit(
            id="320582100",
            code="320582100",
            kind="township",
            name="杨舍镇",
            side="helper",
            parent_id="320582",
            source=_src("units", 4),
        ),
        Unit(
            id="520627110",
            code="520627110",
            kind="township",
            name="中界镇",
            side="helped",
            parent_id="520627",
            valid_from=dt.date(2011, 1, 1),
            valid_to=dt.date(2030, 12, 31),
            source=_src("units", 5),
        ),
        Unit(
            id="520627110201",
            code="520627110201",
            kind="village",
            name="高峰村",
            side="helped",
            parent_id="520627110",
            poverty="deeply_poor",
            population=1800,
            source=_src("units", 6),
        ),
        Unit(
            id="520627110202",
            kind="village",
            name="示例村（占位）",
            side="helped",
            parent_id="520627110",
            poverty="poor",
            placeholder=True,
            note="placeholder name",
            source=_src("units", 7),
        ),
        Unit(
            id="320582001",
            kind="village",
            name="善港村",
            side="helper",
            parent_id="320582100",
            successor_ids=("320582002",),
            source=_src("units", 8),
        ),
        Unit(
            id="320582002",
            kind="village",
            name="善港村（新）",
            side="helper",
            parent_id="320582100",
            source=_src("units", 9),
        ),
        Unit(
            id="u-ent",
            kind="enterprise",
            name="示例国企（占位）",
            side="helper",
            parent_id="320582",
            ownership="state",
            placeholder=True,
            source=_src("units", 10),
        ),
        Unit(
            id="u-park-e",
            kind="park",
            name="张家港经济技术开发区",
            side="helper",
            parent_id="320582",
            rank="national",
            source=_src("units", 11),
        ),
        Unit(
            id="u-park-w",
            kind="park",
            name="沿河经济开发区",
            side="helped",
            parent_id="520627",
            rank="provincial",
            source=_src("units", 12),
        ),
        Unit(
            id="u-school",
            kind="school",
            name="示例小学（占位）",
            side="helped",
            parent_id="520627110",
            stage="primary",
            placeholder=True,
            source=_src("units", 13),
        ),
    )
    pairings = (
        Pairing(
            id="p-county",
            helper_id="320582",
            helped_id="520627",
            level="government",
            program="east-west cooperation",
            start=dt.date(2017, 3, 1),
            agreement="框架协议",
            source=_src("pairings", 2),
        ),
        Pairing(
            id="p-town",
            helper_id="320582100",
            helped_id="520627110",
            level="township",
            start=dt.date(2017, 3, 1),
            end=dt.date(2020, 12, 31),
            source=_src("pairings", 3),
        ),
        Pairing(
            id="p-village",
            helper_id="320582001",
            helped_id="520627110201",
            level="village",
            mode="strong_village",
            start=dt.date(2018, 1, 1),
            source=_src("pairings", 4),
        ),
        Pairing(
            id="p-ent",
            helper_id="u-ent",
            helped_id="520627110202",
            level="enterprise_village",
            mode="state_enterprise",
            placeholder=True,
            note="placeholder",
            source=_src("pairings", 5),
        ),
        Pairing(id="p-park", helper_id="u-park-e", helped_id="u-park-w", level="park", source=_src("pairings", 6)),
    )
    flows = (
        Flow(
            id="f-funds",
            kind="funds",
            amount=6594.0,
            unit_of_measure="万元",
            year=2018,
            from_id="320582",
            to_id="520627",
            pairing_id="p-county",
            project="63 projects",
            source=_src("flows", 2),
        ),
        Flow(
            id="f-cadres",
            kind="cadres_seconded",
            amount=141,
            unit_of_measure="人",
            year=2018,
            from_id="320582",
            to_id="520627",
            source=_src("flows", 3),
        ),
        Flow(
            id="f-donation",
            kind="donation_money",
            amount=508.5,
            unit_of_measure="万元",
            year=2018,
            note="社会捐赠",
            source=_src("flows", 4),
        ),
    )
    return Dataset(units=units, pairings=pairings, flows=flows)
