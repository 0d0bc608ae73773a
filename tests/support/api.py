"""Shared helpers of the API tests (tests/test_api_*.py): clients, the token, small files."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.imports import import_file
from pairnet.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
TOKEN = "pairnet-api-test-token-7f3a9c2e1b"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(store: Store, **settings) -> TestClient:
    """An in-process client of an app serving ``store`` (server errors come back as 500s)."""
    app = create_app(Settings(store=store.uri, token=TOKEN, **settings), store=store)
    return TestClient(app, raise_server_exceptions=False)


def load_sample(store: Store) -> None:
    import_file(store, SAMPLE, replace=True)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


UNIT_HEADER = ["id", "code", "kind", "name", "side", "parent", "poverty"]


def tiny_units(path: Path, *, names: tuple[str, ...] = ("甲村", "乙村")) -> Path:
    """A valid units.csv: one county, one township, and villages named ``names``."""
    rows = [
        ["t-county", "", "county", "测试县", "helped", "", ""],
        ["t-town", "", "township", "测试镇", "helped", "t-county", ""],
        *[[f"t-village-{i}", "", "village", name, "helped", "t-town", "deeply_poor"] for i, name in enumerate(names)],
    ]
    return write_csv(path / "units.csv", UNIT_HEADER, rows)


def upload(client: TestClient, path: Path, *, headers=AUTH, params=None, content_type: str | None = None):
    with path.open("rb") as handle:
        return client.post(
            "/imports",
            params=params or {},
            headers=headers,
            files={"file": (path.name, handle, content_type or "application/octet-stream")},
        )


# Every GET route, with parameters that select something in the sample.
SAMPLE_ROUTES = [
    "/",
    "/units",
    "/units?kind=village&poverty=deeply_poor&within=520627&as_of=2018-12-31&limit=20&offset=10",
    "/units?q=高峰",
    "/units?parent=520627110&side=helped",
    "/units/520627110217",
    "/units/沿河土家族自治县/中界镇/高峰村?as_of=2018-12-31",
    "/pairings",
    "/pairings?level=village&helped=520627110217",
    "/pairings?level=township&active_on=2017-12-31",
    "/pairings?unit=320582100212",
    "/flows",
    "/flows?kind=funds&year=2018",
    "/analyses/coverage?kind=village&poverty=deeply_poor&within=520627&as_of=2018-12-31&by=township",
    "/analyses/coverage?kind=township&side=helped&by=level",
    "/analyses/coverage/two-way?as_of=2018-12-31&helper_within=320582&county=520627",
    "/analyses/coverage/schools?within=520627&as_of=2018-12-31",
    "/analyses/timeline?kind=village&poverty=deeply_poor&within=520627&date=2017-12-31&date=2018-12-31",
    "/analyses/gaps?kind=township&side=helped&as_of=2023-12-31",
    "/analyses/gaps?kind=village&poverty=deeply_poor&within=520627&as_of=2017-12-31&sort=name&limit=10",
    "/analyses/alignment?as_of=2018-12-31",
    "/analyses/balance?as_of=2018-12-31&top=10",
    "/analyses/recommendations?kind=village&poverty=deeply_poor&within=520627&as_of=2017-12-31",
    "/analyses/whatif?withdraw=320582100212&kind=village&poverty=deeply_poor&as_of=2018-12-31",
    "/analyses/flows?by=year&by=kind",
    "/analyses/summary?as_of=2018-12-31",
]

# The downloadable lists and analyses: (path with parameters, download name).
EXPORTS = [
    ("/units?kind=village&poverty=deeply_poor&as_of=2018-12-31", "units-2018-12-31"),
    ("/pairings?level=village", "pairings"),
    ("/flows?kind=funds", "flows"),
    (
        "/analyses/coverage?kind=village&poverty=deeply_poor&within=520627&as_of=2018-12-31&by=township",
        "coverage-2018-12-31",
    ),
    ("/analyses/coverage/two-way?as_of=2018-12-31", "two-way-coverage-2018-12-31"),
    ("/analyses/coverage/schools?county=520627&as_of=2018-12-31", "school-coverage-2018-12-31"),
    ("/analyses/timeline?kind=village&poverty=deeply_poor&date=2017-12-31&date=2018-12-31", "timeline"),
    ("/analyses/gaps?kind=village&poverty=deeply_poor&as_of=2017-12-31", "gaps-2017-12-31"),
    ("/analyses/alignment?as_of=2018-12-31", "alignment-2018-12-31"),
    ("/analyses/balance?as_of=2018-12-31", "balance-2018-12-31"),
    ("/analyses/recommendations?kind=village&poverty=deeply_poor&as_of=2017-12-31", "recommendations-2017-12-31"),
    ("/analyses/whatif?withdraw=320582100212&kind=village&poverty=deeply_poor&as_of=2018-12-31", "whatif-2018-12-31"),
    ("/analyses/flows?by=year&by=kind", "flows-year-kind"),
    ("/analyses/summary", "summary"),
]

VOLATILE = {"import_id", "imported_at", "version", "data_version"}


def stable(value):
    """``value`` without what differs between two loads of the same file (import ids, times,
    version stamps), for comparing answers across stores."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value
