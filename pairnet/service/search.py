"""Forgiving search of units: what a person types into a search box, ranked.

A query matches a unit by its id or division code, by its name as people write it (the
resolver's short forms and name paths: ``沿河县`` is 沿河土家族自治县), by a code it starts,
by a part of its name (or of the query's bare form: ``沿河县`` finds 沿河街道 too), or by
the pinyin of its name (``gaofeng`` finds 高峰村; among at most :data:`PINYIN_LIMIT` units).
Exact matches come first, then codes, then parts of names, then sounds; within a rank, the
register's order.

Examples
--------
>>> from pairnet.graph.model import Dataset, Unit
>>> from pairnet.graph.network import build_network
>>> G = build_network(Dataset(units=(
...     Unit(id="520627", code="520627", kind="county", name="沿河土家族自治县", side="helped"),
...     Unit(id="s", kind="school", name="沿河县第一中学", side="helped", parent_id="520627"),
...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="520627"))))
>>> units = [G.nodes[n]["unit"] for n in G]
>>> [u.id for u in ranked(G, units, "沿河县")]
['520627', 's']
>>> [u.id for u in ranked(G, units, "GaoFeng")]
['v']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

import networkx as nx

from pairnet.graph.errors import PairnetError
from pairnet.graph.model import Unit
from pairnet.graph.targets import resolve_unit
from pairnet.i18n.collation import name_key, unit_key
from pairnet.loaders.names import bare

__all__ = ["EXACT", "PINYIN_LIMIT", "Query", "rank", "ranked"]

EXACT, CODE, NAME, SOUND = range(4)
# Pinyin is compared only among this many units (a county has a few thousand): spelling
# every name of a national network would cost seconds per search.
PINYIN_LIMIT = 50_000


@dataclass(frozen=True)
class Query:
    """What a person typed, in the forms a unit is compared with (computed once per search)."""

    text: str
    folded: str
    short: str
    letters: str | None
    resolved: str | None = None

    @classmethod
    def of(cls, text: str, *, resolved: str | None = None, spell: bool = True) -> Query:
        text = unicodedata.normalize("NFKC", text).strip()
        short = bare(text).casefold()
        letters = text.replace(" ", "").casefold()
        spelled = spell and letters.isascii() and letters.isalpha()
        return cls(text, text.casefold(), short if len(short) >= 2 else "", letters if spelled else None, resolved)


def _resolved(G: nx.MultiDiGraph[str], query: str) -> str | None:
    try:
        return resolve_unit(G, query)
    except (PairnetError, ValueError):
        # Ambiguous or unknown as a whole reference: the parts of names still match.
        return None


def rank(unit: Unit, query: Query) -> int | None:
    """How well ``unit`` matches ``query`` (smaller is better), None when it does not."""
    if unit.id == query.resolved or query.text in (unit.id, unit.code, unit.name):
        return EXACT
    if unit.code and query.text.isdigit() and unit.code.startswith(query.text):
        return CODE
    name = unit.name.casefold()
    if query.folded in name or (query.short and query.short in name):
        return NAME
    if query.letters and query.letters in name_key(unit.name)[0].replace(" ", ""):
        return SOUND
    return None


def ranked(G: nx.MultiDiGraph[str], units: Iterable[Unit], text: str) -> list[Unit]:
    """The ``units`` that match ``text``, best first, then in the register's order."""
    candidates = list(units)
    if not text.strip():
        return candidates
    query = Query.of(text, spell=len(candidates) <= PINYIN_LIMIT)
    query = replace(query, resolved=_resolved(G, query.text))
    scored = [(found, unit) for unit in candidates if (found := rank(unit, query)) is not None]
    scored.sort(key=lambda pair: (pair[0], unit_key(pair[1])))
    return [unit for _score, unit in scored]
