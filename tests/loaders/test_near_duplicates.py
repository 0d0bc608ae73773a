"""Near-duplicate units (issue 12, A.5): a code one digit off or a name in another width
beside a sibling is a problem naming both rows, in the loader, the CLI and the API, unless
``allow_near_duplicates``; the sample itself has none."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.graph import InvalidInput
from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.api import AUTH, SAMPLE, client_for, upload

runner = CliRunner(env={"COLUMNS": "300"})
HEADER = "code,name,kind,side,parent\n"


@pytest.fixture
def sample_store(tmp_path):
    with open_store(str(tmp_path / "sample.db")) as store:
        import_file(store, SAMPLE)
        yield store


def _typo(folder: Path, code: str = "520627110219") -> Path:
    """高峰村 (520627110217 in the sample) again with a code one digit off."""
    path = folder / code / "units.csv"
    path.parent.mkdir()
    path.write_text(HEADER + f"{code},高峰村,village,helped,520627110\n", encoding="utf-8")
    return path


def _widths(folder: Path) -> Path:
    path = folder / "widths" / "units.csv"
    path.parent.mkdir()
    path.write_text(HEADER + ",AB村,village,helped,520627110\n, ＡＢ村 ,village,helped,520627110\n", encoding="utf-8")
    return path


def test_a_code_one_digit_off_names_both_rows(sample_store, tmp_path):
    with pytest.raises(InvalidInput) as caught:
        import_file(sample_store, _typo(tmp_path))
    (problem,) = caught.value.problems
    assert (Path(problem.file).name, problem.sheet, problem.row, problem.value) == (
        "units.csv",
        "units",
        2,
        "520627110219",
    )
    assert "differs by one digit" in problem.message
    assert "id 520627110217" in problem.message and "沿河土家族自治县/中界镇/高峰村" in problem.message
    assert len(sample_store.snapshot().units) == 965  # nothing written
    report = import_file(sample_store, tmp_path / "520627110219" / "units.csv", allow_near_duplicates=True)
    assert report.counts["units"] == 1 and len(sample_store.snapshot().units) == 966


def test_the_issues_code_renaming_another_village_is_a_near_duplicate(sample_store, tmp_path):
    """520627110218 is 蛟坝村 in the sample: the typo would rename it to a second 高峰村."""
    with pytest.raises(InvalidInput) as caught:
        import_file(sample_store, _typo(tmp_path, "520627110218"))
    assert ["differs by one digit" in p.message for p in caught.value.problems] == [True]


def test_a_name_in_another_width_is_a_near_duplicate_within_one_file(sample_store, tmp_path):
    with pytest.raises(InvalidInput) as caught:
        import_file(sample_store, _widths(tmp_path))
    (problem,) = caught.value.problems
    assert problem.row == 3 and problem.column == "name" and problem.value == "ＡＢ村"
    assert "the same as AB村" in problem.message
    accepted = import_file(sample_store, tmp_path / "widths" / "units.csv", allow_near_duplicates=True)
    assert accepted.counts["units"] == 2


def test_one_file_adding_siblings_of_one_name_one_digit_apart_adds_both(sample_store, tmp_path):
    # The register lists such pairs (干河沟社区, 130402007014 and 130402007018, under 浴新南街道):
    # a file naming both, each with its code, means both. The same typo against the store does not.
    path = tmp_path / "register" / "units.csv"
    path.parent.mkdir()
    rows = "".join(f"{code},干河沟社区,village,helped,520627110\n" for code in ("520627110914", "520627110918"))
    path.write_text(HEADER + rows, encoding="utf-8")
    assert import_file(sample_store, path).counts["units"] == 2
    with pytest.raises(InvalidInput) as caught:
        import_file(sample_store, _typo(tmp_path, "520627110917").with_name("units.csv"))
    assert "differs by one digit" in caught.value.problems[0].message


def test_the_sample_loads_twice_without_near_duplicates(sample_store):
    assert import_file(sample_store, SAMPLE).counts["units"] == 965
    assert import_file(sample_store, SAMPLE, replace=True).counts["units"] == 965


def test_cli_refuses_with_exit_2_and_accepts_with_the_flag(tmp_path):
    store = str(tmp_path / "cli.db")
    assert runner.invoke(app, ["load", str(SAMPLE), "--store", store]).exit_code == 0
    path = _typo(tmp_path)
    refused = runner.invoke(app, ["check", str(path), "--store", store])
    assert refused.exit_code == 2 and "differs by one digit" in refused.output, refused.output
    refused = runner.invoke(app, ["load", str(path), "--store", store])
    assert refused.exit_code == 2 and "520627110217" in refused.output
    accepted = runner.invoke(app, ["load", str(path), "--allow-near-duplicates", "--store", store])
    assert accepted.exit_code == 0, accepted.output


def test_api_refuses_with_422_and_accepts_with_the_parameter(sample_store, tmp_path):
    client = client_for(sample_store)
    path = _widths(tmp_path)
    refused = upload(client, path, headers=AUTH)
    assert refused.status_code == 422
    assert [p["row"] for p in refused.json()["problems"]] == [3]
    accepted = upload(client, path, headers=AUTH, params={"allow_near_duplicates": "true"})
    assert accepted.status_code == 200, accepted.text
