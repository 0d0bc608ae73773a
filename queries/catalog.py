"""The Cypher catalog: ready queries for the main questions, as ``queries/cypher/*.cypher``.

Each file is plain Cypher with ``$parameters`` that also runs as it is in Neo4j Browser
(after ``:param county => '520627'`` and so on). Its header comment says what it answers
and declares each parameter on a line ``// @param name: meaning``; :func:`run` passes
exactly those, so a misspelt or missing parameter is an error here rather than a
silently empty answer from Neo4j.

Examples
--------
>>> sorted(names())
['coverage_per_township', 'five_in_one', 'pairings_of_unit', 'partner_load', 'unpaired_deeply_poor_villages']
>>> describe("partner_load")["parameters"]
['as_of', 'level']
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from pairnet.graph.errors import NotFound, StoreError

from .store import Store

__all__ = ["describe", "load", "names", "run"]

_PARAM = re.compile(r"^//\s*@param\s+(\w+)\s*:\s*(.*)$")


def names() -> list[str]:
    """The names of the catalog's queries."""
    folder = resources.files("pairnet.store") / "cypher"
    return sorted(entry.name.removesuffix(".cypher") for entry in folder.iterdir() if entry.name.endswith(".cypher"))


@cache
def load(name: str) -> str:
    """The Cypher text of the query ``name``; :class:`~graph.errors.NotFound` if none."""
    if name not in names():
        raise NotFound(f"no catalog query {name!r}; the catalog has {', '.join(names())}")
    return (resources.files("pairnet.store") / "cypher" / f"{name}.cypher").read_text(encoding="utf-8")


def describe(name: str) -> dict[str, Any]:
    """What the query ``name`` answers and its parameters, from its header comment."""
    summary: list[str] = []
    parameters: dict[str, str] = {}
    for line in load(name).splitlines():
        if not line.startswith("//"):
            break
        if match := _PARAM.match(line):
            parameters[match[1]] = match[2]
        else:
            summary.append(line.removeprefix("//").strip())
    return {"name": name, "summary": " ".join(summary), "parameters": list(parameters), "help": parameters}


def run(store: Store, name: str, **parameters: Any) -> list[dict[str, Any]]:
    """Run the catalog query ``name`` on a Neo4j store; rows as plain dicts.

    Every declared parameter must be given (``None`` where the query allows it, such as
    ``as_of=None`` for "whatever the dates"), and no other.
    """
    declared = set(describe(name)["parameters"])
    missing, unknown = declared - parameters.keys(), parameters.keys() - declared
    if missing or unknown:
        raise StoreError(
            f"catalog query {name!r} takes {', '.join(sorted(declared))}"
            + (f"; missing {', '.join(sorted(missing))}" if missing else "")
            + (f"; unknown {', '.join(sorted(unknown))}" if unknown else "")
        )
    if not hasattr(store, "run"):
        raise StoreError(f"catalog queries are Cypher and need a Neo4j store, not {store.uri}")
    rows: list[dict[str, Any]] = store.run(load(name), parameters)
    return rows
