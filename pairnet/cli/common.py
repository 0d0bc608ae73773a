"""What every pairnet command shares: the store option, error messages and exit statuses,
and the ``--format``/``--output`` handling of tabular results.

Exit statuses: 0 done; 1 the store failed (cannot be reached, busy, broken); 2 the input is
wrong (every problem is listed on stderr and nothing was written), or a bad option.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from pairnet.disclosure import shown
from pairnet.graph.errors import InvalidInput, NotFound, PairnetError, Problem, StoreError
from pairnet.store.sqlite_store import SqliteStore
from pairnet.store.store import DEFAULT_STORE, Store, open_store
from pairnet.tables import render, to_rich

__all__ = [
    "AsOfOption",
    "Format",
    "FormatOption",
    "OutputOption",
    "PairnetGroup",
    "StoreOption",
    "connect",
    "emit",
    "emit_json",
    "resolve_format",
    "sqlite_path",
    "err",
    "out",
    "print_problems",
    "translate_errors",
]

out = Console()
err = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        "-s",
        envvar="PAIRNET_STORE",
        show_default=False,
        help=f"The store: a SQLite file (default {DEFAULT_STORE}) or a bolt:// / neo4j:// URI. Env: PAIRNET_STORE.",
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        show_default=False,
        help="Output as a table (default on a terminal), csv, json or xlsx; default from --output's suffix.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", dir_okay=False, writable=True, help="Write to this file instead of the terminal."),
]
AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        show_default=False,
        help="Count as of this day (YYYY-MM-DD).",
    ),
]


def sqlite_path(uri: str | None) -> Path | None:
    """The file of a SQLite store URI (None for Neo4j)."""
    uri = uri or DEFAULT_STORE
    if "://" not in uri:
        return Path(uri)
    if uri.startswith("sqlite:///"):
        return Path(uri[len("sqlite:///") :])
    return None


def connect(uri: str | None, *, create: bool = False, empty_if_missing: bool = False) -> Store:
    """Open the store at ``uri``. A SQLite file must exist unless ``create``, so that
    reading commands do not leave an empty store behind a typo; with ``empty_if_missing``
    a missing file reads as an empty store (in memory, nothing is created)."""
    uri = uri or DEFAULT_STORE
    path = sqlite_path(uri)
    if path is not None and not create and not path.exists():
        if empty_if_missing:
            return SqliteStore(":memory:")
        raise StoreError(f"store {uri} does not exist; load a file first: pairnet load FILE --store {uri}")
    return open_store(uri)


def print_problems(problems: Sequence[Problem], *, console: Console | None = None) -> None:
    """Every problem as one row of a table: where it is (file, sheet, row, column), the
    value found, what is wrong and what was expected."""
    console = console or err
    table = Table(title=f"{len(problems)} problem{'s' if len(problems) != 1 else ''}", title_justify="left")
    table.add_column("where", overflow="fold", ratio=2)
    table.add_column("value", overflow="fold", ratio=1)
    table.add_column("problem", overflow="fold", ratio=2)
    table.add_column("expected", overflow="fold", ratio=3)
    for problem in problems:
        table.add_row(
            escape(problem.location()),
            escape("" if problem.value is None else problem.value),
            escape(problem.message),
            escape(problem.expected or ""),
        )
    console.print(table)


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn pairnet's exceptions into messages and exit statuses (see the module doc)."""
    try:
        yield
    except InvalidInput as error:
        print_problems(shown(error.problems))
        err.print("[red]Nothing was written.[/red]")
        raise typer.Exit(2) from None
    except NotFound as error:
        err.print(f"[red]Not found:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    except StoreError as error:
        err.print(f"[red]Store error:[/red] {escape(str(error))}")
        raise typer.Exit(1) from None
    except PairnetError as error:
        err.print(f"[red]Error:[/red] {escape(str(error))}")
        raise typer.Exit(1) from None


class PairnetGroup(TyperGroup):
    """The command group of ``pairnet``: every command's errors are translated here."""

    def invoke(self, ctx):
        with translate_errors():
            return super().invoke(ctx)


def resolve_format(fmt: Format | None, output: Path | None) -> Format:
    """The format asked for, else the one ``output``'s suffix names, else a table."""
    if fmt is not None:
        return fmt
    if output is not None:
        suffix = output.suffix.lower().lstrip(".")
        if suffix in {"csv", "json", "xlsx"}:
            return Format(suffix)
        raise typer.BadParameter(
            f"cannot tell the format of {output.name}; add --format csv|json|xlsx", param_hint="--output"
        )
    return Format.TABLE


def emit(
    rows: Sequence[Mapping[str, object]],
    *,
    columns: Sequence[str] | None = None,
    fmt: Format | None = None,
    output: Path | None = None,
    title: str | None = None,
    sheet: str = "data",
) -> None:
    """Show ``rows`` as asked: a rich table on the terminal, or CSV/JSON/XLSX to ``output``
    or to stdout (XLSX only to a file or a pipe, never to a terminal)."""
    fmt = resolve_format(fmt, output)
    if fmt is Format.TABLE:
        if output is not None:
            raise typer.BadParameter("a table is for the terminal; use --format csv|json|xlsx with --output")
        out.print(to_rich(rows, columns, title=title))
        return
    _write(render(rows, fmt.value, columns, sheet=sheet), fmt, output, f"{len(rows)} rows")


def emit_json(document: object, *, output: Path | None = None) -> None:
    """Write one JSON document (UTF-8, Chinese as is) to ``output`` or stdout."""
    data = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8") + b"\n"
    _write(data, Format.JSON, output, "JSON")


def _write(data: bytes, fmt: Format, output: Path | None, what: str) -> None:
    if output is not None:
        output.write_bytes(data)
        err.print(f"Wrote {what} to {escape(str(output))}")
        return
    if fmt is Format.XLSX and sys.stdout.isatty():
        raise typer.BadParameter("XLSX is a binary file; give --output FILE.xlsx or pipe it", param_hint="--format")
    stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if stream is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        stream.write(data)
        stream.flush()
