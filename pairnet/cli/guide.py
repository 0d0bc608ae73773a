"""What to do after ``pairnet demo``: the commands to type next and the pages to open,
in the reader's language, with ``--store`` only when the demo did not use the default store."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from rich.markup import escape

from pairnet.i18n import _
from pairnet.store.store import DEFAULT_STORE

__all__ = ["next_steps", "pairnet_command"]

# The sample's helped county: 沿河土家族自治县 (520627).
SAMPLE_COUNTY = "520627"


def pairnet_command() -> str:
    """How to call ``pairnet`` from here: the bare name when it is on the PATH, else the
    path of the program now running (``.venv/bin/pairnet`` after ``make demo``)."""
    if shutil.which("pairnet"):
        return "pairnet"
    program = Path(sys.argv[0])
    if program.name == "pairnet" and program.exists():
        try:
            return shlex.quote(os.path.relpath(program))
        except ValueError:  # another drive (Windows)
            return shlex.quote(str(program))
    return "pairnet"


def next_steps(store: str, *, host: str = "127.0.0.1", port: int = 8000) -> list[str]:
    """The lines (rich markup) that tell what to type and open after the demo."""
    command = pairnet_command()
    store_flag = "" if store in (DEFAULT_STORE, os.environ.get("PAIRNET_STORE")) else f" --store {shlex.quote(store)}"
    base = f"http://{host}:{port}"
    commands = [
        (f"{command} coverage --county {SAMPLE_COUNTY}{store_flag}", _("village coverage of 沿河土家族自治县")),
        (f"{command} gaps --county {SAMPLE_COUNTY}{store_flag}", _("its units without a partner")),
        (f"{command} serve --demo{store_flag}", _("the API and the maps (make demo starts it now)")),
    ]
    type_next, open_next = _("Next, type:"), _("Then open:")
    pages = [(f"{base}/maps/", _("the maps")), (f"{base}/docs", _("the API, to try in the browser"))]
    lines = ["", f"[bold]{escape(type_next)}[/bold]"]
    lines += [f"  [cyan]{escape(text)}[/cyan]   {escape(why)}" for text, why in commands]
    lines += [f"[bold]{escape(open_next)}[/bold]"]
    lines += [f"  [cyan]{url}[/cyan]   {escape(what)}" for url, what in pages]
    return lines
