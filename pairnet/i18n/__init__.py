"""Chinese first: every text a person reads goes through this package's catalog.

Mark a text with :func:`_` where it is built (``_("Nothing was written.")``), or with
:func:`N_` where it is defined once and built later (a module-level constant, a help text),
then translate it with :func:`_` at the moment it is shown. Texts with a number use
:func:`ngettext`. Identifiers that tools read (JSON keys, enum values, URLs) are never
translated; :mod:`pairnet.i18n.labels` gives their labels beside them.

``make messages`` extracts the marked texts into ``pairnet/locale/pairnet.pot`` and updates
the ``zh_CN`` and ``en`` catalogs; ``tests/cli/test_i18n.py`` fails while a message lacks a
translation.

Examples
--------
>>> with use_language("zh"):
...     _("Nothing was written."), ngettext("{n} problem", "{n} problems", 2).format(n=2)
('未写入任何内容。', '2 个问题')
>>> with use_language("en"):
...     ngettext("{n} problem", "{n} problems", 1).format(n=1)
'1 problem'
"""

from __future__ import annotations

from .catalog import translations
from .language import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    current_language,
    language_from_env,
    language_from_header,
    normalize_language,
    set_language,
    use_language,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "gettext",
    "language_from_env",
    "language_from_header",
    "ngettext",
    "normalize_language",
    "set_language",
    "use_language",
]


def gettext(message: str) -> str:
    """``message`` in the current language (itself when the catalog lacks it)."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` that ``n`` takes in the current language."""
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (it is shown later
    through :func:`_`): for constants and help texts defined once at import."""
    return message


_ = gettext
