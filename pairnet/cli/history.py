"""The import history: ``pairnet imports`` (list) and ``pairnet imports revert ID``, and the
diff table that ``load --dry-run``, ``check`` and ``revert`` print."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from pairnet.diff import ImportDiff, NeedsConfirmation
from pairnet.i18n import N_, _
from pairnet.imports import ImportReport
from pairnet.revert import RevertRefused, revert_import
from pairnet.service.wording import column_label, sheet_label, value_label

from . import app
from .common import Format, FormatOption, OutputOption, StoreOption, connect, emit, emit_json, err, out

__all__ = ["AuthorOption", "YesOption", "author_or_login", "imports_app", "refuse_unconfirmed", "show_diff"]

# How many changed or removed records the table lists; --format json has up to 1,000 per list.
SHOWN = 20
# The diff table's columns and their headers.
_DIFF_COLUMNS = {
    "sheet": N_("sheet"),
    "new": N_("new"),
    "changed": N_("changed"),
    "removed": N_("removed"),
    "unchanged": N_("unchanged"),
}

# A record of each sheet, as the diff's lines name it ("changed pairing p-…").
_RECORD_WORDS = {"units": N_("unit"), "pairings": N_("pairing"), "flows": N_("flow")}

AuthorOption = Annotated[
    str | None,
    typer.Option(
        "--author", help=N_("Who makes this change, for the history (default: your login name)."), show_default=False
    ),
]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help=N_("Write even a large change or one that removes records."))
]

imports_app = typer.Typer(
    help=N_("The imports into the store, oldest first; `pairnet imports revert ID` undoes one."),
    invoke_without_command=True,
)
app.add_typer(imports_app, name="imports", rich_help_panel="Data")


def author_or_login(author: str | None) -> str | None:
    """``author`` if given, else the login name of whoever runs the command."""
    if author:
        return author
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a user entry)
        return None


def show_diff(diff: ImportDiff) -> None:
    """The diff as tables: counts per sheet, then the first changed and removed records."""
    table = Table(title=_("Changes from {source}").format(source=escape(diff.source)), title_justify="left")
    for column, heading in _DIFF_COLUMNS.items():
        table.add_column(_(heading), justify="left" if column == "sheet" else "right")
    for name, sheet in diff.sheets.items():
        table.add_row(
            sheet_label(name),
            str(len(sheet.new)),
            str(len(sheet.changed)),
            str(len(sheet.removed)),
            str(sheet.unchanged),
        )
    out.print(table)
    for name, sheet in diff.sheets.items():
        for record_id, fields in sheet.changed[:SHOWN]:
            changes = _("; ").join(
                f"{column_label(c.field)}: {_shown(c.field, c.old)} → {_shown(c.field, c.new)}" for c in fields
            )
            out.print(
                "  "
                + _("changed {sheet} {id}: {changes}").format(
                    sheet=_(_RECORD_WORDS[name]), id=escape(record_id), changes=escape(changes)
                )
            )
        for record_id in sheet.removed[:SHOWN]:
            out.print("  " + _("removed {sheet} {id}").format(sheet=_(_RECORD_WORDS[name]), id=escape(record_id)))
        hidden = max(0, len(sheet.changed) - SHOWN) + max(0, len(sheet.removed) - SHOWN)
        if hidden:
            out.print(
                "  " + _("… and {n} more {sheet} (--format json lists them)").format(n=hidden, sheet=sheet_label(name))
            )


def _shown(column: str, value: object) -> str:
    """A changed field's value in the diff's lines: labelled, quoted when text, "—" when empty."""
    if value is None:
        return "—"
    shown = value_label(column, value)
    return f"“{shown}”" if isinstance(value, str) and shown == value else str(shown)


def refuse_unconfirmed(error: NeedsConfirmation, fmt: Format | None) -> None:
    """Show why an import needs --yes and exit 2: nothing was written."""
    if fmt is Format.JSON:
        emit_json({"written": False, "needs_confirmation": error.reasons, "diff": error.diff.to_dict()})
    else:
        show_diff(error.diff)
        for reason in error.reasons:
            err.print(f"[yellow]![/yellow] {escape(reason)}")
        err.print(
            "[red]"
            + _("Nothing was written.")
            + "[/red] "
            + _("Review the changes above and run again with --yes to write them.")
        )
    raise typer.Exit(2)


def _print_revert(report: ImportReport, fmt: Format | None) -> None:
    if fmt is Format.JSON:
        emit_json(report.to_dict())
        return
    if report.diff is not None:
        show_diff(report.diff)
    if report.dry_run or report.summary is None:
        out.print(_("Nothing was written (--dry-run)."))
    else:
        out.print(
            "[green]✓[/green] "
            + _("reverted: import {id}, store version {version}").format(
                id=report.summary.import_id, version=report.summary.version
            )
        )


@imports_app.callback()
def imports(
    ctx: typer.Context,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """List the imports into the store, oldest first: who, when, from where, what."""
    if ctx.invoked_subcommand is not None:
        return
    with connect(store) as opened:
        rows = [
            {
                "import_id": item.import_id,
                "source": item.source,
                "author": item.author or "",
                "imported_at": item.imported_at.isoformat(timespec="seconds"),
                **item.written,
                "removed": sum(item.removed.values()),
                "reverts": item.reverts or "",
                "version": item.version,
            }
            for item in opened.imports()
        ]
    emit(rows, fmt=fmt, output=output, title="Imports", sheet="imports")


@imports_app.command()
def revert(
    import_id: Annotated[str, typer.Argument(help=N_("The import to undo (its id from `pairnet imports`)."))],
    yes: YesOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Show what the revert would do; write nothing."))
    ] = False,
    author: AuthorOption = None,
    fmt: FormatOption = None,
    store: StoreOption = None,
) -> None:
    """Return the store to its state before import ID, recorded as a new import.

    Refused (exit 2) while a later import depends on it; those are named.
    """
    with connect(store) as opened:
        try:
            report = revert_import(opened, import_id, dry_run=dry_run, confirm=yes, author=author_or_login(author))
        except NeedsConfirmation as error:
            refuse_unconfirmed(error, fmt)
        except RevertRefused as error:
            err.print(f"[red]Refused:[/red] {escape(str(error))}")
            raise typer.Exit(2) from None
    _print_revert(report, fmt)
