"""The README's API examples, run as they are (bash + curl) against a live `pairnet serve`
on a free loopback port, serving the sample from a SQLite file; and an import by another
process (this one) that the running server must notice on its next request."""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.api import ROOT, TOKEN, load_sample, tiny_units

PAIRNET = Path(sys.executable).with_name("pairnet")


def _api_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## HTTP API")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", _api_section(), flags=re.S)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme-api")
    store_path = folder / "sample.db"
    with open_store(str(store_path)) as store:
        load_sample(store)
    port = _free_port()
    env = {**os.environ, "PAIRNET_TOKEN": TOKEN}
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [str(PAIRNET), "serve", "--host", "127.0.0.1", "--port", str(port), "--store", str(store_path)],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"pairnet serve did not start: {(folder / 'server.log').read_text()}")
        time.sleep(0.2)
    yield url, store_path, folder
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _run(block: str, url: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAIRNET_URL": url, "PAIRNET_TOKEN": TOKEN}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_readme_has_curl_examples():
    blocks = _blocks()
    assert len(blocks) >= 4
    assert all("curl" in block for block in blocks)


def test_every_readme_example_runs(server, tmp_path):
    url, _, _ = server
    (tmp_path / "data").symlink_to(ROOT / "data")  # the examples upload data/... from a checkout
    outputs = []
    for block in _blocks():
        result = _run(block, url, tmp_path)
        assert result.returncode == 0, (block, result.stderr, result.stdout[:500])
        outputs.append(result.stdout)
    everything = "\n".join(outputs)
    assert '"covered":50,"uncovered":0' in everything
    assert "祐溪街道" in everything
    assert re.search(r"^304$", everything, flags=re.M)
    assert '"dry_run":true' in everything and '"dry_run":false' in everything
    with (tmp_path / "flows-year.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["year"] for row in rows} >= {"2017", "2018"} and rows[0]["unit_of_measure"]


def test_the_server_notices_an_import_by_another_process(server, tmp_path):
    url, store_path, _ = server
    before = httpx.get(url + "/units", params={"q": "甲村"})
    assert before.json()["total"] == 0
    etag = before.headers["etag"]
    assert httpx.get(url + "/units", params={"q": "甲村"}, headers={"If-None-Match": etag}).status_code == 304
    with open_store(str(store_path)) as store:
        import_file(store, tiny_units(tmp_path))
    after = httpx.get(url + "/units", params={"q": "甲村"}, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert [u["name"] for u in after.json()["items"]] == ["甲村"]


def test_writes_to_the_live_server_need_the_token(server, tmp_path):
    url, _, _ = server
    path = tiny_units(tmp_path, names=("丙村",))
    with path.open("rb") as handle:
        response = httpx.post(url + "/imports", files={"file": ("units.csv", handle, "text/csv")})
    assert response.status_code == 401
    assert httpx.get(url + "/units", params={"q": "丙村"}).json()["total"] == 0
