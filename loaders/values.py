"""Cell values → Python values: enums in English or Chinese, numbers, booleans (dates:
:mod:`loaders.dates`).

Every parser takes one non-empty cell (whatever openpyxl, csv or json gave) and returns
the value or raises :class:`CellError` saying what was expected. Empty cells never reach
a parser: :func:`text` turns them into ``None`` first and the caller skips them.

Examples
--------
>>> parse_unit_kind("镇（区）"), parse_side("东部"), parse_amount("6,594"), parse_boolean("是")
(<Kind.TOWNSHIP: 'township'>, <Side.HELPER: 'helper'>, 6594.0, True)
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Protocol, TypeVar, cast

from pairnet.graph.model import FlowKind, Kind, Level, Mode, Ownership, ParkRank, Poverty, Side
from pairnet.i18n import N_, _

__all__ = [
    "CellError",
    "nearest_words",
    "normalize",
    "parse_amount",
    "parse_boolean",
    "parse_flow_kind",
    "parse_integer",
    "parse_level",
    "parse_mode",
    "parse_ownership",
    "parse_poverty",
    "parse_rank",
    "parse_refs",
    "parse_side",
    "parse_unit_kind",
    "parse_year",
    "text",
]


class CellError(ValueError):
    """A cell that cannot be read as its column requires."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message = message
        self.expected = expected


@functools.lru_cache(maxsize=1 << 16)
def normalize(value: str) -> str:
    """A key for matching words: NFKC (full-width → half-width), case-folded, no spaces.

    >>> normalize(" Deeply_Poor ") == normalize("deeply poor") == "deeplypoor"
    True
    """
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", value)).casefold()


def text(value: object) -> str | None:
    """The cell as stripped text, or ``None`` when it is empty.

    Whole floats lose their ``.0`` so that a division code typed as a number stays a code.

    >>> text(5.20627001e11), text("  高峰村 "), text("") is None
    ('520627001000', '高峰村', True)
    """
    if type(value) is str:  # the common case first: most cells are text
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    result = str(value).strip()
    return result or None


_Member = TypeVar("_Member", bound=Enum)
_Parsed = TypeVar("_Parsed", covariant=True)


class EnumParser(Protocol[_Parsed]):
    """A cell parser for an enum that also carries the Chinese words it accepts."""

    chinese: dict[str, Enum]

    def __call__(self, value: object, /) -> _Parsed: ...


def _with_words(parse: Callable[[object], _Parsed], chinese: Mapping[str, Enum]) -> EnumParser[_Parsed]:
    # The words themselves, in order: the first Chinese word of a member is its label
    # (pairnet.i18n.labels), so files, options and output share one vocabulary. A def cannot
    # declare an attribute, hence the cast to the protocol it then satisfies.
    parser = cast(EnumParser[_Parsed], parse)
    parser.chinese = dict(chinese)
    return parser


def nearest_words(written: str, spelled: Mapping[str, str]) -> str:
    """`` (nearest: …)`` naming up to three accepted words close to ``written`` (``spelled``
    maps each normalised word to how it is written), or nothing when none is close.

    >>> nearest_words("企业帮扶村", {"企村": "企村", "村级": "村级", "园区": "园区"})
    ' (nearest: 企村)'
    """
    close = difflib.get_close_matches(normalize(written), list(spelled), n=3, cutoff=0.5)
    return _(" (nearest: {nearest})").format(nearest=", ".join(spelled[w] for w in close)) if close else ""


def _enum_parser(enum: type[_Member], chinese: Mapping[str, _Member], what: str) -> EnumParser[_Member]:
    words: dict[str, _Member] = {}
    for member in enum:
        words[normalize(member.value)] = member
        words[normalize(member.name)] = member
    words.update((normalize(word), member) for word, member in chinese.items())
    examples = ", ".join(m.value for m in enum)
    chinese_examples = "、".join(list(chinese)[:5])
    spelled = {normalize(word): word for word in (*(m.value for m in enum), *chinese)}

    def parse(value: object) -> _Member:
        member = words.get(normalize(str(value)))
        if member is None:
            raise CellError(
                _("unknown {what}").format(what=_(what)) + nearest_words(str(value), spelled),
                _("one of {examples}, or in Chinese such as {chinese}").format(
                    examples=examples, chinese=chinese_examples
                ),
            )
        return member

    return _with_words(parse, chinese)


