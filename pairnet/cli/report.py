"""``pairnet report``: the workbook a cooperation office sends upward, about one county on
one day (see :mod:`pairnet.service.report`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pairnet.graph.network import build_network
from pairnet.i18n import N_, _, current_language
from pairnet.service.report import report, report_name, report_root

from . import app
from .common import StoreOption, as_of_option, connect, err, spelled

__all__ = ["report_command"]


@app.command("report", rich_help_panel=N_("Analyses"))
def report_command(
    county: Annotated[
        str, typer.Option("--county", help=N_("The county: id, division code, name or name path."), show_default=False)
    ],
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            parser=as_of_option,
            metavar="YYYY-MM-DD",
            show_default=False,
            help=N_("The day of the report (2018-12-31, 2018/12/31 or 2018年12月31日). Default: today."),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            writable=True,
            show_default=False,
            help=N_("The workbook to write. Default: report-<county>-<day>.xlsx."),
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write the report workbook of a county on a day: coverage of every level, gaps, flows, five-in-one.

    Coverage of the townships (two-way), villages, deeply poor villages, enterprises–villages,
    parks and schools; the gaps; flows by kind and year; the five-in-one summary; each sheet
    titled and dated, and a last sheet with the figures and the command that wrote it.

    Example: `pairnet report --county 沿河土家族自治县 --as-of 2018-12-31 -o 沿河-2018.xlsx`.
    """
    with connect(store) as opened:
        G = build_network(opened.snapshot())
    day = as_of.date() if as_of is not None else dt.date.today()
    root = report_root(G, county)
    name = report_name(G, root, day)
    path = output or Path(f"{name}.xlsx")
    # The command that writes this workbook again, every setting spelled out (today's date too).
    command = ["pairnet", "--lang", current_language(), "report", "--county", county, "--as-of", day.isoformat()]
    command += ["--output", str(path), *(["--store", store] if store else [])]
    data = report(G, root=root, as_of=day, source=spelled(command))
    path.write_bytes(data)
    err.print(escape(_("Wrote the report to {path}").format(path=path)))
