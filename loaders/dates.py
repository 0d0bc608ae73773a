"""Date cells → dates: days, and the years and months planners write instead of a day.

A start means the first day of its period and an end the last day: ``2017`` starts on
2017-01-01 and ends on 2017-12-31, ``2017年3月`` starts on 2017-03-01 and ends on 2017-03-31.

Examples
--------
>>> parse_date("2017年3月"), parse_end_date("2017年3月")
(datetime.date(2017, 3, 1), datetime.date(2017, 3, 31))
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata

from openpyxl.utils.datetime import from_excel

from pairnet.i18n import N_, _

from .values import CellError, text

__all__ = ["is_period", "parse_date", "parse_end_date", "parse_period"]

_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# A period people write instead of a day: a year (2017, 2017年) or a month (2017-03, 2017年3月, 2017.3).
_YEAR = re.compile(r"(\d{4})\s*年?(?:度)?")
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?")
# Excel serial numbers of 1949-01-01 and 2100-12-31: anything else is not a plausible date.
_SERIALS = (17899, 73415)
_YEARS = (1949, 2100)
_DATE_EXPECTED = N_(
    "a date such as 2018-12-31, 2018/12/31 or 2018年12月31日, or a period such as 2017, 2017年3月 or 2017-03"
)


def parse_period(value: object) -> tuple[dt.date, dt.date]:
    """The first and last day a cell means: one day, a month or a year.

    A number is an Excel date serial, or a year (``2017``), or a year and month as typed
    into a number cell (``2017.3``; note that Excel shows 2017.10 as 2017.1, January).

    >>> parse_period("2017年")
    (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))
    >>> parse_period("2016年2月")[1], parse_period(2017.3)[0], parse_period("2018/12/31")[1]
    (datetime.date(2016, 2, 29), datetime.date(2017, 3, 1), datetime.date(2018, 12, 31))
    """
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIALS[0] <= value <= _SERIALS[1]:
            day = from_excel(value).date()
            return day, day
        if not _YEARS[0] <= value < _YEARS[1] + 1:
            raise CellError(_("not a date"), _(_DATE_EXPECTED))
        value = text(value)
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in (_DATE_TEXT, _COMPACT_DATE):
        match = pattern.fullmatch(raw)
        if match:
            try:
                day = dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise CellError(_("no such day"), _(_DATE_EXPECTED)) from None
            return day, day
    match = _YEAR.fullmatch(raw) or _MONTH.fullmatch(raw)
    if match:
        year, month = int(match.group(1)), int(match.group(2)) if match.lastindex == 2 else None
        if not _YEARS[0] <= year <= _YEARS[1]:
            raise CellError(
                _("not a plausible year"), _("a year from {first} to {last}").format(first=_YEARS[0], last=_YEARS[1])
            )
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if not 1 <= month <= 12:
            raise CellError(_("no such month"), _(_DATE_EXPECTED))
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return parse_period(float(raw))
    raise CellError(_("not a date"), _(_DATE_EXPECTED))


def parse_date(value: object) -> dt.date:
    """A date, or the first day of the period a cell names (for starts).

    >>> parse_date("2018/3/1"), parse_date("20181231"), parse_date("2017年3月")
    (datetime.date(2018, 3, 1), datetime.date(2018, 12, 31), datetime.date(2017, 3, 1))
    """
    return parse_period(value)[0]


def parse_end_date(value: object) -> dt.date:
    """A date, or the last day of the period a cell names (for ends).

    >>> parse_end_date("2020"), parse_end_date("2020-02")
    (datetime.date(2020, 12, 31), datetime.date(2020, 2, 29))
    """
    return parse_period(value)[1]


@functools.lru_cache(maxsize=1 << 12)
def is_period(value: str | int | float) -> bool:
    """Whether a cell names a year or a month rather than one day.

    >>> is_period("2017年"), is_period(2017), is_period("2017-03-01"), is_period(43465)
    (True, True, False, False)
    """
    try:
        first, last = parse_period(value)
    except CellError:
        return False
    return first != last
