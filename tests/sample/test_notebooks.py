"""The notebooks: committed without outputs, and every cell runs on the venv's kernel.

Each notebook is executed top to bottom with nbclient, as JupyterLab would run it from
``notebooks/``; a failing cell raises ``CellExecutionError`` and fails the test. The
documented switches (Neo4j instead of SQLite, a workbook of one's own instead of the
synthetic set) are executed too, by changing the one line the notebook says to change.
"""

from __future__ import annotations

import datetime as dt
import doctest
import io
import os
import re
import warnings
from pathlib import Path

import matplotlib
import nbformat
import pytest
from nbclient import NotebookClient

import pairnet.charts
from pairnet.charts import CJK_FONTS, use_cjk_font
from pairnet.graph.coverage import coverage
from pairnet.graph.network import build_network
from pairnet.loaders import read_dataset
from tests.support.stores import NEO4J_URI, neo4j_store

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SAMPLE_NOTEBOOK = NOTEBOOK_DIR / "zhangjiagang-yanhe.ipynb"
OWN_DATA_NOTEBOOK = NOTEBOOK_DIR / "your-own-data.ipynb"
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell on the venv's own ipykernel, in notebooks/ as JupyterLab does."""
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    client.execute()
    return notebook


def _replace_line(notebook: nbformat.NotebookNode, pattern: str, line: str) -> None:
    """Replace the one code line matching ``pattern`` (a regex) with ``line``."""
    found = [
        (cell, match)
        for cell in notebook.cells
        if cell.cell_type == "code"
        for match in [re.search(pattern, cell.source, flags=re.MULTILINE)]
        if match
    ]
    assert len(found) == 1, f"expected one line matching {pattern!r}, found {len(found)}"
    cell, match = found[0]
    cell.source = cell.source[: match.start()] + line + cell.source[match.end() :]


def _outputs(cell) -> list:
    return cell.get("outputs", [])


def _check_outputs(notebook: nbformat.NotebookNode) -> None:
    """Every chart cell drew a picture, every map cell showed a map, and no cell wrote to
    stderr (a warning such as matplotlib's missing-glyph one would)."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        errors = [o.text for o in _outputs(cell) if o.output_type == "stream" and o.name == "stderr"]
        assert not errors, f"cell {index} wrote to stderr: {errors}"
        kinds = {mime for o in _outputs(cell) for mime in o.get("data", {})}
        if "plt.show()" in cell.source:
            assert "image/png" in kinds, f"cell {index} should draw a chart"
        if "map_html(" in cell.source:
            html = "".join(o["data"]["text/html"] for o in _outputs(cell) if "text/html" in o.get("data", {}))
            assert "<iframe srcdoc=" in html and "vis-network" in html, f"cell {index} should show a map"


def test_the_notebooks_are_there():
    assert {path.name for path in NOTEBOOKS} >= {SAMPLE_NOTEBOOK.name, OWN_DATA_NOTEBOOK.name}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    notebook = _read(path)
    nbformat.validate(notebook)
    dirty = [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (_outputs(cell) or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"
    assert notebook.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_runs(path):
    _check_outputs(_execute(_read(path)))


@pytest.mark.neo4j
def test_the_sample_notebook_runs_on_neo4j_after_its_one_line_switch(tmp_path):
    neo4j_store(tmp_path).close()  # fails in CI, skips elsewhere, when Neo4j is not running; empties it
    notebook = _read(SAMPLE_NOTEBOOK)
    switch = 'store = open_store("bolt://127.0.0.1:7687")'
    assert any(switch in cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    _replace_line(notebook, r"^store = open_store\(.*\)$", switch.replace("bolt://127.0.0.1:7687", NEO4J_URI))
    _check_outputs(_execute(notebook))


def test_your_own_data_notebook_runs_on_a_workbook():
    notebook = _read(OWN_DATA_NOTEBOOK)
    _replace_line(notebook, r"^MY_DATA = None\b.*$", f"MY_DATA = Path({str(SAMPLE)!r})")
    executed = _execute(notebook)
    _check_outputs(executed)
    # The figures printed are the workbook's, not the synthetic set's.
    poor = coverage(
        build_network(read_dataset(SAMPLE)),
        kind="village",
        side="helped",
        poverty=["deeply_poor", "poor"],
        as_of=dt.date(2019, 12, 31),
    )
    printed = "".join(o.get("text", "") for cell in executed.cells for o in _outputs(cell))
    assert f"{poor['covered']:,} of {poor['targets']:,} poor villages paired" in printed


def _draw_chinese() -> list[str]:
    """Render a chart with Chinese labels; return matplotlib's warnings."""
    fig, ax = plt.subplots()
    ax.bar(["中界镇", "团结街道"], [2, 3])
    ax.set_title("深度贫困村结对情况")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return [str(w.message) for w in caught]


def test_a_cjk_font_draws_chinese_labels_without_missing_glyphs():
    with matplotlib.rc_context():
        family = use_cjk_font()
        if family is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"no CJK font installed (one of {CJK_FONTS}); make system-deps installs fonts-noto-cjk")
            pytest.skip("no CJK font installed; apt install fonts-noto-cjk")
        assert matplotlib.rcParams["font.sans-serif"][0] == family
        assert not [m for m in _draw_chinese() if "missing from" in m.lower()]


def test_without_a_cjk_font_charts_still_draw_and_settings_stay():
    with matplotlib.rc_context():
        before = list(matplotlib.rcParams["font.sans-serif"])
        assert use_cjk_font(candidates=("No Such Font",)) is None
        assert matplotlib.rcParams["font.sans-serif"] == before
        # The glyphs are missing (DejaVu Sans has no Chinese), yet the chart draws.
        assert any("missing from" in m.lower() for m in _draw_chinese())


def test_the_font_helper_examples_run():
    with matplotlib.rc_context():
        assert doctest.testmod(pairnet.charts).failed == 0
