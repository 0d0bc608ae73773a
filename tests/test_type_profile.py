"""The type checker's two profiles, as mypy itself reads ``pyproject.toml``.

``make lint`` runs mypy; these tests keep the profiles what the README says they are: the
core packages get every check of ``mypy --strict`` (mypy would apply a per-module
``strict = true`` to everything, so the override lists the flags one by one and a newer
mypy's additions must be added there), the rest a stated default.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy.config_parser import parse_config_file
from mypy.main import process_options
from mypy.options import PER_MODULE_OPTIONS, Options

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
STRICT_PACKAGES = ("pairnet.graph", "pairnet.loaders", "pairnet.store", "pairnet.service")
# What the default profile adds to mypy's defaults (README, Layout).
DEFAULT_PROFILE = {"check_untyped_defs": True, "strict_equality": True, "warn_unused_ignores": True}


def _project_options() -> Options:
    options = Options()
    parse_config_file(options, lambda: None, str(PYPROJECT))
    return options


def _strict_flags() -> dict[str, object]:
    """The per-module options that ``--strict`` changes, and their strict values."""
    _, strict = process_options(["--config-file=", "--strict", "-c", "pass"])
    _, plain = process_options(["--config-file=", "-c", "pass"])
    return {name: getattr(strict, name) for name in PER_MODULE_OPTIONS if getattr(strict, name) != getattr(plain, name)}


@pytest.mark.parametrize("package", STRICT_PACKAGES)
@pytest.mark.parametrize("module", ["", ".sub"])
def test_the_core_packages_get_every_strict_check(package: str, module: str) -> None:
    checked = _project_options().clone_for_module(package + module)
    differing = {
        name: getattr(checked, name) for name, value in _strict_flags().items() if getattr(checked, name) != value
    }
    assert differing == {}


@pytest.mark.parametrize("module", ["pairnet.cli.app", "pairnet.api.app", "pairnet.maps.render", "pairnet.tables"])
def test_the_rest_gets_the_default_profile_and_not_the_strict_one(module: str) -> None:
    checked = _project_options().clone_for_module(module)
    assert {name: getattr(checked, name) for name in DEFAULT_PROFILE} == DEFAULT_PROFILE
    assert checked.implicit_optional is False
    # The strict-only checks stay off here: the profile is a choice, not an accident.
    assert checked.disallow_untyped_defs is False and checked.disallow_any_generics is False
