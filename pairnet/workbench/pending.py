"""Uploads waiting for their confirmation, kept on disk where every worker of the server sees them.

A server started with ``--workers 2`` may receive the upload in one process and its
confirmation in the other, so an upload cannot wait in a process's memory. Each one waits in
a folder of its own, named by a random key, under a folder shared by the store's workers:
beside a SQLite store's file (``pairnet.db.uploads/``), or for a Neo4j store in the system's
temporary folder, named after the store's URI. A ``pending.json`` beside the file says who
uploaded it, when, and how it is to be imported. Taking an upload renames its folder, which
only one process can do: a confirmation sent twice imports once. Uploads older than
:data:`PENDING_SECONDS` are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PENDING_SECONDS", "Pending", "PendingUploads", "uploads_folder"]

PENDING_SECONDS = 3600
_KEY = re.compile(r"[A-Za-z0-9_-]{24}")
_ABOUT = "pending.json"
_INCOMING = ".incoming-"
_TAKEN = ".taken-"


@dataclass(frozen=True)
class Pending:
    """An upload waiting for its confirmation: the file in ``folder``, and how to import it."""

    folder: Path
    name: str
    replace: bool
    person: str
    made: float

    @property
    def path(self) -> Path:
        return self.folder / self.name


def uploads_folder(store_uri: str) -> Path:
    """The folder every worker serving ``store_uri`` keeps its waiting uploads in."""
    scheme = store_uri.split("://", 1)[0].lower() if "://" in store_uri else ""
    if not scheme.startswith(("bolt", "neo4j")) and store_uri != ":memory:":
        path = store_uri.removeprefix("sqlite://")
        return Path(path).resolve().with_name(Path(path).name + ".uploads")
    digest = hashlib.sha256(store_uri.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"pairnet-uploads-{digest}-{os.getuid()}"


class PendingUploads:
    """The waiting uploads under ``root`` (see the module doc)."""

    def __init__(self, root: Path):
        self.root = root

    def receive(self) -> tuple[str, Path]:
        """A new key and the private folder to write its upload into, before :meth:`keep`."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._drop_old()
        key = secrets.token_urlsafe(18)
        folder = self.root / f"{_INCOMING}{key}"
        folder.mkdir(mode=0o700)
        return key, folder

    def keep(self, key: str, name: str, *, replace: bool, person: str) -> None:
        """Let the upload received under ``key`` (its file ``name``) wait for a confirmation."""
        folder = self.root / f"{_INCOMING}{key}"
        about = {"name": name, "replace": replace, "person": person, "made": time.time()}
        (folder / _ABOUT).write_text(json.dumps(about, ensure_ascii=False), encoding="utf-8")
        folder.rename(self.root / key)

    def take(self, key: str, person: str) -> Pending | None:
        """The upload waiting under ``key`` if ``person`` uploaded it within the hour, taken
        from the waiting ones (remove its folder when done); else None."""
        if not _KEY.fullmatch(key):
            return None
        self._drop_old()
        waiting = self._read(self.root / key)
        if waiting is None or waiting.person != person:
            return None
        taken = self.root / f"{_TAKEN}{key}"
        try:
            (self.root / key).rename(taken)  # atomic: of two confirmations, one takes it
        except OSError:
            return None
        return Pending(taken, waiting.name, waiting.replace, waiting.person, waiting.made)

    def discard(self, folder: Path) -> None:
        """Remove an upload's folder (received, taken or refused)."""
        shutil.rmtree(folder, ignore_errors=True)

    def _read(self, folder: Path) -> Pending | None:
        try:
            about = json.loads((folder / _ABOUT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        pending = Pending(
            folder, str(about["name"]), bool(about["replace"]), str(about["person"]), float(about["made"])
        )
        return pending if pending.made >= time.time() - PENDING_SECONDS else None

    def _drop_old(self) -> None:
        """Remove the folders of uploads older than the hour (a crash's leftovers too)."""
        oldest = time.time() - PENDING_SECONDS
        try:
            folders = list(self.root.iterdir())
        except OSError:
            return
        for folder in folders:
            try:
                made = folder.stat().st_mtime
            except OSError:
                continue
            if made < oldest:
                self.discard(folder)
