"""What a problem report may show a person: at most ``PAIRNET_MAX_PROBLEMS`` problems (the
rest counted), and nothing of the server — no temporary or installation path.

Both front doors (``pairnet.api.problems`` and ``pairnet.cli.common``) pass every
:class:`~pairnet.graph.errors.InvalidInput` through :func:`shown` before answering.
"""

from __future__ import annotations

import dataclasses
import site
import sys
import sysconfig
import tempfile
from typing import Any

from pairnet.graph.errors import Problem
from pairnet.loaders.limits import capped

__all__ = ["redact", "shown"]

HIDDEN = "…"


def _server_paths() -> tuple[str, ...]:
    """Folders whose names say something about the server, longest first."""
    found = {tempfile.gettempdir(), sys.prefix, sys.base_prefix, *site.getsitepackages()}
    found |= {sysconfig.get_paths()[key] for key in ("purelib", "platlib", "stdlib")}
    return tuple(sorted((p.rstrip("/") for p in found if p and p != "/"), key=len, reverse=True))


def redact(text: str) -> str:
    """``text`` with every server folder (temporary files, the installation) replaced by ``…``.

    >>> import tempfile
    >>> redact(tempfile.gettempdir() + "/upload-1x2/units.csv: not valid")
    '…/upload-1x2/units.csv: not valid'
    """
    for path in _server_paths():
        text = text.replace(path, HIDDEN)
    return text


def shown(problems: list[Problem]) -> list[Problem]:
    """The problems to show: capped (see :func:`pairnet.loaders.limits.capped`), with
    server paths removed from every text field."""
    return [_redacted(problem) for problem in capped(problems)]


def _redacted(problem: Problem) -> Problem:
    texts: dict[str, Any] = {
        field.name: redact(value)
        for field in dataclasses.fields(problem)
        if isinstance(value := getattr(problem, field.name), str)
    }
    return dataclasses.replace(problem, **texts)
