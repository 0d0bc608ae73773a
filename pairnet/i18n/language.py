"""Which language a person reads: a context-local choice with a process default.

The CLI sets it once (``--lang``, else ``PAIRNET_LANG``, else the locale), the API per
request (``?lang=``, else ``Accept-Language``); everything that builds a text for a person
asks :func:`current_language` at that moment. A :class:`contextvars.ContextVar` keeps two
requests served at once from seeing each other's choice.

Examples
--------
>>> normalize_language("zh_CN.UTF-8"), normalize_language("en-GB"), normalize_language("fr")
('zh', 'en', None)
>>> language_from_header("fr-CH, zh-CN;q=0.8, en;q=0.5")
'zh'
>>> with use_language("en"):
...     current_language()
'en'
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator, Mapping

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "current_language",
    "language_from_env",
    "language_from_header",
    "normalize_language",
    "set_language",
    "use_language",
]

# The languages pairnet speaks: the short codes people type, and the gettext locale of each.
LANGUAGES: dict[str, str] = {"zh": "zh_CN", "en": "en"}
# What a locale that names neither language gets: the users are Chinese-speaking planners,
# but a machine with LANG=C or en_US is most often a developer's or a server's.
DEFAULT_LANGUAGE = "en"

_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("pairnet_language", default=None)
_process_default: str | None = None


def normalize_language(value: str | None) -> str | None:
    """The language code (``zh`` or ``en``) that a locale name or language tag means, or None.

    >>> normalize_language("zh-Hans-CN"), normalize_language("EN_us"), normalize_language("C")
    ('zh', 'en', None)
    """
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].split(".", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``PAIRNET_LANG``, then the locale variables
    (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): one starting with ``zh`` means Chinese.

    >>> language_from_env({"LANG": "zh_CN.UTF-8"}), language_from_env({"LANG": "C.UTF-8"})
    ('zh', 'en')
    >>> language_from_env({"PAIRNET_LANG": "en", "LC_ALL": "zh_CN.UTF-8"})
    'en'
    """
    environ = os.environ if environ is None else environ
    explicit = normalize_language(environ.get("PAIRNET_LANG"))
    if explicit:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:  # the first one set decides, as in POSIX
            return normalize_language(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def language_from_header(header: str | None) -> str | None:
    """The best language an ``Accept-Language`` header accepts, or None when it names neither.

    >>> language_from_header("en-US,en;q=0.9"), language_from_header("de") is None
    ('en', True)
    """
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.partition(";")
        language = normalize_language(tag)
        if language is None:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def current_language() -> str:
    """The language of the text being built now: this context's choice, else the process's."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    global _process_default
    if _process_default is None:
        _process_default = language_from_env()
    return _process_default


def set_language(language: str) -> None:
    """Choose ``language`` (``zh`` or ``en``) for this context and everything it starts.

    The CLI calls it once per command; a request handler uses :func:`use_language` instead.
    """
    _chosen.set(_checked(language))


@contextlib.contextmanager
def use_language(language: str) -> Iterator[None]:
    """Build texts in ``language`` inside the ``with`` block, then go back to the previous choice."""
    token = _chosen.set(_checked(language))
    try:
        yield
    finally:
        _chosen.reset(token)


def _checked(language: str) -> str:
    code = normalize_language(language)
    if code is None:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return code
