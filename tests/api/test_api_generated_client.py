"""A client generated from the app's own /openapi.json with openapi-python-client (issue 19),
as another tool's author would make it: every documented operation is called through the
generated code against the sample, and answers with its documented, typed result.

openapi-python-client parses one media type per status (JSON where there is a choice), so
CSV and XLSX downloads are asked for with the generated request (its ``_get_kwargs``: path,
``format`` or ``Accept``) on the generated client's own HTTP client; the report, a workbook
only, goes through the generated call entirely (its media type read as bytes).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from tests.support.api import ROOT, TOKEN, load_sample
from tests.support.stores import sqlite_store

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONFIG = f"""\
project_name_override: pairnet_client
package_name_override: pairnet_client
post_hooks: []
content_type_overrides:
  {XLSX}: application/octet-stream
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Any, Any]]:
    folder = tmp_path_factory.mktemp("generated-client")
    store = sqlite_store(folder)
    load_sample(store)
    app = create_app(Settings(store=store.uri, token=TOKEN), store=store)
    http = TestClient(app, base_url="http://testserver")
    (folder / "openapi.json").write_text(json.dumps(http.get("/openapi.json").json()), encoding="utf-8")
    (folder / "config.yaml").write_text(CONFIG, encoding="utf-8")
    run = subprocess.run(
        [str(GENERATOR), "generate", "--path", "openapi.json", "--config", "config.yaml", "--meta", "none"]
        + ["--output-path", "pairnet_client"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout, run.stdout  # every operation and response generated
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module("pairnet_client")
        reader = package.Client(base_url="http://testserver")
        reader.set_httpx_client(http)
        writer = package.AuthenticatedClient(base_url="http://testserver", token=TOKEN)
        writer.set_httpx_client(
            TestClient(app, base_url="http://testserver", headers={"Authorization": f"Bearer {TOKEN}"})
        )
        yield package, reader, writer
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("pairnet_client")]:
            del sys.modules[name]
        store.close()


def _operation(package: ModuleType, tag: str, name: str) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


def _models(package: ModuleType) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.models")


def test_every_documented_operation_answers_through_the_generated_client(generated) -> None:  # noqa: PLR0915
    package, reader, writer = generated
    m = _models(package)
    day = dt.date(2018, 12, 31)
    calls: dict[str, tuple[Any, dict[str, Any], type]] = {
        "get_service": (reader, {}, m.ServiceInfo),
        "list_units": (
            reader,
            {"kind": m.Kind.VILLAGE, "within": "520627", "as_of": day, "limit": 5},
            m.PageListedUnit,
        ),
        "get_unit": (reader, {"ref": "520627110", "as_of": day}, m.UnitDetail),
        "list_pairings": (reader, {"level": m.Level.GOVERNMENT, "active_on": day}, m.PageListedPairing),
        "get_pairing": (reader, {"pairing_id": "p-9bfd7300d2766772"}, m.PairingDetail),
        "list_flows": (reader, {"year": 2017, "limit": 3}, m.PageListedFlow),
        "get_flow": (reader, {"flow_id": "f-92687b455a170dc1"}, m.FlowDetail),
        "get_coverage": (
            reader,
            {"scope": "520627", "as_of": day, "poverty": [m.Poverty.DEEPLY_POOR]},
            m.CoverageResult,
        ),
        "get_two_way_coverage": (
            reader,
            {"scope": "520627", "helper_within": "320582", "as_of": day},
            m.TwoWayCoverageResult,
        ),
        "get_school_coverage": (reader, {"scope": "520627", "as_of": day}, m.SchoolCoverageResult),
        "get_coverage_timeline": (reader, {"scope": "520627", "date": [day], "year": [2017]}, list),
        "get_gaps": (reader, {"scope": "520627", "as_of": day, "status": [m.GapStatus.NEVER_PAIRED]}, m.GapsPage),
        "get_alignment": (reader, {"scope": "520627", "as_of": day}, m.AlignmentResult),
        "get_balance": (reader, {"as_of": day, "top": 3}, m.BalanceResult),
        "get_recommendations": (reader, {"scope": "520627", "as_of": dt.date(2017, 12, 31)}, m.RecommendationResult),
        "get_what_if": (reader, {"withdraw": ["320582"], "as_of": day, "scope": "520627"}, m.WhatIfResult),
        "get_flow_rollup": (reader, {"by": [m.RollupKey.YEAR]}, list),
        "get_summary": (reader, {"as_of": day}, m.SummaryResult),
        "list_imports": (reader, {}, m.PageImportRecord),
        "list_people": (writer, {}, list),
        "list_problem_types": (reader, {}, type(None)),
        "get_problem_type": (reader, {"name": "invalid-request"}, type(None)),
        "get_map_index": (reader, {}, type(None)),
        "search_map_units": (reader, {"q": "中界"}, list),
        "get_five_in_one_map": (reader, {"helper": "320582", "helped": "520627", "as_of": day}, type(None)),
        "get_unit_map": (reader, {"ref": "520627", "as_of": day}, type(None)),
        "get_gaps_map": (reader, {"within": "520627", "as_of": day}, type(None)),
        "get_national_map": (reader, {"as_of": day}, type(None)),
        "get_geo_map": (reader, {"as_of": day}, type(None)),
    }
    schema = reader.get_httpx_client().get("/openapi.json").json()
    operations = {
        operation["operationId"]: (operation["tags"][0], path, method)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    writes = {
        "createImport",
        "revertImport",
        "createPerson",
        "revokePerson",
        "getReport",
        "createPairing",
        "endPairing",
        "acceptSuggestion",
        "getImport",
    }
    called = {_camel(name) for name in calls}
    assert called | writes == set(operations), "every documented operation is called here"
    for name, (client, arguments, expected) in calls.items():
        tag = operations[_camel(name)][0]
        answer = _operation(package, tag, name).sync_detailed(client=client, **arguments)
        assert answer.status_code == 200, (name, answer.content[:500])
        if expected is type(None):  # an HTML page: the generated call returns its body unparsed
            assert answer.headers["content-type"].startswith("text/html"), name
        else:
            assert isinstance(answer.parsed, expected), (name, type(answer.parsed))

    report = _operation(package, "analyses", "get_report").sync_detailed(client=reader, county="520627", as_of=day)
    assert report.status_code == 200 and openpyxl.load_workbook(io.BytesIO(report.content)).sheetnames

    upload = _operation(package, "imports", "create_import")
    sample = ROOT / "data/zhangjiagang-yanhe/zhangjiagang-yanhe.xlsx"
    with sample.open("rb") as handle:
        body = m.CreateImportBody(file=package.types.File(payload=handle, file_name=sample.name, mime_type=XLSX))
        checked = upload.sync_detailed(client=writer, body=body, dry_run=True)
    assert checked.status_code == 200 and isinstance(checked.parsed, m.ImportResult) and checked.parsed.dry_run
    # The diff is typed to its members, sheet by sheet (issue 19, item 4).
    assert isinstance(checked.parsed.diff, m.DiffDocument)
    assert checked.parsed.diff.sheets.units.counts.unchanged > 0

    first = _operation(package, "imports", "list_imports").sync(client=reader).items[0]
    revert = _operation(package, "imports", "revert_import").sync_detailed(
        client=writer, import_id=first.import_id, dry_run=True
    )
    assert revert.status_code in (200, 409), revert.content[:500]
    assert isinstance(revert.parsed, (m.ImportResult, m.ProblemDocument))

    added = _operation(package, "people", "create_person").sync_detailed(
        client=writer, body=m.NewEditor(name="李编辑", role="editor", scopes=["520627"])
    )
    assert added.status_code == 201 and isinstance(added.parsed, m.AddedPerson) and added.parsed.token
    revoked = _operation(package, "people", "revoke_person").sync_detailed(client=writer, name="李编辑")
    assert revoked.status_code == 200, revoked.content[:500]
    viewer = _operation(package, "people", "create_person").sync_detailed(
        client=writer, body=m.NewReader(name="王查看", role=m.NewReaderRole.VIEWER)
    )
    assert viewer.status_code == 201 and isinstance(viewer.parsed, m.AddedPerson), viewer.content[:500]

    new = m.NewPairing(helper="张家港市/金港镇/中港社区", helped="沿河土家族自治县/中界镇/黄家洞村", start="2019-03-01")
    created = _operation(package, "pairings", "create_pairing").sync_detailed(client=writer, body=new)
    assert created.status_code in (200, 201) and isinstance(created.parsed, m.WriteAnswer), created.content[:500]
    assert isinstance(created.parsed.pairing, m.Pairing) and created.parsed.pairing.helped_id
    assert all(isinstance(figure.after, m.CoverageCounts) for figure in created.parsed.coverage)
    pairing_id = created.parsed.pairing.id
    ended = _operation(package, "pairings", "end_pairing").sync_detailed(
        client=writer, pairing_id=pairing_id, body=m.PairingEnd(end="2020-12-31")
    )
    assert ended.status_code in (200, 201) and isinstance(ended.parsed, m.WriteAnswer), ended.content[:500]
    accepted = _operation(package, "pairings", "accept_suggestion").sync_detailed(
        client=writer, body=m.AcceptedSuggestion(target="520627110201"), as_of=dt.date(2017, 12, 31)
    )
    assert accepted.status_code == 201 and isinstance(accepted.parsed, m.WriteAnswer), accepted.content[:500]
    history = _operation(package, "imports", "list_imports").sync(client=reader).items
    written = next(record for record in history if record.source == "add-pairing")
    detail = _operation(package, "imports", "get_import").sync_detailed(client=reader, import_id=written.import_id)
    assert detail.status_code == 200 and isinstance(detail.parsed, m.ImportDetail), detail.content[:500]
    assert detail.parsed.diff.sheets.pairings.counts.new == 1
    found = _operation(package, "maps", "search_map_units").sync(client=reader, q="中界镇")
    assert found and all(isinstance(unit, m.FoundUnit) for unit in found) and found[0].kind == m.Kind.TOWNSHIP


@pytest.mark.parametrize(
    ("tag", "name", "arguments"),
    [
        ("units", "list_units", {"kind": "county"}),
        ("pairings", "list_pairings", {}),
        ("flows", "list_flows", {}),
        ("analyses", "get_coverage", {"scope": "520627"}),
        ("analyses", "get_gaps", {"scope": "520627"}),
        ("analyses", "get_summary", {}),
        ("analyses", "get_flow_rollup", {}),
    ],
)
def test_downloads_through_the_generated_requests(generated, tag: str, name: str, arguments: dict[str, Any]) -> None:
    package, reader, _writer = generated
    m = _models(package)
    if "kind" in arguments:
        arguments = {**arguments, "kind": m.Kind(arguments["kind"])}
    operation = _operation(package, tag, name)
    http = reader.get_httpx_client()
    by_parameter = http.request(**operation._get_kwargs(**arguments, format_=m.Format.CSV))
    by_header = http.request(**{**operation._get_kwargs(**arguments), "headers": {"Accept": "text/csv"}})
    assert by_parameter.status_code == by_header.status_code == 200
    assert by_parameter.headers["content-type"].startswith("text/csv") and by_parameter.text == by_header.text
    assert by_parameter.text.count("\n") >= 1
    workbook = http.request(**{**operation._get_kwargs(**arguments), "headers": {"Accept": XLSX}})
    assert workbook.headers["content-type"] == XLSX
    assert openpyxl.load_workbook(io.BytesIO(workbook.content)).worksheets[0].max_row >= 1


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    special = {"get_what_if": "getWhatIf", "get_coverage_timeline": "getCoverageTimeline"}
    return special.get(name, head + "".join(part.title() for part in rest))
