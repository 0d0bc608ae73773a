"""The data commands: ``load``, ``check``, ``summary``, ``imports`` and ``demo``."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pairnet.diff import NeedsConfirmation
from pairnet.graph.errors import PairnetError
from pairnet.graph.network import build_network
from pairnet.i18n import N_, _
from pairnet.imports import ImportReport, import_file
from pairnet.service import analyses
from pairnet.service.wording import header, labelled
from pairnet.store.store import DEFAULT_STORE, Store

from . import app
from .common import (
    AsOfOption,
    Format,
    FormatOption,
    OutputOption,
    StoreOption,
    connect,
    emit,
    emit_json,
    err,
    out,
    resolve_format,
    sqlite_path,
)
from .guide import next_steps
from .history import AuthorOption, YesOption, author_or_login, refuse_unconfirmed, show_diff

__all__ = ["check", "demo", "load", "summary"]

# Package data (pairnet/sample is data/zhangjiagang-yanhe), so it ships in the wheel and the image.
SAMPLE = Path(str(resources.files("pairnet").joinpath("sample", "zhangjiagang-yanhe.xlsx")))

InputFile = Annotated[
    Path,
    typer.Argument(
        exists=True,
        readable=True,
        resolve_path=False,
        show_default=False,
        help=N_("An .xlsx workbook, a .csv (units/pairings/flows), a folder of such CSVs, or a .json file."),
    ),
]
SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        help=N_("Name this import's source (default: the path as given); --replace touches only that source."),
        show_default=False,
    ),
]
ReportFormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", help=N_("table (default) or json: the same document as the API."), show_default=False
    ),
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        "-m",
        exists=True,
        dir_okay=False,
        help=N_("A .toml or .json file mapping more headers and sheet names."),
    ),
]


AllowNearDuplicatesOption = Annotated[
    bool,
    typer.Option(
        "--allow-near-duplicates",
        help=N_("Accept new units named like a sibling (another width, spaces) or one code digit off."),
    ),
]


def _load(
    store: Store,
    path: Path,
    *,
    replace: bool,
    mapping: Path | None,
    source: str | None = None,
    confirm: bool = False,
    author: str | None = None,
    allow_near_duplicates: bool = False,
) -> ImportReport:
    """Import ``path``: a pulsing bar while it is read and checked, then a progress bar."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(_("checking {name}").format(name=escape(path.name)), total=None)

        def advance(done: int, total: int) -> None:
            bar.update(
                task, description=_("writing {name}").format(name=escape(path.name)), completed=done, total=total
            )

        try:
            return import_file(
                store,
                path,
                source=source,
                mapping=mapping,
                replace=replace,
                confirm=confirm,
                progress=advance,
                author=author_or_login(author),
                allow_near_duplicates=allow_near_duplicates,
            )
        except BaseException:
            bar.update(task, visible=False)  # the problems, not a stuck bar, are the news
            raise


def _print_report(report: ImportReport, fmt: Format | None = None) -> None:
    if fmt is Format.JSON:
        emit_json(report.to_dict())
        return
    counts = _counts(report.counts)
    if report.dry_run:
        if report.diff is not None:
            show_diff(report.diff)
            for reason in report.diff.reasons_to_confirm():
                out.print("[yellow]![/yellow] " + _("loading it needs --yes: {reason}").format(reason=escape(reason)))
        out.print(
            "[green]✓[/green] "
            + _("{source} is valid: {counts}. Nothing was written.").format(source=escape(report.source), counts=counts)
        )
        return
    summary = report.summary
    assert summary is not None  # an import that was not a dry run wrote something
    line = "[green]✓[/green] " + _("loaded {source}: {counts}").format(source=escape(report.source), counts=counts)
    removed = {k: n for k, n in summary.removed.items() if n}
    if removed:
        line += _("; removed {counts}").format(counts=_counts(removed))
    out.print(line)
    out.print("  " + _("import {id}, store version {version}").format(id=summary.import_id, version=summary.version))


# How many records of each sheet, as a load's report says it.
_COUNTED = {"units": N_("{n} units"), "pairings": N_("{n} pairings"), "flows": N_("{n} flows")}


def _counts(counts: dict[str, int]) -> str:
    """``{"units": 6, "pairings": 2}`` in words: "6 units, 2 pairings" (6 个单位、2 个结对)."""
    return _(", ").join(
        _(_COUNTED[kind]).format(n=n) if kind in _COUNTED else f"{n} {kind}" for kind, n in counts.items()
    )


