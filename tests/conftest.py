"""Shared fixtures: a store of every kind (``store``), and a small dataset with every field
used (``dataset``); both come from :mod:`tests.support.stores`."""

from __future__ import annotations

import os

import pytest

# The tests read English texts unless they choose a language themselves (tests/cli/test_cli_language.py,
# tests/api/test_api_language.py): a developer's zh_CN locale must not change what they see.
os.environ["PAIRNET_LANG"] = "en"

from pairnet.graph.model import Dataset
from tests.support.stores import STORE_FACTORIES, small_dataset


@pytest.fixture(params=list(STORE_FACTORIES))
def store(request, tmp_path):
    opened = STORE_FACTORIES[request.param](tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def dataset() -> Dataset:
    return small_dataset()
