"""What every pairnet command shares: the store option, error messages and exit statuses,
and the ``--format``/``--output`` handling of tabular results.

Exit statuses: 0 done; 1 the store failed (cannot be reached, busy, broken); 2 the input is
wrong (every problem is listed on stderr and nothing was written), or a bad option.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import re
import shlex
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pairnet.disclosure import shown
from pairnet.graph.errors import InvalidInput, InvalidParameter, NotFound, PairnetError, Problem, StoreError
from pairnet.i18n import N_, _, current_language, ngettext
from pairnet.i18n.choices import ChoiceError, parse_choice, parse_day
from pairnet.store.store import DEFAULT_STORE, Store, open_store
from pairnet.tables import Caption, render, to_rich

from .language import INVOKED

__all__ = [
    "AsOfOption",
    "as_of_option",
    "choice_option",
    "command_line",
    "spelled",
    "Format",
    "FormatOption",
    "OutputOption",
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
        help=N_("The store: a SQLite file (default pairnet.db) or a bolt:// / neo4j:// URI. Env: PAIRNET_STORE."),
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        show_default=False,
        help=N_("Output as a table (default on a terminal), csv, json or xlsx; default from --output's suffix."),
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", dir_okay=False, writable=True, help=N_("Write to this file instead of the terminal.")
    ),
]


def as_of_option(value: str) -> dt.datetime:
    """A typer ``parser=`` for a day in any form the loaders read (see :func:`parse_day`);
    midnight of that day, so that commands keep calling ``.date()``."""
    try:
        return dt.datetime.combine(parse_day(value), dt.time())
    except ChoiceError as error:
        raise typer.BadParameter(str(error)) from None


def choice_option(enum: type[Enum], among: Sequence[Enum] | None = None) -> Callable[[str], Enum]:
    """A typer ``parser=`` for an option naming a member of ``enum`` (of ``among`` when
    given) in English or in any Chinese word the loaders accept (``--kind 村``,
    ``--poverty 深度贫困村``, ``--level 村级``).

    Use it as ``typer.Option("--kind", parser=choice_option(Kind), metavar=metavar(Kind))``,
    also for ``list[Kind]`` options; a wrong value names the nearest accepted words.
    """

    def parse(value: str) -> Enum:
        try:
            return parse_choice(enum, value, among)
        except ChoiceError as error:
            raise typer.BadParameter(str(error)) from None

    parse.__name__ = enum.__name__.lower()
    return parse


AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        parser=as_of_option,
        metavar="YYYY-MM-DD",
        show_default=False,
        help=N_("Count as of this day (2018-12-31, 2018/12/31 or 2018年12月31日)."),
    ),
]


# The version stamp of the store the running command opened, for the "About" sheet of its
# exports: one command reads one store, and the doors below it need not carry the stamp.
_DATA_VERSION: contextvars.ContextVar[str] = contextvars.ContextVar("pairnet_data_version", default="")


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
            return open_store(":memory:")
        raise StoreError(
            _("store {uri} does not exist; load a file first: pairnet load FILE --store {uri}").format(uri=uri)
        )
    opened = open_store(uri)
    if not create:
        with contextlib.suppress(PairnetError):  # a store that cannot say its stamp fails on the read
            _DATA_VERSION.set(opened.version())
    return opened


def print_problems(problems: Sequence[Problem], *, console: Console | None = None) -> None:
    """Every problem as one row of a table: where it is (file, sheet, row, column), the
    value found, what is wrong and what was expected."""
    console = console or err
    count = len(problems)
    table = Table(title=ngettext("{n} problem", "{n} problems", count).format(n=count), title_justify="left")
    table.add_column(_("where"), overflow="fold", ratio=2)
    table.add_column(_("value"), overflow="fold", ratio=1)
    table.add_column(_("problem"), overflow="fold", ratio=2)
    table.add_column(_("expected"), overflow="fold", ratio=3)
    for problem in problems:
        table.add_row(
            escape(problem.location()),
            escape("" if problem.value is None else problem.value),
            escape(problem.message),
            escape(problem.expected or ""),
        )
    console.print(table)


def option_name(parameter: str) -> str:
    """How the CLI spells a setting the service names: ``helper_within`` → ``--helper-within``."""
    return "--" + parameter.replace("_", "-")


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn pairnet's exceptions into messages and exit statuses (see the module doc)."""
    try:
        yield
    except InvalidInput as error:
        print_problems(shown(error.problems))
        _fail(_("Nothing was written."), None, 2)
    except InvalidParameter as error:
        _fail(_("Invalid option:"), error.spelled(option_name), 2)
    except NotFound as error:
        where = f"{option_name(error.parameter)}: " if error.parameter else ""
        _fail(_("Not found:"), where + str(error), 2)
    except StoreError as error:
        _fail(_("Store error:"), error, 1)
    except PairnetError as error:
        _fail(_("Error:"), error, 1)


