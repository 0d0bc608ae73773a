"""API under load: a gap query on the loaded data against a trivial FastAPI endpoint.

Both run under the same server settings (uvicorn, one worker, loopback, no access log)
and get the same bounded load from ``wrk`` (Debian's; 2 threads, 64 connections, 30 s, or
5 s with ``--quick``). The trivial endpoint is the limit of the server stack itself.
Figures: requests per second (goal: at least half the trivial endpoint's), errors (goal:
none) and the 99th percentile latency.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi import FastAPI

from .common import ROOT, Context, Row

__all__ = ["run", "trivial"]

GAP_QUERY = "/analyses/gaps?kind=village&side=helped&poverty=deeply_poor&within=52&as_of=2020-06-30"

trivial = FastAPI()


@trivial.get("/ping")
def ping() -> dict:
    return {"ok": True}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(target: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if target.endswith("create_app"):
        command.append("--factory")
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def _warm(url: str, server: subprocess.Popen, log: Path) -> None:
    """Wait until ``url`` answers 200 (the first gap query builds the network)."""
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            response = httpx.get(url, timeout=900)
        except httpx.TransportError:
            time.sleep(0.5)
            continue
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:500]}")
        return
    raise RuntimeError(f"{url} did not answer in time")


def _wrk(url: str, seconds: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    socket_errors = re.search(r"Socket errors:.*", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = (
        sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", socket_errors.group(0)))
        if socket_errors
        else 0
    )
    errors += int(non_2xx.group(1)) if non_2xx else 0
    detail = "; ".join(m.group(0).strip() for m in (socket_errors, non_2xx) if m) or "no errors"
    return {"rps": rps, "p99_ms": float(p99.group(1)) * scale, "errors": errors, "detail": detail}


def _measure(target: str, path: str, env: dict[str, str], seconds: int, log: Path) -> dict[str, float]:
    port = _free_port()
    server = _serve(target, port, env, log)
    try:
        url = f"http://127.0.0.1:{port}{path}"
        _warm(url, server, log)
        return _wrk(url, seconds)
    finally:
        server.terminate()
        server.wait(timeout=60)


def run(ctx: Context) -> list[Row]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: run scripts/system-deps (as root) or apt-get install wrk")
    seconds = 5 if ctx.quick else 30
    env = {"PAIRNET_STORE": ctx.shared["sqlite"], "PAIRNET_READ_ONLY": "true"}
    base = _measure("bench.api_load:trivial", "/ping", env, seconds, ctx.work / "trivial.log")
    ours = _measure("pairnet.api.app:create_app", GAP_QUERY, env, seconds, ctx.work / "api.log")
    settings = f"wrk -t2 -c64 -d{seconds}s, uvicorn 1 worker"
    return [
        Row(
            "api",
            "gap query (Guizhou's deeply poor villages, first page): requests/s",
            ours["rps"],
            "req/s",
            "trivial endpoint",
            base["rps"],
            higher_is_better=True,
            goal=0.5,
            goal_text="≥ 0.5 of trivial",
            note=settings,
        ),
        Row(
            "api",
            "gap query: errors",
            ours["errors"],
            "errors",
            "trivial endpoint",
            base["errors"],
            limit=0,
            goal_text="none",
            note=f"wrk: {ours['detail']} (wrk's timeout is 2 s)",
        ),
        Row("api", "gap query: p99 latency", ours["p99_ms"], "ms", "trivial endpoint", base["p99_ms"]),
    ]
