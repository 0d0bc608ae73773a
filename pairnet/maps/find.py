"""Search across the whole network for the navigation bar: a unit by name or code, with the
map (relative to ``/maps/``) that shows it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import networkx as nx
from pydantic import Field
from typing_extensions import TypedDict

from pairnet.graph.model import Kind
from pairnet.graph.network import parent_chain
from pairnet.i18n import N_

__all__ = ["MAX_FOUND", "FoundUnit", "find_units"]

MAX_FOUND = 20


class FoundUnit(TypedDict):
    """A unit the search found, with the map that shows it."""

    id: Annotated[str, Field(examples=["520627110217"])]
    name: Annotated[str, Field(examples=["高峰村"])]
    code: Annotated[str, Field(description=N_("Its division code, or empty."), examples=["520627110217"])]
    kind: Kind
    parents: Annotated[str, Field(description=N_("Its parents' names, outermost first."), examples=["中界镇"])]
    href: Annotated[
        str, Field(description=N_("The unit's own map, relative to /maps/."), examples=["unit/520627110217"])
    ]


def find_units(G: nx.MultiDiGraph, query: str, *, limit: int = MAX_FOUND) -> list[FoundUnit]:
    """Units whose name contains ``query`` or whose code starts with it: exact names first,
    then names that start with it, then the rest, each by code.

    Returns
    -------
    list of FoundUnit
        ``id``, ``name``, ``code``, ``kind``, ``parents`` (names joined by " / ") and
        ``href``, the unit's own map relative to ``/maps/``.

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="t", kind="township", name="中界镇", side="helped", code="520627110"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="t", code="520627110217"))))
    >>> [(u["name"], u["parents"], u["href"]) for u in find_units(G, "高峰")]
    [('高峰村', '中界镇', 'unit/520627110217')]
    """
    needle = query.strip().lower()
    if not needle:
        return []
    ranked = []
    for unit_id in G:
        unit = G.nodes[unit_id]["unit"]
        name, code = unit.name.lower(), unit.code or ""
        if name == needle or code == needle:
            rank = 0
        elif name.startswith(needle) or code.startswith(needle):
            rank = 1
        elif needle in name:
            rank = 2
        else:
            continue
        ranked.append((rank, code, unit.name, unit_id))
    ranked.sort()
    found: list[FoundUnit] = []
    for _rank, code, name, unit_id in ranked[:limit]:
        chain = [G.nodes[a]["name"] for a in reversed(parent_chain(G, unit_id))]
        found.append(
            {
                "id": unit_id,
                "name": name,
                "code": code,
                "kind": Kind(G.nodes[unit_id]["kind"]),
                "parents": " / ".join(chain),
                "href": f"unit/{quote(code or unit_id, safe='')}",
            }
        )
    return found
