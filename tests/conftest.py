"""Shared fixtures: a store of every kind (``store``), and a small dataset with every field
used (``dataset``); both come from :mod:`tests.support.stores`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The tests read English texts unless they choose a language themselves (tests/cli/test_cli_language.py,
# tests/api/test_api_language.py): a developer's zh_CN locale must not change what they see.
os.environ["PAIRNET_LANG"] = "en"
# A pytest-xdist worker starts with COLUMNS=80 and LINES=24 in its environment (a serial run
# has neither), and rich reads them once, when pairnet.cli's console is created at import:
# its width would stay 80 whatever a test's CliRunner(env={"COLUMNS": "250"}) says, and rich
# would wrap the names the CLI tests look for. Without them, the width follows each run's
# COLUMNS, as in a serial run.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

from pairnet.graph.model import Dataset
from pairnet.i18n import set_language
from tests.support import parallel
from tests.support.province import province_database as _province_database
from tests.support.stores import STORE_FACTORIES, small_dataset


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    """Every test that uses the shared Neo4j runs on one worker: grouped before xdist reads the
    groups, and named after it (tests/support/parallel.py)."""
    parallel.group(items)
    yield
    if getattr(config.option, "loadgroup", False):  # on each worker of --dist loadgroup
        parallel.name_groups(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """The running test, known before its fixtures (module ones too) open the shared Neo4j."""
    parallel.running(item)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    parallel.running(None)


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A CLI run with --lang zh chooses the language of the whole process: put it back, so
    that no test sees the language an earlier one chose."""
    yield
    set_language("en")


@pytest.fixture(params=list(STORE_FACTORIES))
def store(request, tmp_path):
    opened = STORE_FACTORIES[request.param](tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def dataset() -> Dataset:
    return small_dataset()


@pytest.fixture(scope="session")
def province_database(tmp_path_factory) -> Path:
    """The province set in an SQLite store, generated and imported once per test process (three
    modules read it); open a copy (tests/support/province.copy_of), never this file."""
    return _province_database(tmp_path_factory.mktemp("province-database"))
