"""The tests that use the shared Neo4j run on one worker when the suite runs in parallel
(tests/support/parallel.py): the grouping, the scheduler's view of it, and the store's
refusal of a test outside it."""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadGroupScheduling

from tests.support.parallel import NEO4J_GROUP, in_neo4j_group
from tests.support.stores import neo4j_store


def scheduled_with(request: pytest.FixtureRequest) -> str:
    """The unit the xdist scheduler sends this test in: its group, or the test alone."""
    return LoadGroupScheduling._split_scope(None, request.node.nodeid)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["sqlite", "neo4j"])
def test_a_neo4j_store_parameter_puts_the_test_in_the_group(request, kind):
    assert in_neo4j_group(request.node) == (kind == "neo4j")
    assert (request.node.get_closest_marker("neo4j") is not None) == (kind == "neo4j")
    if getattr(request.config.option, "loadgroup", False):  # a worker of make test's run
        assert (scheduled_with(request) == NEO4J_GROUP) == (kind == "neo4j")
    else:
        assert scheduled_with(request) == request.node.nodeid


@pytest.mark.neo4j
def test_the_neo4j_mark_puts_the_test_in_the_group(request):
    assert in_neo4j_group(request.node)
    if getattr(request.config.option, "loadgroup", False):
        assert scheduled_with(request) == NEO4J_GROUP


def test_a_test_outside_the_group_cannot_open_the_shared_neo4j(request, tmp_path):
    assert not in_neo4j_group(request.node)
    with pytest.raises(pytest.fail.Exception, match="not in the xdist group 'neo4j'"):
        neo4j_store(tmp_path)  # refused before it connects: the database is not erased