parse_unit_kind = _enum_parser(
    Kind,
    {
        "省": Kind.PROVINCE,
        "自治区": Kind.PROVINCE,
        "直辖市": Kind.PROVINCE,
        "市": Kind.CITY,
        "地级市": Kind.CITY,
        "州": Kind.CITY,
        "自治州": Kind.CITY,
        "地区": Kind.CITY,
        "县": Kind.COUNTY,
        "区": Kind.COUNTY,
        "县级市": Kind.COUNTY,
        "自治县": Kind.COUNTY,
        "市辖区": Kind.COUNTY,
        "乡镇": Kind.TOWNSHIP,
        "乡": Kind.TOWNSHIP,
        "镇": Kind.TOWNSHIP,
        "街道": Kind.TOWNSHIP,
        "镇（区）": Kind.TOWNSHIP,
        "乡镇街道": Kind.TOWNSHIP,
        "民族乡": Kind.TOWNSHIP,
        "村": Kind.VILLAGE,
        "社区": Kind.VILLAGE,
        "行政村": Kind.VILLAGE,
        "居委会": Kind.VILLAGE,
        "部门": Kind.DEPARTMENT,
        "政府": Kind.GOVERNMENT,
        "党委": Kind.GOVERNMENT,
        "党委政府": Kind.GOVERNMENT,
        "学校": Kind.SCHOOL,
        "幼儿园": Kind.SCHOOL,
        "小学": Kind.SCHOOL,
        "中学": Kind.SCHOOL,
        "医院": Kind.HOSPITAL,
        "卫生院": Kind.HOSPITAL,
        "企业": Kind.ENTERPRISE,
        "国企": Kind.ENTERPRISE,
        "国资企业": Kind.ENTERPRISE,
        "民企": Kind.ENTERPRISE,
        "民营企业": Kind.ENTERPRISE,
        "园区": Kind.PARK,
        "开发区": Kind.PARK,
        "工业园": Kind.PARK,
        "社会组织": Kind.SOCIAL_ORGANIZATION,
        "办事处": Kind.OFFICE,
        "联络处": Kind.OFFICE,
    },
    N_("unit kind"),
)

# An enterprise kind written as 国企 or 民企 also says who owns it.
KIND_OWNERSHIP = {
    normalize(word): owner
    for word, owner in (
        ("国企", Ownership.STATE),
        ("国资企业", Ownership.STATE),
        ("民企", Ownership.PRIVATE),
        ("民营企业", Ownership.PRIVATE),
    )
}

parse_side = _enum_parser(
    Side,
    {
        "帮扶方": Side.HELPER,
        "东部": Side.HELPER,
        "east": Side.HELPER,
        "帮扶": Side.HELPER,
        "受帮扶方": Side.HELPED,
        "西部": Side.HELPED,
        "west": Side.HELPED,
        "受帮扶": Side.HELPED,
        "被帮扶方": Side.HELPED,
    },
    "side",
)

parse_level = _enum_parser(
    Level,
    {
        "市县": Level.GOVERNMENT,
        # Rank words in lists (省级, 地级, 县级) say the units are governments of that rank.
        "省级": Level.GOVERNMENT,
        "地级": Level.GOVERNMENT,
        "市级": Level.GOVERNMENT,
        "地市级": Level.GOVERNMENT,
        "县级": Level.GOVERNMENT,
        "市县级": Level.GOVERNMENT,
        "政府": Level.GOVERNMENT,
        "部门": Level.DEPARTMENT,
        "镇级": Level.TOWNSHIP,
        "乡镇": Level.TOWNSHIP,
        "村级": Level.VILLAGE,
        "村": Level.VILLAGE,
        "村村结对": Level.VILLAGE,
        "村企": Level.ENTERPRISE_VILLAGE,
        "企村": Level.ENTERPRISE_VILLAGE,
        "村企结对": Level.ENTERPRISE_VILLAGE,
        "企业帮村": Level.ENTERPRISE_VILLAGE,
        "万企帮万村": Level.ENTERPRISE_VILLAGE,
        "园区": Level.PARK,
        "学校": Level.SCHOOL,
        "医院": Level.HOSPITAL,
    },
    N_("pairing level"),
)

parse_mode = _enum_parser(
    Mode,
    {
        "文明引领": Mode.CIVILIZATION_LED,
        "社会组织": Mode.SOCIAL_ORGANIZATION,
        "对口扶贫协作领导小组成员": Mode.LEADING_GROUP_MEMBER,
        "领导小组成员": Mode.LEADING_GROUP_MEMBER,
        "经济强村": Mode.STRONG_VILLAGE,
        "规模企业": Mode.LARGE_ENTERPRISE,
        "国资企业": Mode.STATE_ENTERPRISE,
    },
    N_("pairing mode"),
)

_parse_poverty = _enum_parser(
    Poverty,
    {"深度贫困村": Poverty.DEEPLY_POOR, "深度贫困": Poverty.DEEPLY_POOR, "贫困村": Poverty.POOR, "贫困": Poverty.POOR},
    N_("poverty status"),
)
_NOT_POOR = {normalize(w) for w in ("非贫困村", "非贫困", "否", "无", "none", "no", "not_poor")}


def _poverty_or_none(value: object) -> Poverty | None:
    """A poverty status; words meaning "not poor" give ``None``.

    >>> parse_poverty("深度贫困村"), parse_poverty("非贫困村")
    (<Poverty.DEEPLY_POOR: 'deeply_poor'>, None)
    """
    return None if normalize(str(value)) in _NOT_POOR else _parse_poverty(value)


parse_poverty = _with_words(_poverty_or_none, _parse_poverty.chinese)