def _fail(heading: str, detail: object | None, status: int) -> None:
    message = f"[red]{escape(heading)}[/red]"
    if detail is not None:
        message += f" {escape(str(detail))}"
    err.print(message)
    raise typer.Exit(status) from None


_SHELL_SPECIAL = re.compile(r"[\s'\"$`\\;&|<>()*?#~!{}\[\]]")


def spelled(command: Sequence[str]) -> str:
    """``command`` as a person types it: Chinese names as they are, quoted only when the
    shell needs it (``shlex.join`` would quote every non-ASCII word)."""
    return " ".join(shlex.quote(word) if not word or _SHELL_SPECIAL.search(word) else word for word in command)


def command_line() -> str:
    """The running command as a person types it again, its language spelled out (the
    language may have come from the environment)."""
    args = list(INVOKED.get())
    if not any(arg == "--lang" or arg.startswith("--lang=") for arg in args):
        args = ["--lang", current_language(), *args]
    return spelled(["pairnet", *args])


def resolve_format(fmt: Format | None, output: Path | None) -> Format:
    """The format asked for, else the one ``output``'s suffix names, else a table."""
    if fmt is not None:
        return fmt
    if output is not None:
        suffix = output.suffix.lower().lstrip(".")
        if suffix in {"csv", "json", "xlsx"}:
            return Format(suffix)
        raise typer.BadParameter(
            _("cannot tell the format of {name}; add --format csv|json|xlsx").format(name=output.name),
            param_hint="--output",
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
    caption: str | None = None,
) -> None:
    """Show ``rows`` as asked: a rich table on the terminal, or CSV/JSON/XLSX to ``output``
    or to stdout (XLSX only to a file or a pipe, never to a terminal).

    With a ``caption`` (what was counted), CSV and XLSX are report-ready
    (:class:`pairnet.tables.Caption`): a title row, headers and labels in the reader's
    language, and an "About" sheet with this command and the version stamp of the store
    the command read."""
    fmt = resolve_format(fmt, output)
    if fmt is Format.TABLE:
        if output is not None:
            raise typer.BadParameter(_("a table is for the terminal; use --format csv|json|xlsx with --output"))
        out.print(to_rich(rows, columns, title=title))
        return
    count = len(rows)
    _write(
        render(
            rows,
            fmt.value,
            columns,
            sheet=sheet,
            caption=None if caption is None else Caption(caption, command_line(), _DATA_VERSION.get()),
        ),
        fmt,
        output,
        ngettext("{n} row", "{n} rows", count).format(n=count),
    )


def emit_json(document: object, *, output: Path | None = None) -> None:
    """Write one JSON document (UTF-8, Chinese as is) to ``output`` or stdout."""
    data = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8") + b"\n"
    _write(data, Format.JSON, output, "JSON")


def _write(data: bytes, fmt: Format, output: Path | None, what: str) -> None:
    if output is not None:
        output.write_bytes(data)
        err.print(escape(_("Wrote {what} to {path}").format(what=what, path=output)))
        return
    if fmt is Format.XLSX and sys.stdout.isatty():
        raise typer.BadParameter(_("XLSX is a binary file; give --output FILE.xlsx or pipe it"), param_hint="--format")
    stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if stream is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        stream.write(data)
        stream.flush()
