"""The CLI's language: ``--lang zh|en``, else ``PAIRNET_LANG``, else the locale.

The language must be known before any help is printed, and ``--help`` is handled while the
arguments are parsed, before any option callback could choose it; so the root command reads
``--lang`` from its arguments itself (:func:`language_in`), chooses the language, and then
translates every help text, panel title and the command's own description in place
(:func:`localize`). Help texts are written in English, marked with ``N_`` where they are
defined, and looked up in the catalog at that moment.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer

from pairnet.i18n import LANGUAGES, N_, _, language_from_env, normalize_language, set_language

__all__ = ["INVOKED", "LangOption", "Language", "choose_language", "language_in", "localize"]

# The arguments the running ``pairnet`` was called with (set by the command group before
# parsing), so that an export can name the command that wrote it (pairnet.cli.common).
INVOKED: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("pairnet_invoked", default=())

# Members from the catalog's languages; mypy reads enum members from literals only.
Language = StrEnum("Language", {code.upper(): code for code in LANGUAGES})  # type: ignore[misc]
LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        envvar="PAIRNET_LANG",
        show_default=False,
        is_eager=True,
        help=N_("Language of help and output: zh or en. Default: PAIRNET_LANG, else the locale (LANG)."),
    ),
]


def language_in(args: Sequence[str]) -> str | None:
    """The language a ``--lang`` among ``args`` names (before a ``--``), or None.

    >>> language_in(["--lang", "zh", "coverage"]), language_in(["--lang=en"]), language_in(["summary"])
    ('zh', 'en', None)
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            return normalize_language(args[index + 1])
        if arg.startswith("--lang="):
            return normalize_language(arg.partition("=")[2])
    return None


def choose_language(args: Sequence[str]) -> str:
    """Choose (and return) the language of this command: ``--lang`` in ``args``, else the
    environment (``PAIRNET_LANG``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``)."""
    language = language_in(args) or language_from_env()
    set_language(language)
    return language


def _parts(command: Any) -> Iterator[object]:
    yield command
    yield from command.params
    # Duck-typed: typer builds its commands on its own copy of click's classes.
    for sub in getattr(command, "commands", {}).values():
        yield from _parts(sub)


def localize(command: Any) -> None:
    """Translate, in place, the help of ``command``, of its options and of every subcommand,
    and the titles of their help panels, into the current language. The English originals
    are kept on each object, so that it can be localized again into another language."""
    for part in _parts(command):
        originals = part.__dict__.setdefault(
            "_pairnet_english",
            {name: getattr(part, name, None) for name in ("help", "short_help", "rich_help_panel")},
        )
        for name, english in originals.items():
            if english:  # gettext("") would return the catalog's header
                setattr(part, name, _(english))
