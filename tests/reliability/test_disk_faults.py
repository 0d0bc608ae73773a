"""The embedded store on a read-only file and on a full disk: a clear error, nothing half-written.

- read-only: the store file made immutable (``chattr +i`` as root, who ignores file modes;
  ``chmod 444`` otherwise); reads go on, an import fails with StoreError naming the file,
  and the file's bytes do not change;
- disk full, for real: the store on a 4 MiB tmpfs (``mount -t tmpfs``, as root), and an
  import that needs more room than is left;
- disk full, anywhere: the import in a forked child whose file-size limit
  (``RLIMIT_FSIZE``) stops the write-ahead log from growing past 256 KiB.

In each case the import raises :class:`~graph.errors.StoreError`, the file passes
``PRAGMA integrity_check``, holds exactly what it held before, and takes the next import
once there is room again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pairnet.graph.errors import StoreError
from pairnet.imports import import_file
from pairnet.store.store import open_store
from tests.support.reliability import content_digest, write_network

PAIRNET = Path(sys.executable).with_name("pairnet")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("disk")
    return {
        "first": write_network(folder / "first", 300, tag="a"),
        "second": write_network(folder / "second", 3000, tag="b"),
    }


def _store_with_first(db: Path, inputs) -> str:
    with open_store(str(db)) as store:
        import_file(store, inputs["first"])
        return content_digest(store)


def _intact(db: Path, digest: str) -> None:
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with open_store(str(db)) as store:
        assert content_digest(store) == digest


@contextlib.contextmanager
def _read_only(path: Path):
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)


def test_a_read_only_store_file_reads_and_refuses_imports_cleanly(tmp_path, inputs):
    db = tmp_path / "pairnet.db"
    digest = _store_with_first(db, inputs)
    file_bytes = hashlib.sha256(db.read_bytes()).hexdigest()
    with _read_only(db):
        with open_store(str(db)) as store:
            version = store.version()
            assert content_digest(store) == digest
            with pytest.raises(StoreError) as caught:
                import_file(store, inputs["second"])
            assert str(db) in str(caught.value) and "readonly" in str(caught.value)
            assert store.version() == version
        cli = subprocess.run(
            [str(PAIRNET), "load", str(inputs["second"]), "--store", str(db)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert cli.returncode == 1  # the store failed (2 is for bad input)
        assert "readonly" in " ".join((cli.stdout + cli.stderr).split()) and "Traceback" not in cli.stderr
        assert hashlib.sha256(db.read_bytes()).hexdigest() == file_bytes
    _intact(db, digest)


def _mount_tmpfs(target: Path, size: str) -> bool:
    target.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


def test_a_full_disk_fails_the_import_and_keeps_the_store(tmp_path, inputs):
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "8m"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs as root, which can mount a tmpfs: mount failed")
        pytest.skip("mounting a small tmpfs needs root (the RLIMIT_FSIZE test covers a full disk)")
    try:
        db = disk / "pairnet.db"
        digest = _store_with_first(db, inputs)
        filler = disk / "filler"
        free = shutil.disk_usage(disk).free
        filler.write_bytes(b"\0" * max(0, free - 512 * 1024))  # leave 512 KiB: less than the import needs
        with open_store(str(db)) as store:
            version = store.version()
            with pytest.raises(StoreError) as caught:
                import_file(store, inputs["second"])
            assert "full" in str(caught.value) and str(db) in str(caught.value)
            assert store.version() == version
        _intact(db, digest)
        filler.unlink()
        with open_store(str(db)) as store:  # with room again, the same import goes through
            assert import_file(store, inputs["second"]).counts["pairings"] == 3000
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_file_size_limit_fails_the_import_and_keeps_the_store(tmp_path, inputs):
    db = tmp_path / "pairnet.db"
    digest = _store_with_first(db, inputs)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a process that may not grow any file past 256 KiB
        try:
            os.close(read_end)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write returns EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, resource.RLIM_INFINITY))
            with open_store(str(db)) as store:
                try:
                    import_file(store, inputs["second"])
                    outcome = "written"
                except StoreError as error:
                    outcome = f"StoreError: {error}"
                except BaseException as error:  # noqa: BLE001 - reported to the parent, which fails
                    outcome = f"{type(error).__name__}: {error}"
            os.write(write_end, outcome.encode("utf-8"))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as reports:
        outcome = reports.read()
    os.waitpid(pid, 0)
    assert outcome.startswith("StoreError: could not write to store " + str(db)), outcome
    _intact(db, digest)
