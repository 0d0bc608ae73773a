"""Place names as people write them: short forms, joined names, codes at any length, and
the nearest names when nothing matches.

People drop the ethnic-autonomy part of a name (``沿河县`` for 沿河土家族自治县,
``黔东南州`` for 黔东南苗族侗族自治州) and its generic suffix (``铜仁`` for 铜仁市); they
write division codes with or without trailing zeros (``5206``, ``520600``,
``520600000000``); and the register holds levels nobody writes (``市辖区``, ``县``,
``省直辖县级行政区划``). :class:`~loaders.references.Resolver` uses these forms only
after an exact name or code has failed.

Examples
--------
>>> short_forms("沿河土家族自治县"), short_forms("黔东南苗族侗族自治州"), short_forms("铜仁市")
(('沿河县', '沿河'), ('黔东南州', '黔东南'), ('铜仁',))
>>> code_keys("520600000000"), code_keys("5206"), code_keys("铜仁市")
(('520600000000', '5206'), ('5206',), ())
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from pypinyin import lazy_pinyin

from pairnet.graph.model import Kind

__all__ = [
    "INTERMEDIATE",
    "bare",
    "code_keys",
    "edit_distance",
    "nearest_names",
    "short_forms",
    "similarity",
    "suffix_kinds",
]

# Register levels that group units without being places anyone names.
INTERMEDIATE = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "自治州直辖县级行政区划"})

# Ethnic groups as they appear in the names of autonomous units. One-character names must be
# followed by 族 (水族, 土族) so that the last character of a place (…水, …白) is never taken.
_MULTI = (
    "蒙古|维吾尔|布依|朝鲜|土家|哈尼|哈萨克|傈僳|拉祜|东乡|纳西|景颇|柯尔克孜|达斡尔|仫佬|布朗|"
    "撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|塔塔尔|独龙|鄂伦春|"
    "赫哲|门巴|珞巴|基诺|高山"
)
_SINGLE = "回|藏|苗|彝|壮|满|侗|瑶|白|黎|佤|畲|水|土|怒|京|羌|傣"
_AUTONOMY = re.compile(rf"(?:(?:{_MULTI})族?|(?:{_SINGLE})族)+自治(县|州|区|旗)")
_GENERIC = ("特别行政区", "自治区", "街道", "地区", "社区", "市", "县", "区", "镇", "乡", "村", "州", "省", "盟", "旗")
# What a generic suffix says about the kind of unit a name is.
_SUFFIX_KINDS: tuple[tuple[str, frozenset[Kind]], ...] = (
    ("自治区", frozenset({Kind.PROVINCE})),
    ("省", frozenset({Kind.PROVINCE})),
    ("地区", frozenset({Kind.CITY})),
    ("街道", frozenset({Kind.TOWNSHIP})),
    ("社区", frozenset({Kind.VILLAGE})),
    ("州", frozenset({Kind.CITY})),
    ("盟", frozenset({Kind.CITY})),
    ("市", frozenset({Kind.PROVINCE, Kind.CITY, Kind.COUNTY})),
    ("县", frozenset({Kind.COUNTY})),
    ("旗", frozenset({Kind.COUNTY})),
    ("区", frozenset({Kind.COUNTY, Kind.TOWNSHIP, Kind.PARK})),
    ("镇", frozenset({Kind.TOWNSHIP})),
    ("乡", frozenset({Kind.TOWNSHIP})),
    ("村", frozenset({Kind.VILLAGE})),
)
_CODE_LENGTHS = (2, 4, 6, 9, 12)


@functools.lru_cache(maxsize=1 << 16)
def short_forms(name: str) -> tuple[str, ...]:
    """The shorter names a unit is known by: without its ethnic-autonomy part, then without
    its generic suffix; ``()`` when there is none (or it would leave one character)."""
    forms: list[str] = []
    for start in range(2, len(name)):  # a place keeps at least two characters
        match = _AUTONOMY.fullmatch(name, start)
        if match:
            # 广西壮族自治区 is 广西, never 广西区; 沿河土家族自治县 is 沿河县.
            forms.append(name[:start] + ("" if match.group(1) == "区" else match.group(1)))
            break
    base = forms[0] if forms else name
    for suffix in _GENERIC:
        if base.endswith(suffix) and len(base) - len(suffix) >= 2:
            forms.append(base[: -len(suffix)])
            break
    return tuple(f for f in dict.fromkeys(forms) if f != name)


def bare(name: str) -> str:
    """The shortest form of a name: ``沿河县`` and ``沿河土家族自治县`` are both ``沿河``."""
    forms = short_forms(name)
    return forms[-1] if forms else name


def suffix_kinds(name: str) -> frozenset[Kind] | None:
    """The kinds of unit a name's generic suffix allows, or ``None`` when it has none."""
    for suffix, kinds in _SUFFIX_KINDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return kinds
    return None


def code_keys(reference: str) -> tuple[str, ...]:
    """The division codes a run of digits may stand for: itself, and without trailing zeros
    cut to a code length (``520600`` → ``5206``); ``()`` for anything but digits."""
    digits = unicodedata.normalize("NFKC", reference).strip()
    if not digits.isdigit() or len(digits) > 12:
        return ()
    keys = [digits]
    for length in _CODE_LENGTHS:
        if length < len(digits) and not digits[length:].strip("0"):
            keys.append(digits[:length])
            break
    return tuple(dict.fromkeys(keys))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of one character."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@functools.lru_cache(maxsize=1 << 16)
def _pinyin(name: str) -> str:
    return " ".join(lazy_pinyin(name))


def similarity(query: str, name: str) -> float:
    """How close ``name`` is to ``query`` (smaller is closer): the edit distance of the names
    or of their bare forms, or of their pinyin (a homophone typo such as 沿合 for 沿河),
    whichever is least, relative to the query's length."""
    by_text = min(edit_distance(query, name), edit_distance(bare(query), bare(name)))
    by_sound = edit_distance(_pinyin(bare(query)), _pinyin(bare(name))) / 3
    # A county asked for (…县) is nearer to a county than to a village of a similar name.
    wanted, kinds = suffix_kinds(query), suffix_kinds(name)
    other_kind = 0.5 if wanted and kinds and not wanted & kinds else 0
    return (min(by_text, by_sound) + other_kind) / max(len(query), 1)


def nearest_names(query: str, names: Iterable[str], *, limit: int) -> list[str]:
    """The ``limit`` names closest to ``query`` by :func:`similarity`, closest first."""
    scored = sorted((similarity(query, n), n) for n in set(names))
    return [n for score, n in scored[:limit] if score < 1]
