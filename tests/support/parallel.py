"""The suite in parallel (``pytest -n 2 --dist loadgroup``, what ``make test`` runs): which
tests must share one worker.

The tests share one Neo4j, one database that each test erases first
(:func:`tests.support.stores.neo4j_store`), so two of them must never run at once: every test
that uses it joins the xdist group ``neo4j`` and runs on one worker, in collection order, as
in a serial run. A test uses it when it carries the ``neo4j`` mark, or when one of its
parameters is the Neo4j store kind (the ``store`` fixture and the module fixtures built on
``STORE_FACTORIES``). The kill and fault tests that start a Neo4j of their own on a fixed port
(tests/store/test_neo4j_atomic.py, tests/reliability/test_faults_neo4j.py) carry the mark, so
they never run twice at once either.

:func:`require_neo4j_group` holds the rule: the shared Neo4j refuses a test outside the
group, in a serial run too, so a new test that forgets the mark fails at once instead of
racing another worker now and then.
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import coerce_node_id

NEO4J_GROUP = "neo4j"
# What --dist loadgroup appends to a test's id to find its group (xdist's LoadGroupScheduling).
GROUP_SUFFIX = f"@{NEO4J_GROUP}"
# The store kind whose parameter puts a test in the group (a key of STORE_FACTORIES).
NEO4J_KIND = "neo4j"

_running: dict[str, pytest.Item] = {}


def uses_neo4j(item: pytest.Item) -> bool:
    """Whether ``item`` uses the shared Neo4j: the ``neo4j`` mark, or a ``"neo4j"`` parameter."""
    callspec = getattr(item, "callspec", None)
    parameters = callspec.params.values() if callspec is not None else ()
    return item.get_closest_marker("neo4j") is not None or any(
        isinstance(value, str) and value == NEO4J_KIND for value in parameters
    )


def in_neo4j_group(item: pytest.Item) -> bool:
    """Whether ``item`` is in the xdist group that runs on one worker."""
    return any(
        (mark.args[0] if mark.args else mark.kwargs.get("name")) == NEO4J_GROUP
        for mark in item.iter_markers("xdist_group")
    )


def group(items: list[pytest.Item]) -> None:
    """Mark every test that uses the shared Neo4j (``neo4j``, for ``-m``) and put it in the
    group. Must run before xdist reads the groups (tests/conftest.py: ``tryfirst``)."""
    for item in items:
        if uses_neo4j(item):
            if item.get_closest_marker("neo4j") is None:
                item.add_marker(pytest.mark.neo4j)
            item.add_marker(pytest.mark.xdist_group(NEO4J_GROUP))


def name_groups(items: list[pytest.Item]) -> None:
    """Append ``@neo4j`` to the id of every test of the group, as ``--dist loadgroup`` does on
    each worker so that the scheduler sees the group. Run after xdist's own renaming, which
    sets the old private ``_nodeid``: pytest 9.2 no longer reads it (a node's id is the
    structured ``_id``), so without this the group was spread over both workers."""
    for item in items:
        if in_neo4j_group(item) and not item.nodeid.endswith(GROUP_SUFFIX):
            item._id = coerce_node_id(f"{item.nodeid}{GROUP_SUFFIX}")  # type: ignore[attr-defined]


def running(item: pytest.Item | None) -> None:
    """Record the test being set up and run (None between tests)."""
    if item is None:
        _running.pop("item", None)
    else:
        _running["item"] = item


def require_neo4j_group() -> None:
    """Fail the running test when it is outside the ``neo4j`` group (outside a test, allow)."""
    item = _running.get("item")
    if item is not None and not in_neo4j_group(item):
        pytest.fail(
            f"{item.nodeid} uses the shared Neo4j but is not in the xdist group {NEO4J_GROUP!r}: "
            "mark it @pytest.mark.neo4j (tests/support/parallel.py)"
        )
