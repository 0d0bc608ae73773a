"""The listing commands: ``pairings`` (who is paired with whom, with names and codes of
both sides) and ``show`` (one unit or pairing in full, with its agreement and notes), thin
layers over :mod:`pairnet.service.listings` and :mod:`pairnet.service.record`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from pairnet.graph.columns import field_of
from pairnet.graph.model import Pairing
from pairnet.graph.network import build_network
from pairnet.i18n import N_, _
from pairnet.service import listings, scope
from pairnet.service.record import record
from pairnet.service.wording import ASSUMED_MARK, assumed_note, marked

from . import app
from .asking import CountyOption, LevelOption, TownshipOption, WithinOption
from .common import (
    AsOfOption,
    Format,
    FormatOption,
    OutputOption,
    StoreOption,
    connect,
    emit,
    emit_json,
    out,
    resolve_format,
)

__all__ = ["pairings_command", "show_command"]

PANEL = "Data"
PAIRING_COLUMNS = ["helper", "helper_code", "helped", "helped_code", "level", "program", "start", "end"]


@app.command("pairings", rich_help_panel=PANEL)
def pairings_command(
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    level: LevelOption = None,
    program: Annotated[
        str | None, typer.Option(help=N_("Only pairings of this program, as recorded."), show_default=False)
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Who is paired with whom: each pairing with the names and codes of both sides, its level, program and dates.

    Only pairings with a side below --county/--township/--within, at --level, active on
    --as-of (default: every date).

    Example: `pairnet pairings --county 520627 --level township --as-of 2018-12-31`.
    """
    with connect(store) as opened:
        dataset = opened.snapshot()
    G = build_network(dataset)
    day = as_of.date() if as_of is not None else None
    root = scope(G, county=county, township=township, within=within)
    found = listings.pairings(
        dataset,
        program=program,
        active_on=day,
        levels=frozenset(level) if level else None,
        units_in=None if root is None else listings.below(G, root, day),
    )
    title = listings.pairings_title(G, len(found), within=root, active_on=day)
    if resolve_format(fmt, output) in (Format.CSV, Format.XLSX):
        # The input format's columns, so that the file loads again as it is (as the API's).
        rows, columns = listings.named_record_rows(G, found), listings.named_record_columns(Pairing)
        emit(rows, columns=columns, fmt=fmt, output=output, sheet="pairings", caption=title)
        return
    rows = listings.named_pairings(G, found)
    if resolve_format(fmt, output) is Format.JSON:
        emit(rows, fmt=fmt, output=output, sheet="pairings")
        return
    _pairings_table(rows, title)


def _pairings_table(rows: list[dict], title: str) -> None:
    """Pairings on the terminal, assumed values marked and the mark explained below."""
    emit(marked(rows), columns=PAIRING_COLUMNS, title=title)
    note = assumed_note(rows)
    if note is not None:
        out.print(escape(note))


@app.command("show", rich_help_panel=PANEL)
def show_command(
    reference: Annotated[
        str, typer.Argument(help=N_("A pairing id, or a unit: id, division code, name or name path (县/镇/村)."))
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """One unit or pairing in full: every field (agreement, note, parents) and its pairings, both sides named.

    Examples: `pairnet show 沿河土家族自治县`; `pairnet show 张家港市/张家港市东西部扶贫协作领导小组`.
    """
    with connect(store) as opened:
        dataset = opened.snapshot()
    found = record(build_network(dataset), dataset, reference)
    if resolve_format(fmt, output) is Format.JSON:
        emit_json(found, output=output)
        return
    fields = [{"field": key, "value": value} for key, value in found["fields"].items() if value not in (None, "", [])]
    if resolve_format(fmt, output) is not Format.TABLE:
        emit(fields, fmt=fmt, output=output, sheet=found["record"])
        return
    # Lines rather than a table: an agreement or a note is read whole, never cut to a cell.
    assumed = {field_of(column) for column in found["fields"].get("assumed", ())}
    for row in fields:
        mark = ASSUMED_MARK if row["field"] in assumed else ""
        value = "、".join(row["value"]) if isinstance(row["value"], list) else str(row["value"])
        out.print(f"[bold]{escape(row['field'])}[/bold]: {escape(value + mark)}", soft_wrap=True)
    note = assumed_note([found["fields"]])
    if note is not None:
        out.print(escape(note))
    if found["pairings"]:
        _pairings_table(found["pairings"], _("Pairings"))
