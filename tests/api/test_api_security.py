"""The server's rules: which settings may start it, CORS closed by default, problem+json
errors without internals, 503 while the store is away."""

from __future__ import annotations

import doctest
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from pairnet.api import settings as api_settings
from pairnet.api import uploads as api_uploads
from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from tests.support.api import ROOT, client_for

PAIRNET = Path(sys.executable).with_name("pairnet")


@pytest.mark.parametrize(
    ("settings", "host", "refused"),
    [
        ({"token": ""}, "127.0.0.1", True),
        ({"token": "change-me"}, "127.0.0.1", True),
        ({"token": "short-token"}, "127.0.0.1", True),
        ({"token": "change-this-to-a-long-random-token"}, "0.0.0.0", True),  # .env.example's placeholder
        ({"token": "a-long-and-random-token-9f8e7d"}, "0.0.0.0", False),
        ({"token": "", "read_only": True}, "0.0.0.0", False),
        ({"token": "", "demo": True}, "127.0.0.1", False),
        ({"token": "change-me", "demo": True}, "::1", False),
        ({"token": "", "demo": True}, "0.0.0.0", True),
        ({"token": "a-long-and-random-token-9f8e7d", "demo": True}, "192.168.1.5", True),
    ],
)
def test_which_settings_may_start_a_server(settings, host, refused):
    assert (Settings(**settings).refusal(host) is not None) is refused


def _serve(*args: str, token: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PAIRNET_TOKEN": token}
    return subprocess.run([str(PAIRNET), "serve", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_serve_refuses_a_weak_token_and_demo_off_loopback(tmp_path):
    store = str(tmp_path / "x.db")
    weak = _serve("--store", store, "--port", "1", token="change-me")
    assert weak.returncode == 2
    assert "PAIRNET_TOKEN" in weak.stderr
    public_demo = _serve("--store", store, "--port", "1", "--demo", "--host", "0.0.0.0")
    assert public_demo.returncode == 2
    assert "loopback" in public_demo.stderr


def test_cors_is_closed_by_default_and_opens_only_to_configured_origins(store):
    closed = client_for(store)
    response = closed.get("/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    opened = client_for(store, cors_origins=["https://dashboard.example"])
    allowed = opened.get("/", headers={"Origin": "https://dashboard.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://dashboard.example"
    other = opened.get("/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_errors_are_problem_documents_without_internals(store):
    client = client_for(store)
    for path, status in (
        ("/units/no-such-unit", 404),
        ("/units?limit=0", 422),
        ("/pairings?level=nonsense", 422),
        ("/units?parent=no-such-unit", 422),
        ("/no/such/route", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert {"type", "title", "status", "detail"} <= body.keys()
        assert body["status"] == status
        assert "Traceback" not in response.text


def test_unexpected_errors_are_a_bare_500(store, monkeypatch):
    client = client_for(store)

    def broken(self):
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(type(store), "snapshot", broken)
    response = client.get("/units")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "secret" not in response.text and "Traceback" not in response.text


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_neo4j_gives_503(monkeypatch):
    monkeypatch.setenv("PAIRNET_NEO4J_PASSWORD", "pairnet-test-password")
    app = create_app(Settings(store=f"bolt://127.0.0.1:{_closed_port()}", token="x" * 20))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/units")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"]


def test_demo_mode_makes_up_a_token_that_writes_need(tmp_path):
    store = tmp_path / "demo.db"
    port = _closed_port()
    env = {key: value for key, value in os.environ.items() if key != "PAIRNET_TOKEN"}
    log = tmp_path / "serve.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [str(PAIRNET), "serve", "--demo", "--store", str(store), "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        token = _wait_for_token(process, log, url)
        assert len(token) >= 16
        units = tmp_path / "units.csv"
        units.write_text("id,kind,name,side\nd-1,county,演示县,helped\n", encoding="utf-8")
        for headers, status in (({}, 401), ({"Authorization": f"Bearer {token}"}, 200)):
            with units.open("rb") as body:
                response = httpx.post(
                    f"{url}/imports", headers=headers, files={"file": ("units.csv", body, "text/csv")}
                )
            assert response.status_code == status, response.text
        assert httpx.get(f"{url}/units").json()["total"] == 1
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for_token(process: subprocess.Popen, log: Path, url: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        match = re.search(r"Bearer (\S+)", log.read_text())
        if match:
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    return match.group(1)
            except httpx.TransportError:
                pass
        time.sleep(0.2)
    raise AssertionError(f"pairnet serve --demo did not start: {log.read_text()}")


def test_the_examples_in_the_docstrings_hold():
    for module in (api_settings, api_uploads):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
