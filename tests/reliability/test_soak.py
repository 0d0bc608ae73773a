"""A bounded load test on loopback: ``pairnet serve`` (a real server process on the embedded
store) answers a fixed number of mixed requests from several clients while a few imports
run; afterwards no request failed, no record is lost or duplicated (counts, import history
and a content digest equal those of the same imports done one by one into a fresh store),
and, once the imports are done, the server's memory stays flat under further reads.

Suite: 4 readers × 75 requests in each phase, and 3 imports. ``make soak`` (``PAIRNET_LONG=1``): 4 readers
× 2,500 requests in each phase, and 30 imports; the figures are printed.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.api import AUTH, ROOT, SAMPLE, SAMPLE_ROUTES, TOKEN
from tests.support.reliability import LONG, content_digest, write_network

PAIRNET = Path(sys.executable).with_name("pairnet")
READERS = 4
READS_EACH = 2500 if LONG else 75
IMPORTS = 30 if LONG else 3
VILLAGES = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _upload_file(folder: Path, k: int) -> Path:
    """Import number ``k``: a generated network of its own, as one JSON file."""
    csvs = write_network(folder / f"s{k}", VILLAGES, tag=f"s{k}", year=2018 + k % 3)
    document = {}
    for name in ("units", "pairings", "flows"):
        with (csvs / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            document[name] = list(csv.DictReader(handle))
    path = folder / f"s{k}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "pairnet.db"
    with open_store(str(db)) as store:
        import_file(store, SAMPLE, source=SAMPLE.name)
    port = _free_port()
    env = {**os.environ, "PAIRNET_TOKEN": TOKEN}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [str(PAIRNET), "serve", "--store", str(db), "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.5)
        else:
            raise AssertionError("the server did not answer within 2 minutes")
        yield {"base": base, "pid": process.pid, "db": db}
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def _warm_up(base: str) -> None:
    """Every route once, so that the server's caches hold what the reads need."""
    with httpx.Client(base_url=base, timeout=120) as client:
        for route in SAMPLE_ROUTES:
            assert client.get(route).status_code == 200, route


def _read_load(base: str, pid: int, failures: list, samples: list, lock: threading.Lock) -> list[threading.Thread]:
    """Reader threads (not started) that send READS_EACH requests each, sampling the RSS."""

    def reader(number: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            for i in range(READS_EACH):
                route = SAMPLE_ROUTES[(number * 7 + i) % len(SAMPLE_ROUTES)]
                response = client.get(route)
                with lock:
                    if response.status_code != 200:
                        failures.append((route, response.status_code, response.text[:200]))
                    if i % 25 == 0:
                        samples.append(_rss_mib(pid))

    return [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]


def _run(threads: list[threading.Thread]) -> float:
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def test_mixed_load_loses_nothing_and_memory_stays_flat(server, tmp_path):
    """Two phases: reads with imports (the data grows), then reads alone at the final size,
    where the memory must stay flat (growth there would be a leak, not data)."""
    base, pid = server["base"], server["pid"]
    uploads = [_upload_file(tmp_path / "uploads", k) for k in range(IMPORTS)]
    failures: list[tuple] = []
    lock = threading.Lock()
    _warm_up(base)

    def importer() -> None:
        with httpx.Client(base_url=base, timeout=300) as client:
            for path in uploads:
                with path.open("rb") as handle:
                    response = client.post(
                        "/imports", headers=AUTH, files={"file": (path.name, handle, "application/json")}
                    )
                if response.status_code != 200:
                    with lock:
                        failures.append((path.name, response.status_code, response.text[:200]))

    mixed_samples: list[float] = []
    mixed = _run([*_read_load(base, pid, failures, mixed_samples, lock), threading.Thread(target=importer)])
    _warm_up(base)
    steady_start = _rss_mib(pid)
    steady_samples: list[float] = [steady_start]
    steady = _run(_read_load(base, pid, failures, steady_samples, lock))
    steady_end = _rss_mib(pid)
    assert not failures, failures[:5]

    with httpx.Client(base_url=base, timeout=120) as client:
        served = client.get("/").json()["counts"]
        history = client.get("/imports", params={"limit": 1000}).json()["items"]
    reference = tmp_path / "reference.db"
    with open_store(str(reference)) as store:
        import_file(store, SAMPLE, source=SAMPLE.name)
        for path in uploads:
            import_file(store, path, source=path.name)  # as the API names an upload
        expected_counts, expected_digest = store.snapshot().counts(), content_digest(store)
    with open_store(str(server["db"])) as store:
        assert content_digest(store) == expected_digest
    assert served == expected_counts
    assert [entry["source"] for entry in history] == [SAMPLE.name, *(p.name for p in uploads)]

    reads = READERS * READS_EACH
    print(
        f"\nmixed: {reads} reads + {IMPORTS} imports in {mixed:.1f} s, RSS peak {max(mixed_samples):.0f} MiB; "
        f"steady: {reads} reads in {steady:.1f} s ({reads / steady:.0f}/s), RSS {steady_start:.0f} → "
        f"{steady_end:.0f} MiB (peak {max(steady_samples):.0f})"
    )
    assert steady_end <= steady_start * 1.15 + 16
