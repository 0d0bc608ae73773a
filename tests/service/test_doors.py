"""One question, one answer, from either front door: for every analysis on the sample,
``pairnet <analysis> ... --format json`` is the API's JSON for the same question, and an
export is the same file whether the CLI or the API wrote it: byte for byte for CSV, and
cell for cell for XLSX but for the "About" sheet's last row, which names the command or URL."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pairnet.cli import app
from pairnet.i18n import set_language
from pairnet.store.store import open_store
from tests.support.api import SAMPLE, client_for

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(autouse=True)
def english_afterwards():
    """The CLI sets the language of the process; leave the tests' default behind."""
    yield
    set_language("en")


# (the CLI's arguments, the API's path and query) asking the same question.
QUESTIONS = [
    (
        "coverage --county 520627 --poverty deeply_poor --as-of 2018-12-31 --by township",
        "/analyses/coverage?county=520627&poverty=deeply_poor&as_of=2018-12-31&by=township",
    ),
    (
        "coverage --kind township --side helped --level township --as-of 2017-06-30 --by level",
        "/analyses/coverage?kind=township&side=helped&level=township&as_of=2017-06-30&by=level",
    ),
    (
        "coverage --two-way --helper-within 320582 --county 520627 --as-of 2018-12-31",
        "/analyses/coverage/two-way?helper_within=320582&county=520627&as_of=2018-12-31",
    ),
    (
        "coverage --schools --county 520627 --as-of 2018-12-31",
        "/analyses/coverage/schools?county=520627&as_of=2018-12-31",
    ),
    (
        "timeline --county 520627 --poverty deeply_poor --year 2017 --date 2018-06-30",
        "/analyses/timeline?county=520627&poverty=deeply_poor&year=2017&date=2018-06-30",
    ),
    (
        "gaps --kind village --poverty deeply_poor --county 520627 --as-of 2017-12-31 --sort name",
        "/analyses/gaps?kind=village&poverty=deeply_poor&county=520627&as_of=2017-12-31&sort=name&limit=1000",
    ),
    (
        "gaps --kind township --as-of 2023-12-31 --status never_paired",
        "/analyses/gaps?kind=township&as_of=2023-12-31&status=never_paired&limit=1000",
    ),
    ("alignment --county 520627 --as-of 2018-12-31", "/analyses/alignment?county=520627&as_of=2018-12-31"),
    ("balance --as-of 2018-12-31 --top 10", "/analyses/balance?as_of=2018-12-31&top=10"),
    (
        "recommend --county 520627 --poverty deeply_poor --as-of 2017-12-31 --capacity 1",
        "/analyses/recommendations?county=520627&poverty=deeply_poor&as_of=2017-12-31&capacity=1",
    ),
    (
        "whatif --withdraw 320582100212 --poverty deeply_poor --as-of 2018-12-31",
        "/analyses/whatif?withdraw=320582100212&poverty=deeply_poor&as_of=2018-12-31",
    ),
    ("flows --by year --by kind --county 520627", "/analyses/flows?by=year&by=kind&county=520627"),
    ("summary --as-of 2018-12-31", "/analyses/summary?as_of=2018-12-31"),
]

# The report names the command or URL that made it on its last sheet; all else is the same.
REPORT = (
    "--lang zh report --county 沿河县 --as-of 2018年12月31日",
    "/analyses/report?county=沿河县&as_of=2018年12月31日&lang=zh",
)


@pytest.fixture(scope="module")
def doors(tmp_path_factory):
    path = tmp_path_factory.mktemp("doors") / "sample.db"
    loaded = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert loaded.exit_code == 0, loaded.output
    store = open_store(str(path))
    yield str(path), client_for(store)
    store.close()


def cli(store: str, arguments: str, *more: str) -> bytes:
    result = runner.invoke(app, [*arguments.split(), *more, "--store", store])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize(
    ("arguments", "url"), QUESTIONS, ids=[q[0].split(" --")[0] + str(i) for i, q in enumerate(QUESTIONS)]
)
def test_the_cli_json_is_the_api_json(doors, arguments, url):
    store, client = doors
    from_cli = json.loads(cli(store, arguments, "--format", "json"))
    response = client.get(url)
    assert response.status_code == 200, response.text
    from_api = response.json()
    if "items" in from_api:  # a page of gaps: the whole list fits on it, beside what was counted
        assert from_api["total"] == len(from_api["items"])
        from_api = {"asked": from_api["asked"], "gaps": from_api["items"]}
    assert from_cli == from_api
    assert from_cli  # not an empty answer that would match anything


