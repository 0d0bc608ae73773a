"""References to units: by id, by division code, or by a name path within parents.

A name path lists a unit's name after the names of its nearest ancestors, separated by
``/``: ``高峰村``, ``中界镇/高峰村`` and ``沿河土家族自治县/中界镇/高峰村`` all name the
same village if only one unit fits. Any segment may also be an id or a code. The units of
the file and the units already known (the store) are searched together; a file's unit
replaces a known one with the same id.

Examples
--------
>>> from pairnet.graph.model import Unit
>>> county = Unit(id="520627", kind="county", name="沿河土家族自治县", side="helped")
>>> town = Unit(id="520627110", kind="township", name="中界镇", side="helped", parent_id="520627")
>>> village = Node(row=2, name="高峰村", kind=Kind.VILLAGE, parent_ref="沿河土家族自治县/中界镇")
>>> resolver = Resolver([village], known=[county, town])
>>> resolver.resolve("中界镇/高峰村") is village, resolver.unit_id(village).startswith("u-")
(True, True)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from pairnet.graph.model import Kind, Side, Unit, stable_id

__all__ = ["Node", "RefError", "Resolver"]

_EXPECTED = "an id, a division code, or a name path such as 沿河土家族自治县/中界镇/高峰村"
_SHOWN = 8  # candidates listed in a message


class RefError(ValueError):
    """A reference that names no unit, or more than one."""

    def __init__(self, message: str, expected: str = _EXPECTED):
        super().__init__(message)
        self.message = message
        self.expected = expected


class Node:
    """A unit while references are resolved: a row of the file, or a known unit."""

    __slots__ = ("row", "name", "kind", "code", "given_id", "parent_ref", "side", "unit", "parent", "id", "state")

    def __init__(
        self,
        *,
        row=None,
        name=None,
        kind=None,
        code=None,
        given_id=None,
        parent_ref=None,
        side=None,
        unit: Unit | None = None,
    ):
        self.row, self.name, self.kind, self.code = row, name, kind, code
        self.given_id, self.parent_ref, self.side, self.unit = given_id, parent_ref, side, unit
        self.parent: Node | None = None
        self.id: str | None = None
        self.state = 0  # 0 = not resolved, 1 = resolving, 2 = resolved

    @classmethod
    def known(cls, unit: Unit) -> Node:
        node = cls(name=unit.name, kind=unit.kind, code=unit.code, given_id=unit.id, side=unit.side, unit=unit)
        node.id = unit.id
        return node


class Resolver:
    """Resolves references among ``nodes`` (the file's units) and ``known`` units."""

    def __init__(self, nodes: Iterable[Node], *, known: Iterable[Unit] = ()):
        self.by_key: dict[str, list[Node]] = defaultdict(list)
        self.by_name: dict[str, list[Node]] = defaultdict(list)
        self.cycles: set[int] = set()  # id() of file nodes whose parent chain loops without ids
        self.parent_errors: dict[int, RefError] = {}
        self.file_nodes = list(nodes)
        for node in [*self.file_nodes, *(Node.known(u) for u in known)]:
            for key in dict.fromkeys(k for k in (node.given_id, node.code) if k):
                self.by_key[key].append(node)
            if node.name:
                self.by_name[node.name].append(node)

    def parent_of(self, node: Node) -> Node | None:
        """The resolved parent, or ``None`` (no parent, unresolvable, or part of a loop)."""
        if node.unit is not None:
            if node.unit.parent_id is None:
                return None
            parents = self.by_key.get(node.unit.parent_id, ())
            return next((p for p in parents if p.unit is None), parents[0] if parents else None)
        if node.parent_ref is None or node.state == 1:
            return None
        if node.state == 0:
            node.state = 1
            try:
                node.parent = self.resolve(node.parent_ref)
            except RefError as exc:
                self.parent_errors[id(node)] = exc
            node.state = 2
        return node.parent

    def unit_id(self, node: Node, _chain: tuple = ()) -> str | None:
        """The node's id: given, its code, or stable from kind, parent and name."""
        if node.id is not None:
            return node.id
        if node.given_id or node.code:
            node.id = node.given_id or node.code
            return node.id
        if node.kind is None or node.name is None or id(node) in self.cycles:
            return None
        parent = self.parent_of(node)
        chain = (*_chain, node)
        if parent is not None and any(parent is n for n in chain):
            loop = chain[next(i for i, n in enumerate(chain) if n is parent) :]
            self.cycles.update(id(n) for n in loop)
            return None
        parent_id = None
        if parent is not None:
            parent_id = self.unit_id(parent, chain)
            if parent_id is None:
                return None
        elif node.parent_ref is not None:
            return None
        node.id = stable_id("u", Kind(node.kind).value, parent_id, node.name)
        return node.id

    def side_of(self, node: Node, _seen: int = 0) -> Side | None:
        """The node's side, inherited from its parent when the row gives none."""
        if node.side is not None or _seen > 32:
            return node.side
        parent = self.parent_of(node)
        return None if parent is None else self.side_of(parent, _seen + 1)

    def path(self, node: Node) -> str:
        """The node's name path from its root, e.g. 沿河土家族自治县/中界镇/高峰村."""
        names, seen = [], set()
        current: Node | None = node
        while current is not None and id(current) not in seen and len(names) < 16:
            seen.add(id(current))
            names.append(current.name or "?")
            current = self.parent_of(current)
        return "/".join(reversed(names))

    def describe(self, node: Node) -> str:
        key = node.code or self.unit_id(node) or (f"row {node.row}" if node.row else "?")
        return f"{self.path(node)} [{key}]"

    def _distinct(self, nodes: Iterable[Node]) -> list[Node]:
        """One node per id, the file's before the known; nodes without an id stay apart."""
        nodes = list(nodes)
        if len(nodes) < 2:
            return nodes
        chosen: dict[object, Node] = {}
        for node in sorted(nodes, key=lambda n: n.unit is not None):
            chosen.setdefault(self.unit_id(node) or id(node), node)
        return list(chosen.values())

    def _matches(self, node: Node | None, segment: str) -> bool:
        return node is not None and segment in (node.name, node.code, node.given_id)

    def resolve(self, ref: str) -> Node:
        """The one unit ``ref`` names; :class:`RefError` lists the candidates otherwise."""
        exact = self.by_key.get(ref, ())
        if len(exact) == 1:  # the common case: a code or id
            return exact[0]
        exact = self._distinct(exact)
        if len(exact) == 1:
            return exact[0]
        segments = [s.strip() for s in re.split(r"[/／]", ref)]
        named = [*self.by_name.get(segments[-1], ()), *exact]
        found = []
        for node in self._distinct(named):
            current: Node | None = node
            for segment in reversed(segments[:-1]):
                current = self.parent_of(current)
                if not self._matches(current, segment):
                    break
            else:
                found.append(node)
        if len(found) == 1:
            return found[0]
        if found:
            shown = "; ".join(self.describe(n) for n in found[:_SHOWN])
            more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
            raise RefError(
                f"ambiguous reference: {len(found)} units match: {shown}{more}",
                "a division code or a longer name path that names one unit",
            )
        if named:
            shown = "; ".join(self.describe(n) for n in self._distinct(named)[:_SHOWN])
            raise RefError(
                f"unknown reference: no unit named {segments[-1]} lies under {'/'.join(segments[:-1])}; units of that name: {shown}"
            )
        raise RefError("unknown reference: no unit has this id, code or name")
