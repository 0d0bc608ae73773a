"""What the analysis commands share: the options that ask the question (target set, scope,
day, levels) and how an answer is shown: JSON, CSV or XLSX as the API gives them, a table
for people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
import typer
from rich.markup import escape

from pairnet.graph.model import Kind, Level, Poverty, Side
from pairnet.i18n import N_, _
from pairnet.i18n.choices import metavar
from pairnet.service import Answer
from pairnet.service.question import Resolver
from pairnet.service.question import day as date_of
from pairnet.service.scoped import network_for
from pairnet.service.wording import assumed_note, header, labelled
from pairnet.tables import columns_of

from .common import (
    Format,
    choice_option,
    connect,
    emit,
    emit_json,
    err,
    out,
    resolve_format,
)

__all__ = [
    "COUNTS",
    "CountyOption",
    "KindOption",
    "LevelOption",
    "PANEL",
    "PovertyOption",
    "ProgramOption",
    "SideOption",
    "StageOption",
    "TownshipOption",
    "WithinOption",
    "as_of_text",
    "as_percentages",
    "day_of",
    "for_people",
    "network",
    "question_places",
    "share_text",
    "show_answer",
    "show_table",
]

PANEL = "Analyses"
COUNTS = ["targets", "covered", "uncovered", "share"]

KindOption = Annotated[
    list[Kind] | None,
    typer.Option(
        "--kind",
        "-k",
        parser=choice_option(Kind),
        metavar=metavar(Kind),
        help=N_("Target kind (repeat for several). Default: village."),
        show_default=False,
    ),
]
SideOption = Annotated[
    Side, typer.Option("--side", parser=choice_option(Side), metavar=metavar(Side), help=N_("Target side."))
]
PovertyOption = Annotated[
    list[Poverty] | None,
    typer.Option(
        "--poverty",
        "-p",
        parser=choice_option(Poverty),
        metavar=metavar(Poverty),
        help=N_("Only villages of this poverty status (repeat)."),
        show_default=False,
    ),
]
CountyOption = Annotated[
    str | None,
    typer.Option(
        "--county",
        help=N_("Only units of this county: id, division code, name or name path (县/镇/村)."),
        show_default=False,
    ),
]
TownshipOption = Annotated[
    str | None,
    typer.Option(
        "--township",
        help=N_("Only units of this township: id, division code, name or name path (县/镇/村)."),
        show_default=False,
    ),
]
WithinOption = Annotated[
    str | None,
    typer.Option(
        "--within",
        help=N_("Only units below this unit: id, division code, name or name path (县/镇/村)."),
        show_default=False,
    ),
]
StageOption = Annotated[str | None, typer.Option("--stage", help=N_("Only schools of this stage."), show_default=False)]
ProgramOption = Annotated[
    str | None,
    typer.Option(
        "--program",
        help=N_(
            "Only this program (as recorded, e.g. 东西部协作): the side is the role in its pairings, and only they cover."
        ),
        show_default=False,
    ),
]
LevelOption = Annotated[
    list[Level] | None,
    typer.Option(
        "--level",
        "-l",
        parser=choice_option(Level),
        metavar=metavar(Level),
        help=N_("Pairing levels that count (repeat). Default: all."),
        show_default=False,
    ),
]


def network(store: str | None, *places: str | None) -> tuple[nx.MultiDiGraph, Resolver]:
    """The network for a question about ``places`` (scoped when they allow) and its resolver."""
    with connect(store) as opened:
        return network_for(opened, *places)


def question_places(*places: str | None, also: Sequence[str | None] = ()) -> tuple[str | None, ...]:
    """The places that scope a question: none when the question names no place (its target
    set is then the whole network's), else ``places`` and the other units it names ``also``."""
    return (*places, *also) if any(places) else ()


def day_of(as_of: dt.datetime | None) -> dt.date:
    return date_of(as_of.date() if as_of is not None else None)


def show_answer(
    answer: Answer[Any],
    *,
    fmt: Format | None,
    output: Path | None,
    title: str,
    notes: tuple[str, ...] = (),
    columns: list[str] | None = None,
) -> None:
    """JSON: the answer's document; CSV/XLSX: its rows; a table: its rows for people,
    with ``notes`` above (on stderr when the rows go to a file or a pipe)."""
    fmt = resolve_format(fmt, output)
    if fmt is Format.JSON:
        emit_json(answer.document(), output=output)
        return
    console = out if fmt is Format.TABLE else err
    for note in notes:
        console.print(escape(note))
    if fmt is Format.TABLE:
        show_table(answer.rows, columns, title)
        return
    emit(answer.rows, columns=answer.columns, fmt=fmt, output=output, sheet=answer.sheet, caption=answer.title)


def show_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None, title: str) -> None:
    """``rows`` as a table on the terminal, as a person reads them (see :func:`for_people`)."""
    shown, headers = for_people(rows, columns)
    emit(shown, columns=headers, title=title)
    note = assumed_note(rows)
    if note is not None:
        out.print(escape(note))


def for_people(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows and columns as a person reads them: headers and enum values in the current
    language, shares as percentages."""
    columns = list(columns) if columns is not None else columns_of(rows)
    shown = [{header(key): value for key, value in row.items()} for row in as_percentages(labelled(rows, mark=True))]
    return shown, [header(column) for column in columns]


def as_percentages(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Shares and ratios as percentages, for people (files keep the fractions)."""

    def shown(key, value):
        return f"{value:.1%}" if key in ("share", "ratio") and isinstance(value, float) else value

    return [{key: shown(key, value) for key, value in row.items()} for row in rows]


def as_of_text(as_of: dt.date) -> str:
    return _("as of {day}").format(day=as_of.isoformat())


def share_text(counts: Mapping[str, Any]) -> str:
    share = "—" if counts["share"] is None else f"{counts['share']:.1%}"
    return _("{covered} of {targets} covered ({share})").format(
        covered=counts["covered"], targets=counts["targets"], share=share
    )
