"""The compiled message catalogs: ``pairnet/locale/<locale>/LC_MESSAGES/pairnet.po`` → ``.mo``.

The ``.po`` files are the sources, kept in the repository. A wheel carries them compiled
(``setup.py`` compiles them while building); a checkout or an editable install has only the
sources, so the first use compiles each one with Babel into the user's cache, under a name
that holds a digest of the source: an edited ``.po`` is compiled again, an unchanged one
never. When no cache folder can be written, the catalog is compiled in memory.

Why not compile only at build time: an editable install (``pip install -e``) does not run
the build, and the developers and CI use one; why not only at first use: a wheel installed
read-only (a system package, a container) should not need Babel or a writable home.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
import os
from pathlib import Path

from .language import LANGUAGES

__all__ = ["DOMAIN", "LOCALE_DIR", "compile_catalog", "translations"]

DOMAIN = "pairnet"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def _source(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _cache_dir() -> Path:
    root = os.environ.get("PAIRNET_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "pairnet" / "locale"


def compile_catalog(po: bytes) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file's bytes (Babel's compiler, fuzzy entries left out).

    >>> mo = compile_catalog(_source("zh_CN").read_bytes())
    >>> gettext.GNUTranslations(io.BytesIO(mo)).gettext("Nothing was written.")
    '未写入任何内容。'
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _compiled(locale: str) -> bytes | None:
    source = _source(locale)
    if not source.exists():
        return None
    built = source.with_suffix(".mo")
    # A compiled file that a build left beside an unchanged source is used as it is.
    if built.exists() and built.stat().st_mtime >= source.stat().st_mtime:
        return built.read_bytes()
    po = source.read_bytes()
    cached = _cache_dir() / f"{locale}-{hashlib.sha256(po).hexdigest()[:16]}.mo"
    if cached.exists():
        return cached.read_bytes()
    mo = compile_catalog(po)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(mo)
        partial.replace(cached)  # atomic: two processes compiling at once both succeed
    except OSError:
        pass  # a read-only home: the catalog lives in memory for this process only
    return mo


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations of ``language`` (``zh`` or ``en``); the untranslated identity when its
    catalog is missing, so that a broken install still speaks, in English."""
    mo = _compiled(LANGUAGES[language])
    if mo is None:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(mo))
