"""The ``pairnet`` command: a thin typer layer over the functions the API uses too.

Each submodule registers one group of commands on :data:`app`; they are imported at the
end of this module so that ``from pairnet.cli import app`` gives the whole command.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from .common import PairnetGroup, out

__all__ = ["app"]

app = typer.Typer(
    name="pairnet",
    cls=PairnetGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=(
        "Plan and audit multi-level pairing networks (东西部协作 / 对口帮扶).\n\n"
        "Load the pairings that planners keep in spreadsheets into a store, check them, count them, "
        "find the units with no partner and see the network as a map.\n\n"
        "**Start here**\n\n"
        "* `pairnet demo`: load the Zhangjiagang–Yanhe sample and summarise it\n"
        "* `pairnet check my.xlsx`: list every problem in a file, write nothing\n"
        "* `pairnet load my.xlsx`: load it (`--replace` drops rows gone from the file)\n"
        "* `pairnet summary`: units per kind and side, pairings per level and mode\n\n"
        "The store is a SQLite file (`pairnet.db`) unless --store or PAIRNET_STORE names another file "
        "or a Neo4j URI (bolt://host:7687). Exit status: 0 done, 1 store failure, 2 invalid input "
        "(nothing written)."
    ),
)


def _show_version(value: bool) -> None:
    if value:
        try:
            out.print(f"pairnet {version('pairnet')}")
        except PackageNotFoundError:
            out.print("pairnet (not installed)")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Plan and audit multi-level pairing networks (see pairnet --help)."""


# The command groups; each module adds its commands to ``app`` when imported.
from . import (  # noqa: E402,F401
    analyses,  # noqa: E402,F401
    data,
    history,  # noqa: E402,F401
    maps,  # noqa: E402,F401
    register,  # noqa: E402,F401
    server,
    synth,  # noqa: E402,F401
)
