"""The CLI starts without importing what its commands need: ``--version`` and ``--help`` read
only the command table, and that table agrees with the commands themselves."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from pairnet.cli import COMMANDS, app

HEAVY = ("networkx", "openpyxl", "fastapi", "pyvis", "pydantic", "neo4j", "uvicorn", "pairnet.graph")


def _imported_after(args: list[str]) -> set[str]:
    """The modules loaded in a fresh interpreter that runs ``pairnet ARGS``."""
    program = (
        "import json, sys\n"
        "from pairnet.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_no_command_dependencies(args):
    loaded = _imported_after(args)
    assert "typer" in loaded  # the probe itself works
    assert not [name for name in HEAVY if name in loaded]


def test_the_table_names_every_command_with_its_own_help_and_panel():
    for entry in {entry.module for entry in COMMANDS.values()}:
        importlib.import_module(f"pairnet.cli.{entry}")
    registered = typer.main.get_group(app).commands
    assert set(registered) == set(COMMANDS)
    for name, command in registered.items():
        assert COMMANDS[name].short_help == command.get_short_help_str(limit=1000), name
        assert COMMANDS[name].panel == command.rich_help_panel, name


def test_a_command_runs_through_the_lazy_group(tmp_path):
    result = CliRunner().invoke(app, ["summary", "--store", str(tmp_path / "missing.db")])
    assert result.exit_code == 1
    assert "does not exist" in result.output
    listing = CliRunner().invoke(app, ["--help"])
    assert listing.exit_code == 0
    assert all(name in listing.output for name in COMMANDS)
