"""Shared fixtures: a store of every kind (``store``), and a small dataset with every field
used (``dataset``); both come from :mod:`tests.support.stores`."""

from __future__ import annotations

import pytest

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