@app.command(rich_help_panel="Data")
def load(
    file: InputFile,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help=N_("Make the store's records from this file match it: rows removed from the file are removed."),
        ),
    ] = False,
    mapping: MappingOption = None,
    allow_near_duplicates: AllowNearDuplicatesOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Check and show what would change (the diff); write nothing."))
    ] = False,
    yes: YesOption = False,
    source: SourceOption = None,
    author: AuthorOption = None,
    fmt: ReportFormatOption = None,
    store: StoreOption = None,
) -> None:
    """Load a file into the store: all of it, or nothing and a list of every problem.

    Loading the same file again gives the same state; records are matched by id (the
    division code, or an id derived from kind, parent and name). A load that removes
    records, changes more than 10% of its source's records or touches another source's
    records shows the diff and needs --yes.
    """
    if dry_run:
        with connect(store, empty_if_missing=True) as opened:
            report = import_file(opened, file, source=source, mapping=mapping, replace=replace, dry_run=True)
        _print_report(report, fmt)
        return
    new_file = sqlite_path(store)
    if new_file is not None and new_file.exists():
        new_file = None
    try:
        with connect(store, create=True) as opened:
            report = _load(
                opened,
                file,
                replace=replace,
                mapping=mapping,
                source=source,
                confirm=yes,
                author=author,
                allow_near_duplicates=allow_near_duplicates,
            )
        _print_report(report, fmt)
    except NeedsConfirmation as error:
        refuse_unconfirmed(error, fmt)
    except PairnetError:
        if new_file is not None:  # a failed first load leaves no empty store behind
            for suffix in ("", "-wal", "-shm"):
                Path(f"{new_file}{suffix}").unlink(missing_ok=True)
        raise


@app.command(rich_help_panel="Data")
def check(
    file: InputFile,
    replace: Annotated[bool, typer.Option("--replace", help=N_("Check as for load --replace."))] = False,
    mapping: MappingOption = None,
    allow_near_duplicates: AllowNearDuplicatesOption = False,
    source: SourceOption = None,
    fmt: ReportFormatOption = None,
    store: StoreOption = None,
) -> None:
    """Check a file against the store without writing anything; exit 2 if it has problems.

    References to units already in the store count as known. With no store yet, the file
    is checked on its own. Shows the diff: what loading it would add, change and remove.
    """
    with connect(store, empty_if_missing=True) as opened:
        report = import_file(
            opened,
            file,
            source=source,
            mapping=mapping,
            replace=replace,
            dry_run=True,
            allow_near_duplicates=allow_near_duplicates,
        )
    _print_report(report, fmt)


def _summary_rows(result: dict) -> list[dict]:
    """The three summary tables as one list of rows, for CSV and XLSX."""
    rows = []
    for record, table in (("unit", "units"), ("pairing", "pairings"), ("flow", "flows")):
        for row in result[table]:
            rows.append({"record": record, **row})
    return rows


SUMMARY_COLUMNS = ["record", "kind", "side", "level", "mode", "unit_of_measure", "count", "amount"]


def _show_summary(opened: Store, *, as_of: dt.date | None, fmt: Format | None, output: Path | None) -> None:
    answer = analyses.summary(build_network(opened.snapshot()), as_of=as_of)
    result = answer.result
    fmt = resolve_format(fmt, output)
    if fmt is Format.JSON:
        emit_json(answer.document(), output=output)
        return
    if fmt is not Format.TABLE:
        emit(answer.rows, columns=answer.columns, fmt=fmt, output=output, sheet=answer.sheet, caption=answer.title)
        return
    totals = result["totals"]
    when = _(" as of {day}").format(day=as_of.isoformat()) if as_of else ""
    out.print(
        f"[bold]{escape(opened.uri)}[/bold]{when}: "
        + _counts({"units": totals["units"], "pairings": totals["pairings"], "flows": totals["flows"]})
    )
    for table, columns, title in (
        ("units", ["kind", "side", "count"], N_("Units")),
        ("pairings", ["level", "mode", "count"], N_("Pairings")),
        ("flows", ["kind", "unit_of_measure", "count", "amount"], N_("Flows")),
    ):
        # The labels and headers a person reads (村, 西部, 村级), not the identifiers.
        rows = labelled(result[table])  # type: ignore[literal-required]
        shown = [{header(column): row.get(column) for column in columns} for row in rows]
        emit(shown, columns=[header(column) for column in columns], title=_(title))


@app.command(rich_help_panel="Data")
def summary(
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Count what the store holds: units, pairings and flows by kind, side, level and mode.

    Flows are summed per unit of measure (万元, people...). With --as-of, only the units
    valid and the pairings active on that day count, and the flows up to its year.
    """
    with connect(store) as opened:
        _show_summary(opened, as_of=as_of.date() if as_of else None, fmt=fmt, output=output)


@app.command(rich_help_panel="Data")
def demo(
    store: StoreOption = None,
    sample: Annotated[
        Path | None, typer.Option(help=N_("Load this file instead of the sample."), show_default=False)
    ] = None,
) -> None:
    """Load the Zhangjiagang–Yanhe sample into the store (pairnet.db) and summarise it.

    The sample is loaded with --replace, so running the demo again gives the same store; a
    store that holds other data is left alone (give another with --store). It ends with the
    commands to type next.
    """
    sample = sample or SAMPLE
    if not sample.exists():
        raise typer.BadParameter(
            _("{sample} does not exist (the sample ships with a pairnet checkout)").format(sample=sample),
            param_hint="--sample",
        )
    uri = store or DEFAULT_STORE
    with connect(uri, create=True) as opened:
        others = sorted({item.source for item in opened.imports() if Path(item.source).name != sample.name})
        if others:
            raise typer.BadParameter(
                _(
                    "{store} already holds other data ({sources}); give the demo its own: --store pairnet-demo.db"
                ).format(store=uri, sources=", ".join(others[:3])),
                param_hint="--store",
            )
        _print_report(_load(opened, sample, replace=True, mapping=None, confirm=True))
        _show_summary(opened, as_of=None, fmt=None, output=None)
    for line in next_steps(uri):
        out.print(line)
