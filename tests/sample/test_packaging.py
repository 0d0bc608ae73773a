"""The wheel: one import name, and a ``pairnet demo`` that works from it outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(folder)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = folder.glob("pairnet-*.whl")
    return found


def test_the_wheel_installs_one_top_level_package_with_its_data(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        assert archive.read(top_level).decode().split() == ["pairnet"]
    assert {n.split("/")[0] for n in names} == {
        "pairnet",
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    }
    for data in (
        "pairnet/sample/zhangjiagang-yanhe.xlsx",
        "pairnet/store/cypher/five_in_one.cypher",
        "pairnet/maps/static/vis-network.min.js",
        "pairnet/maps/templates/map.html",
    ):
        assert data in names, data


def test_demo_runs_from_the_wheel_outside_the_checkout(wheel, tmp_path):
    """A fresh venv holding only the wheel (its dependencies come from this interpreter's
    site-packages through a path entry, so no editable finder and no checkout is on the path)."""
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(target), "platbase": str(target)}))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    program = (
        "import pairnet, sys\n"
        "print(pairnet.__file__, file=sys.stderr)\n"
        "from pairnet.cli import app\n"
        "app(['demo', '--store', 'demo.db'])\n"
    )
    done = subprocess.run(
        [str(target / "bin" / "python"), "-c", program], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert str(site) in done.stderr and str(ROOT) not in done.stderr.splitlines()[0]
    assert "965" in done.stdout  # the sample's units, summarised
    assert (tmp_path / "demo.db").stat().st_size > 0


def test_the_api_reports_the_package_version(tmp_path):
    from importlib.metadata import version

    from pairnet.store.store import open_store
    from tests.support.api import client_for

    with open_store(str(tmp_path / "s.db")) as store:
        info = client_for(store).get("/openapi.json").json()["info"]
    assert info["x-package-version"] == version("pairnet")
    assert info["version"] == "1.0"  # the API's contract, not the package


def test_the_image_installs_dependencies_before_it_copies_code():
    """No engine runs here to build it, so the order of the layers is checked as written."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line[:1].isupper()]
    first_install = next(i for i, line in enumerate(lines) if line.startswith("RUN") and "pip install" in line)
    copied = [line.split()[1] for line in lines[:first_install] if line.startswith("COPY")]
    assert copied == ["pyproject.toml"]
    assert any(line.startswith("RUN pip install --no-deps .") for line in lines[first_install + 1 :])
