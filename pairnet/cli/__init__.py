"""The ``pairnet`` command: a thin typer layer over the functions the API uses too.

Each submodule registers one group of commands on :data:`app`. The submodules import
pandas-sized libraries (NetworkX, openpyxl, FastAPI, Pyvis), so they are imported only
when one of their commands runs: :data:`COMMANDS` says which module holds each command,
and ``pairnet --help`` lists them from that table without importing any of them.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any, NamedTuple

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from pairnet.i18n import N_, _

from .language import INVOKED, LangOption, choose_language, localize

__all__ = ["COMMANDS", "app", "load_command"]


class Entry(NamedTuple):
    """Where a command lives and what ``pairnet --help`` says of it."""

    module: str
    panel: str
    short_help: str


COMMANDS: dict[str, Entry] = {
    "load": Entry(
        "data", N_("Data"), N_("Load a file into the store: all of it, or nothing and a list of every problem.")
    ),
    "check": Entry(
        "data", N_("Data"), N_("Check a file against the store without writing anything; exit 2 if it has problems.")
    ),
    "summary": Entry(
        "data", N_("Data"), N_("Count what the store holds: units, pairings and flows by kind, side, level and mode.")
    ),
    "imports": Entry(
        "history",
        N_("Data"),
        N_("The imports into the store, oldest first; `pairnet imports revert ID` undoes one."),
    ),
    "demo": Entry(
        "data", N_("Data"), N_("Load the Zhangjiagang–Yanhe sample into the store (pairnet.db) and summarise it.")
    ),
    "load-register": Entry(
        "register",
        N_("Data"),
        N_(
            "Load every province, city, county, township and village of the division register (or of one subtree) as units with their real codes, so that gaps are found among all of them."
        ),
    ),
    "pairings": Entry(
        "listing",
        N_("Data"),
        N_(
            "Who is paired with whom: each pairing with the names and codes of both sides, its level, program and dates."
        ),
    ),
    "show": Entry(
        "listing",
        N_("Data"),
        N_("One unit or pairing in full: every field (agreement, note, parents) and its pairings, both sides named."),
    ),
    "synth": Entry(
        "synth",
        N_("Data"),
        N_(
            "Generate a pairing network on the real division register, with synthetic but realistic pairings and flows (2016–2024), in the project's input format."
        ),
    ),
    "coverage": Entry(
        "analyses",
        N_("Analyses"),
        N_("The share of a target set with at least one active pairing, overall and per group."),
    ),
    "gaps": Entry(
        "analyses",
        N_("Analyses"),
        N_(
            "The units of a target set with no active pairing, with code, parents and why (never_paired, ended, not_yet_started, partner_not_valid, through_descendant)."
        ),
    ),
    "alignment": Entry(
        "analyses",
        N_("Analyses"),
        N_(
            "Five-in-one consistency: pairings whose parents are not paired with each other, per level, with the alignment ratio."
        ),
    ),
    "balance": Entry(
        "analyses",
        N_("Analyses"),
        N_(
            "Active pairings per helper and level, the most loaded first, with the Gini coefficient of the loads per level (0 = even)."
        ),
    ),
    "recommend": Entry(
        "planning",
        N_("Analyses"),
        N_(
            "Suggest partners for the gaps: a min-cost flow that closes as many gaps as the helpers' capacities allow, preferring aligned partners (below the partner of the target's township) and even load."
        ),
    ),
    "whatif": Entry(
        "planning",
        N_("Analyses"),
        N_("Which targets lose every partner if these helpers withdraw, and coverage before and after."),
    ),
    "flows": Entry(
        "planning",
        N_("Analyses"),
        N_("Funds, projects, people and donations summed per kind, level, year, township, pairing..."),
    ),
    "timeline": Entry("planning", N_("Analyses"), N_("Coverage of a target set at several dates, e.g.")),
    "report": Entry(
        "report",
        N_("Analyses"),
        N_("Write the report workbook of a county on a day: coverage of every level, gaps, flows, five-in-one."),
    ),
    "viz": Entry("maps", N_("Maps"), N_("Write an interactive network map as one HTML file that works offline.")),
    "serve": Entry("server", N_("Serve"), N_("Serve the HTTP API and the maps.")),
    "users": Entry(
        "users", N_("Data"), N_("Named people and their tokens, for writes over the API (Authorization: Bearer TOKEN).")
    ),
}


class PairnetGroup(TyperGroup):
    """The command group of ``pairnet``: commands are imported when they run, and every
    command's errors are translated here (see :mod:`pairnet.cli.common`)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """A stand-in that carries the help listing's text, so that listing the commands
        imports none of them; :meth:`resolve_command` gives the real one."""
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        text = _(entry.short_help)
        return TyperCommand(cmd_name, short_help=text, help=text, rich_help_panel=_(entry.panel))

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0] if args else None
        if name in COMMANDS:
            return name, load_command(name), args[1:]
        return super().resolve_command(ctx, args)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Choose the language before anything is parsed (see :mod:`pairnet.cli.language`)."""
        choose_language(args)
        if parent is None:
            INVOKED.set(tuple(args))
        localize(self)
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        from .common import translate_errors

        with translate_errors():
            return super().invoke(ctx)


def load_command(name: str) -> Any:
    """The click command ``name`` as its module registers it on :data:`app`."""
    importlib.import_module(f"{__name__}.{COMMANDS[name].module}")
    command = typer.main.get_group(app).commands[name]
    localize(command)
    return command


app = typer.Typer(
    name="pairnet",
    cls=PairnetGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
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
        "(nothing written). Language: --lang zh|en, PAIRNET_LANG or the locale."
    ),
)


def _show_version(value: bool) -> None:
    if value:
        try:
            typer.echo(f"pairnet {version('pairnet')}")
        except PackageNotFoundError:
            typer.echo(_("pairnet (not installed)"))
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help=N_("Show the version and exit.")),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Plan and audit multi-level pairing networks (see pairnet --help)."""
    # The language was chosen from the arguments before parsing (PairnetGroup.make_context);
    # the option is declared here so that it is documented and checked.