parse_ownership = _enum_parser(
    Ownership,
    {
        "国有": Ownership.STATE,
        "国资": Ownership.STATE,
        "国企": Ownership.STATE,
        "民营": Ownership.PRIVATE,
        "民企": Ownership.PRIVATE,
        "私营": Ownership.PRIVATE,
    },
    N_("ownership"),
)

parse_rank = _enum_parser(ParkRank, {"国家级": ParkRank.NATIONAL, "省级": ParkRank.PROVINCIAL}, N_("park rank"))

parse_flow_kind = _enum_parser(
    FlowKind,
    {
        "资金": FlowKind.FUNDS,
        "帮扶资金": FlowKind.FUNDS,
        "财政资金": FlowKind.FUNDS,
        "捐款": FlowKind.DONATION_MONEY,
        "捐赠资金": FlowKind.DONATION_MONEY,
        "捐物": FlowKind.DONATION_GOODS,
        "捐赠物资": FlowKind.DONATION_GOODS,
        "融资": FlowKind.FINANCING,
        "脱贫人口": FlowKind.PEOPLE_LIFTED,
        "教师": FlowKind.TEACHERS,
        "支教教师": FlowKind.TEACHERS,
        "跟岗学习": FlowKind.TRAINEES,
        "学员": FlowKind.TRAINEES,
        "学生": FlowKind.STUDENTS,
        "招生": FlowKind.STUDENTS,
        "挂职干部": FlowKind.CADRES_SECONDED,
        "干部挂职": FlowKind.CADRES_SECONDED,
        "干部培训": FlowKind.CADRES_TRAINED,
        "培训干部": FlowKind.CADRES_TRAINED,
        "致富带头人培训": FlowKind.ENTREPRENEURS_TRAINED,
        "创业": FlowKind.BUSINESSES_STARTED,
        "成功创业": FlowKind.BUSINESSES_STARTED,
        "专家": FlowKind.EXPERTS,
        "农业专家": FlowKind.EXPERTS,
        "技术": FlowKind.TECHNOLOGIES,
        "引进技术": FlowKind.TECHNOLOGIES,
        "会议": FlowKind.MEETINGS,
        "联席会议": FlowKind.MEETINGS,
        "考察批次": FlowKind.VISIT_BATCHES,
        "批次": FlowKind.VISIT_BATCHES,
        "考察人次": FlowKind.VISITS,
        "人次": FlowKind.VISITS,
        "转移就业": FlowKind.WORKERS_PLACED,
        "稳定就业": FlowKind.WORKERS_PLACED,
    },
    N_("flow kind"),
)


def parse_amount(value: object) -> float:
    """A finite number; thousands separators are allowed.

    >>> parse_amount("1,234.5"), parse_amount(12)
    (1234.5, 12.0)
    """
    if isinstance(value, bool):
        raise CellError(_("not a number"), _("a number such as 6594 or 6,594.5"))
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        raw = re.sub(r"[,\s]", "", unicodedata.normalize("NFKC", str(value)))
        try:
            number = float(raw)
        except ValueError:
            raise CellError(_("not a number"), _("a number such as 6594 or 6,594.5")) from None
    if not math.isfinite(number):
        raise CellError(_("not a finite number"), _("a number such as 6594 or 6,594.5"))
    return number


def parse_integer(value: object) -> int:
    """A whole number; ``1,682`` and ``1682.0`` are fine, ``1.5`` is not.

    >>> parse_integer("1,682")
    1682
    """
    try:
        number = parse_amount(value)
    except CellError:
        raise CellError(_("not a whole number"), _("a whole number such as 1682")) from None
    if not number.is_integer():
        raise CellError(_("not a whole number"), _("a whole number such as 1682"))
    return int(number)


def parse_year(value: object) -> int:
    """A year, with or without 年.

    >>> parse_year("2018年"), parse_year(2018.0)
    (2018, 2018)
    """
    if isinstance(value, str):
        value = value.strip().removesuffix("年")
    try:
        return parse_integer(value)
    except CellError:
        raise CellError(_("not a year"), _("a year such as 2018")) from None


_BOOLEANS = {
    **{normalize(w): True for w in ("是", "yes", "y", "true", "1", "√", "✓")},
    **{normalize(w): False for w in ("否", "no", "n", "false", "0")},
}


def parse_boolean(value: object) -> bool:
    """Yes or no: 是/否, yes/no, true/false, 1/0.

    >>> parse_boolean("否"), parse_boolean(1), parse_boolean(True)
    (False, True, True)
    """
    if isinstance(value, bool):
        return value
    result = _BOOLEANS.get(normalize(str(text(value))))
    if result is None:
        raise CellError(_("not yes or no"), _("是/否, yes/no, true/false or 1/0"))
    return result


def parse_refs(value: object) -> tuple[str, ...]:
    """References separated by ``;`` (or ；, or a JSON list).

    >>> parse_refs("520627001; 520627002")
    ('520627001', '520627002')
    """
    items = value if isinstance(value, (list, tuple)) else re.split(r"[;；]", str(value))
    return tuple(t for t in (text(i) for i in items) if t)
