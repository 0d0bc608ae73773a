"""References to units: by id, by division code, or by names as people write them.

A name path lists a unit's name after the names of some of its ancestors, outermost first,
separated by ``/``: ``高峰村``, ``中界镇/高峰村``, ``沿河土家族自治县/中界镇/高峰村`` and
``贵州省/高峰村`` all name the same village if only one unit fits. Levels nobody writes
(``市辖区``, ``县``) may be left out; names may be joined (``江苏省苏州市张家港市``) or short
(``沿河县``, ``铜仁``, see :mod:`loaders.names`); any segment may be an id or a code at any
length (``520600`` is 5206). When several units fit, the column's kinds, the name's suffix
and the side narrow them; when none fits, the message lists the nearest. The units of the
file and the units already known (the store) are searched together; a file's unit replaces
a known one with the same id. The CLI and API resolve through the same class
(:func:`graph.targets.resolve_unit`).

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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from pairnet.graph.model import Kind, Side, Unit, stable_id
from pairnet.i18n import N_, _

from .names import INTERMEDIATE, bare, code_keys, nearest_names, short_forms, suffix_kinds

__all__ = ["Node", "RefError", "Resolver"]

_EXPECTED = N_("an id, a division code, or a name path such as 沿河土家族自治县/中界镇/高峰村")
_SHOWN = 8  # candidates listed in a message
# Finding the nearest units scans them all: in a national file, only the first unknown
# references get suggestions, so that a file of bad references still fails in seconds.
_SUGGESTED = 50
_UPPER = frozenset({Kind.PROVINCE, Kind.CITY, Kind.COUNTY})
_POOL = 2000  # names scored for the nearest, among those sharing characters with the reference


class RefError(ValueError):
    """A reference that names no unit, or more than one."""

    def __init__(self, message: str, expected: str | None = None, *, ambiguous: bool = False):
        super().__init__(message)
        self.message = message
        self.expected = expected if expected is not None else _(_EXPECTED)
        self.ambiguous = ambiguous  # several units fit, rather than none


class Node:
    """A unit while references are resolved: a row of the file, or a known unit."""

    __slots__ = ("row", "name", "kind", "code", "given_id", "parent_ref", "side", "unit", "parent", "id", "state")

    def __init__(
        self,
        *,
        row: int | None = None,
        name: str | None = None,
        kind: Kind | None = None,
        code: str | None = None,
        given_id: str | None = None,
        parent_ref: str | None = None,
        side: Side | None = None,
        unit: Unit | None = None,
    ) -> None:
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
        self._forms: dict[str, list[Node]] | None = None
        self._chars: dict[str, set[str]] | None = None
        self._suggestions = _SUGGESTED  # unknown references that still get the nearest units
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

    def unit_id(self, node: Node, _chain: tuple[Node, ...] = ()) -> str | None:
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
        names: list[str] = []
        seen: set[int] = set()
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

    def _matches(self, node: Node, segment: str) -> bool:
        if segment in (node.name, node.code, node.given_id):
            return True
        if node.name is None:
            return False
        return bare(segment) == bare(node.name) or (node.code is not None and node.code in code_keys(segment))

    def _ancestors(self, node: Node) -> Iterator[Node]:
        seen = {id(node)}
        current = self.parent_of(node)
        while current is not None and id(current) not in seen and len(seen) < 32:
            seen.add(id(current))
            yield current
            current = self.parent_of(current)

    def _lies_under(self, node: Node, outer: list[str], *, close: bool = False) -> bool:
        """Whether ``outer`` (outermost first) names ancestors of ``node`` in order; any
        ancestor may be left out (``贵州省/高峰村``), or with ``close`` only the register's
        grouping levels (``天津市/河西区`` skips 市辖区)."""
        if not outer:
            return True
        wanted = list(reversed(outer))
        for ancestor in self._ancestors(node):
            if not wanted:
                break
            if self._matches(ancestor, wanted[0]):
                wanted.pop(0)
            elif close and ancestor.name not in INTERMEDIATE:
                return False
        return not wanted

    def _closest(self, found: list[Node], outer: list[str]) -> list[Node]:
        """The units of ``found`` whose path names their parents without a gap, if any:
        张家港市/新村 is the 新村 right under 张家港市 before one under a town of it."""
        if len(found) < 2 or not outer:
            return found
        return [n for n in found if self._lies_under(n, outer, close=True)] or found

    def _by_form(self) -> dict[str, list[Node]]:
        """Nodes by the short forms of their names, built on first need: most references
        are exact, and a national file should not pay for this index."""
        if self._forms is None:
            self._forms = defaultdict(list)
            for name, nodes in self.by_name.items():
                for form in short_forms(name):
                    self._forms[form].extend(nodes)
        return self._forms

    def _knows(self, segment: str) -> bool:
        return segment in self.by_name or segment in self.by_key or segment in self._by_form()

    def _split(self, segment: str, _failed: set[str] | None = None) -> list[str] | None:
        """A joined name cut into known names, outermost first (江苏省苏州市 → 江苏省, 苏州市);
        the longest known head first. ``_failed`` remembers tails that cannot be cut, so
        that a long unknown text costs quadratic time, not exponential."""
        if self._knows(segment):
            return [segment]
        failed = set() if _failed is None else _failed
        for cut in range(len(segment) - 1, 1, -1):
            head, tail = segment[:cut], segment[cut:]
            if tail not in failed and self._knows(head):
                rest = self._split(tail, failed)
                if rest is not None:
                    return [head, *rest]
                failed.add(tail)
        return None

    def _segments(self, ref: str) -> list[str]:
        parts = [p.strip() for p in re.split(r"[/／]", ref)]
        parts = [p for p in parts if p]
        kept = [p for p in parts if p not in INTERMEDIATE] or parts
        return [piece for part in kept for piece in (self._split(part) or [part])]

    def resolve(self, ref: str, *, kinds: Iterable[Kind] | None = None, side: Side | None = None) -> Node:
        """The one unit ``ref`` names; :class:`RefError` lists the candidates otherwise.

        ``ref`` is an id, a division code at any length, a name (full or short), a joined
        name, or a path of names, outermost first, that may skip ancestors. When several
        units fit, those of ``kinds`` (what the column may hold), those whose name's suffix
        fits the reference, and those on ``side`` are preferred, in that order.
        """
        exact = self.by_key.get(ref, ())
        if len(exact) == 1:  # the common case: a code or id
            return exact[0]
        exact = self._distinct([n for key in code_keys(ref) or (ref,) for n in self.by_key.get(key, ())])
        if len(exact) == 1:
            return exact[0]
        segments = self._segments(ref) or [ref.strip()]
        last, outer = segments[-1], segments[:-1]
        named = self._distinct([*self.by_name.get(last, ()), *exact])
        found = [n for n in named if self._lies_under(n, outer)]
        if not found:  # a short form: 沿河县, 铜仁
            short = self._distinct([*self._by_form().get(last, ()), *self._by_form().get(bare(last), ())])
            named = self._distinct([*named, *short])
            found = [n for n in short if self._lies_under(n, outer)]
        found = self._prefer(self._closest(found, outer), kinds, suffix_kinds(last), side)
        if len(found) == 1:
            return found[0]
        if found:
            raise RefError(
                _("ambiguous reference: {n} units match: {units}").format(n=len(found), units=self._listed(found)),
                _("a division code, or the name after a parent's (宁波市/江北区), or a parent column ([paths])"),
                ambiguous=True,
            )
        if named:
            raise RefError(
                _(
                    "unknown reference: no unit named {name} lies under {parents}; "
                    "units of that name lie elsewhere: {units}"
                ).format(name=last, parents="/".join(outer), units=self._listed(named))
            )
        nearest = self._nearest(last) if self._suggestions > 0 else []
        self._suggestions -= 1
        if nearest:
            raise RefError(
                _("unknown reference: no unit has this id, code or name; nearest: {units}").format(
                    units=self._listed(nearest)
                )
            )
        raise RefError(_("unknown reference: no unit has this id, code or name"))

    def _prefer(
        self, found: list[Node], kinds: Iterable[Kind] | None, suffix: Iterable[Kind] | None, side: Side | None
    ) -> list[Node]:
        """``found`` narrowed by each hint in turn, as long as one unit still fits."""
        for keep in (
            (lambda n: n.kind in kinds) if kinds else None,
            (lambda n: n.kind in suffix) if suffix else None,
            (lambda n: self.side_of(n) == side) if side else None,
        ):
            if len(found) > 1 and keep is not None:
                found = [n for n in found if keep(n)] or found
        return found

    def _listed(self, nodes: list[Node]) -> str:
        shown = "; ".join(self.describe(n) for n in nodes[:_SHOWN])
        return shown + (f" and {len(nodes) - _SHOWN} more" if len(nodes) > _SHOWN else "")

    def _nearest(self, name: str) -> list[Node]:
        """Units whose names come closest to ``name``: those sharing a character with it,
        ranked by edit distance and pinyin (see :func:`loaders.names.similarity`); for a
        code, those sharing its longest prefix."""
        if name.isdigit():  # a code: those sharing its longest prefix, at the same length
            keys = code_keys(name)
            if not keys:  # longer than any division code
                return []
            best, codes = 1, []
            for key in self.by_key:
                if key.isdigit() and len(key) == len(keys[-1]):
                    common = next((i for i, (a, b) in enumerate(zip(key, name, strict=False)) if a != b), len(key))
                    if common > best:
                        best, codes = common, [key]
                    elif common == best:
                        codes.append(key)
            codes.sort(key=lambda code: abs(int(code) - int(name.ljust(len(code), "0")[: len(code)])))
            return self._distinct([n for code in codes[:_SHOWN] for n in self.by_key[code]])[:_SHOWN]
        if self._chars is None:
            self._chars = defaultdict(set)
            for known in self.by_name:
                for char in set(bare(known)):
                    self._chars[char].add(known)
        shared: Counter[str] = Counter()
        for char in set(bare(name)):
            shared.update(self._chars.get(char, ()))
        # Scoring is slow next to counting: only the names sharing the most characters are
        # scored, and every county or larger unit sharing one (a few thousand in all).
        pool = {n for n, _ in shared.most_common(_POOL)}
        pool.update(n for n in shared if any(node.kind in _UPPER for node in self.by_name[n]))
        names = nearest_names(name, pool, limit=_SHOWN)
        return self._distinct([n for near in names for n in self.by_name[near]])[:_SHOWN]
