"""Exports and imports are inverse (issue 12, B.9): text that a spreadsheet would run as a
formula is exported with a leading apostrophe, and the loaders take exactly that mark off,
so names such as ``=1+1`` or ``+86`` (and real names that start with an apostrophe) come
back as they were from CSV and XLSX downloads."""

from __future__ import annotations

import pytest

from pairnet.store.store import open_store
from tests.support.api import AUTH, UNIT_HEADER, client_for, upload, write_csv

NAMES = ["=1+1", "+86", "-x", "@a", "'s-Hertogenbosch村", "''=写作两个撇号", "普通村"]
# As stored: a typed apostrophe before a formula start is the mark itself, as in Excel.
STORED = {"测试县", *NAMES[:-2], "'=写作两个撇号", "普通村"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_names_that_look_like_formulas_survive_export_and_import(tmp_path, fmt):
    rows = [["r-county", "", "county", "测试县", "helped", "", ""]]
    rows += [[f"r-{i}", "", "village", name, "helped", "r-county", "poor"] for i, name in enumerate(NAMES)]
    with open_store(str(tmp_path / "a.db")) as first, open_store(str(tmp_path / "b.db")) as second:
        source = client_for(first)
        assert upload(source, write_csv(tmp_path / "units.csv", UNIT_HEADER, rows)).status_code == 200
        assert {u["name"] for u in source.get("/units", params={"limit": 1000}).json()["items"]} == STORED
        exported = source.get("/units", params={"format": fmt, "limit": 1000}).content
        assert b"'=1+1" in exported or fmt == "xlsx"  # the mark is there, in the file
        download = tmp_path / "copy" / f"units.{fmt}"
        download.parent.mkdir()
        download.write_bytes(exported)
        answer = upload(client_for(second), download, headers=AUTH)
        assert answer.status_code == 200, answer.text[:1000]
        names = {u["name"] for u in client_for(second).get("/units", params={"limit": 1000}).json()["items"]}
        assert names == STORED
