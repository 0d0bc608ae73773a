"""Compile the message catalogs (``pairnet/locale/*/LC_MESSAGES/pairnet.po`` → ``.mo``) into
the build, so that a wheel speaks Chinese without Babel or a cache at run time. Everything
else about the package is in pyproject.toml; an editable install compiles on first use
instead (pairnet/i18n/catalog.py)."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("pairnet/locale").glob("*/LC_MESSAGES/pairnet.po"):
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            with target.open("wb") as compiled:
                write_mo(compiled, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
