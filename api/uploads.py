"""Bounded uploads: a request body over the limit is refused (413) as soon as it is known to
be too large, and an uploaded file must be what its extension says (415 otherwise).

:class:`BodyLimit` is ASGI middleware: a declared ``Content-Length`` over the limit is
refused before anything is read; otherwise the bytes are counted as they stream in and
:class:`BodyTooLarge` is raised the moment the count passes the limit, so neither memory nor
the spool file ever holds more than the limit.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path, PurePath

from pairnet.i18n import N_, _

from .problems import ProblemItem, problem

__all__ = ["ACCEPTED", "BodyLimit", "BodyTooLarge", "WrongFileType", "safe_name", "sniff"]

ACCEPTED = {".xlsx": N_("an XLSX workbook"), ".csv": N_("a CSV text file"), ".json": N_("a JSON document")}
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"\x1f\x8b", b"GIF8")


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(_("the upload is larger than the limit of {limit} bytes").format(limit=limit))


class WrongFileType(Exception):
    """The upload is not a file pairnet imports, or its content does not match its name."""

    def __init__(self, detail: str, problems: list[ProblemItem]):
        self.detail = detail
        self.problems = problems
        super().__init__(detail)


class BodyLimit:
    """ASGI middleware that refuses request bodies over ``max_bytes`` with 413."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            response = problem(413, str(BodyTooLarge(self.max_bytes)), slug="upload-too-large")
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)


def safe_name(filename: str | None) -> str:
    """The upload's file name without any directory part and with no odd characters,
    keeping Chinese letters (a CSV upload is named after its sheet: 结对.csv).

    >>> safe_name("../../etc/units.csv"), safe_name("C:\\\\tmp\\\\帮扶 2018.xlsx"), safe_name(None)
    ('units.csv', '帮扶_2018.xlsx', 'upload')
    """
    base = PurePath((filename or "").replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\-]+", "_", base).strip("._")
    return cleaned or "upload"


def sniff(path: Path, name: str) -> None:
    """Raise :class:`WrongFileType` unless the file at ``path`` is what ``name``'s extension claims."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise WrongFileType(
            _("{name}: pairnet imports .xlsx, .csv and .json files").format(name=name),
            [
                ProblemItem(
                    message=_("unsupported file type"),
                    file=name,
                    value=suffix or _("(none)"),
                    expected=", ".join(ACCEPTED),
                )
            ],
        )
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if suffix == ".xlsx":
        ok = zipfile.is_zipfile(path) and _is_workbook(path)
    else:
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        text_like = (utf16 or b"\x00" not in head) and not head.startswith(_BINARY_MAGIC)
        ok = text_like and (suffix != ".json" or utf16 or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["))
    if not ok:
        expected = _(ACCEPTED[suffix])
        raise WrongFileType(
            _("{name}: the content is not {expected}").format(name=name, expected=expected),
            [
                ProblemItem(
                    message=_("the content does not match the {suffix} extension").format(suffix=suffix),
                    file=name,
                    expected=expected,
                )
            ],
        )


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