def test_every_analysis_route_is_asked_from_both_doors(doors):
    _, client = doors
    paths = client.get("/openapi.json").json()["paths"]
    # The schema lists the versioned paths; the questions here use their unversioned aliases.
    analysis_paths = {path.removeprefix("/api/v1") for path in paths if path.startswith("/api/v1/analyses/")}
    assert len(analysis_paths) >= 11
    assert analysis_paths <= {url.split("?")[0] for _, url in [*QUESTIONS, REPORT]}


@pytest.mark.parametrize(
    ("arguments", "url", "suffix"),
    [
        (QUESTIONS[0][0], QUESTIONS[0][1], "csv"),
        (QUESTIONS[5][0], QUESTIONS[5][1], "xlsx"),
        (QUESTIONS[9][0], QUESTIONS[9][1], "xlsx"),
        (QUESTIONS[-1][0], QUESTIONS[-1][1], "csv"),
    ],
)
def test_an_export_is_the_same_file_from_either_door(doors, tmp_path, arguments, url, suffix):
    store, client = doors
    written = tmp_path / f"answer.{suffix}"
    cli(store, arguments, "--output", str(written))
    response = client.get(f"{url}&format={suffix}")
    assert response.status_code == 200, response.text
    assert len(response.content) > 200  # a real file, not an empty one
    if suffix == "csv":
        assert written.read_bytes() == response.content
        return
    from_cli, from_api = _cells(written.read_bytes()), _cells(response.content)
    assert list(from_cli) == list(from_api) and len(from_cli) == 2 and list(from_cli)[-1] == "About"
    about_cli, about_api = from_cli.pop("About"), from_api.pop("About")
    assert from_cli == from_api
    assert about_cli[:-1] == about_api[:-1]
    assert about_cli[-1][0] == about_api[-1][0] == "Produced by"
    assert about_cli[-1][1].startswith(f"pairnet --lang en {arguments} --output {written}")
    assert about_api[-1][1] == f"{url}&format={suffix}"


def test_the_coverage_file_ends_with_the_total(doors):
    store, client = doors
    lines = client.get(QUESTIONS[0][1] + "&format=csv").content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["group_id", "group", "code"]
    assert lines[-1].split(",")[1:6] == ["total", "", "50", "50", "0"]
    chinese = client.get(QUESTIONS[0][1] + "&format=csv&lang=zh").content.decode("utf-8-sig").splitlines()
    assert chinese[0].split(",")[:3] == ["分组编号", "分组", "编码"]
    assert chinese[-1].split(",")[1:6] == ["合计", "", "50", "50", "0"]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(("arguments", "url"), [QUESTIONS[5], QUESTIONS[9], QUESTIONS[-1]])
def test_a_csv_in_either_language_is_the_same_file_from_either_door(doors, tmp_path, arguments, url, language):
    store, client = doors
    written = tmp_path / "answer.csv"
    cli(store, f"--lang {language} {arguments}", "--output", str(written))
    response = client.get(f"{url}&format=csv&lang={language}")
    assert response.status_code == 200, response.text
    assert written.read_bytes() == response.content
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert bool(re.search(r"[\u4e00-\u9fff]", header)) == (language == "zh"), header


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in workbook}


def test_the_report_is_the_same_workbook_from_either_door(doors, tmp_path):
    store, client = doors
    written = tmp_path / "report.xlsx"
    cli(store, REPORT[0], "--output", str(written))
    response = client.get(REPORT[1])
    assert response.status_code == 200, response.text
    from_cli, from_api = _cells(written.read_bytes()), _cells(response.content)
    assert list(from_cli) == list(from_api) and len(from_cli) == 10
    about_cli, about_api = from_cli.pop("说明"), from_api.pop("说明")
    assert from_cli == from_api
    assert about_cli[:-1] == about_api[:-1]
    assert about_cli[-1][0] == "生成方式"
    assert about_cli[-1][1].startswith(
        f"pairnet --lang zh report --county 沿河县 --as-of 2018-12-31 --output {written}"
    )
    assert about_api[-1][1].startswith("/analyses/report?county=")
