"""The order of lists a person reads: division code, then the pinyin of the name.

Code point order puts 沿河 after 张家港 by accident of encoding and mixes codes of one county
with another's; planners expect the register's order (codes, which follow the
administrative tree) and, among units without a code, the dictionary order of pinyin.

Examples
--------
>>> names = ["张家港市", "沿河土家族自治县", "安徽", "北京"]
>>> sorted(names, key=name_key)
['安徽', '北京', '沿河土家族自治县', '张家港市']
>>> from pairnet.graph.model import Unit
>>> units = [Unit(id="b", kind="village", name="白村", side="helped"),
...          Unit(id="z", kind="township", name="中界镇", side="helped", code="520627110"),
...          Unit(id="a", kind="county", name="沿河土家族自治县", side="helped", code="520627")]
>>> [u.name for u in sorted(units, key=unit_key)]
['沿河土家族自治县', '中界镇', '白村']
"""

from __future__ import annotations

import functools

__all__ = ["name_key", "unit_key"]


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> tuple[str, str, str]:
    """A sort key of a name: its pinyin without tones, then with tone numbers, then the name.

    >>> name_key("高峰村")[0]
    'gao feng cun'
    """
    from pypinyin import Style, lazy_pinyin  # imported on first use: its dictionaries are large

    plain = " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="default")).casefold()
    toned = " ".join(lazy_pinyin(name, style=Style.TONE3, errors="default")).casefold()
    return plain, toned, name


def unit_key(unit: object) -> tuple:
    """A sort key of a unit (anything with ``code``, ``name`` and ``id``): units with a
    division code first, in code order (a parent's code is a prefix of its children's, so a
    county comes before its townships), then the others by the pinyin of their names."""
    code = getattr(unit, "code", None) or ""
    return (0 if code else 1, code, name_key(getattr(unit, "name", "")), getattr(unit, "id", ""))
