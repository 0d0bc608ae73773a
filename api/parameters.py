"""Query parameter types whose rules the OpenAPI schema states, so that a generated client
and a fuzzer keep to them: strictly ISO dates, and one ``scope`` for the root unit of an
analysis (``county``, ``township`` and ``within``, mutually exclusive, stay as undocumented
aliases for one release)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator

from pairnet.i18n import N_, _
from pairnet.i18n.choices import parse_day

__all__ = ["ISO_DAY_EXAMPLE", "IsoDay", "NOT_AN_ISO_DAY", "SCOPE_ALONE", "iso_day"]

ISO_DAY_EXAMPLE = "2018-12-31"
NOT_AN_ISO_DAY = N_("not an ISO date: {value}; expected a date such as 2018-12-31 (YYYY-MM-DD)")
SCOPE_ALONE = N_("give scope alone: county, township and within are its old names")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A whole day as people type it in Chinese offices (as files write it): taken too, not documented.
_TYPED_DAY = re.compile(r"\d{4}/\d{1,2}/\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|\d{8}")


def iso_day(value: object) -> dt.date:
    """``value`` as a day, if it is written ``YYYY-MM-DD`` (as the schema says) and names one.

    A whole day written as files write it (``2018/12/31``, ``2018年12月31日``, ``20181231``)
    is taken too, for planners typing an address; anything else the files read (a year, a
    month) and any number or datetime is refused, so that ``as_of=0`` is not 1970-01-01.

    >>> iso_day("2018-12-31")
    datetime.date(2018, 12, 31)
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    if _ISO_DAY.fullmatch(text) or _TYPED_DAY.fullmatch(text):
        return parse_day(text)  # its refusal of 2018-02-30 says "no such day"
    raise ValueError(_(NOT_AN_ISO_DAY).format(value=text[:40]))


IsoDay = Annotated[dt.date, BeforeValidator(iso_day)]
