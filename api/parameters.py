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

__all__ = ["ISO_DAY_EXAMPLE", "IsoDay", "NOT_AN_ISO_DAY", "SCOPE_ALONE", "iso_day"]

ISO_DAY_EXAMPLE = "2018-12-31"
NOT_AN_ISO_DAY = N_("not an ISO date: {value}; expected a date such as 2018-12-31 (YYYY-MM-DD)")
SCOPE_ALONE = N_("give scope alone: county, township and within are its old names")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value: object) -> dt.date:
    """``value`` as a day, if it is written ``YYYY-MM-DD`` and names one.

    The files and the command line read many ways of writing a day (``2018/12/31``,
    ``2018年12月31日``, a year); over HTTP a date is one ISO text, as its schema says, so that
    ``as_of=0`` is refused rather than read as 1970-01-01.

    >>> iso_day("2018-12-31")
    datetime.date(2018, 12, 31)
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    if _ISO_DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(_(NOT_AN_ISO_DAY).format(value=text[:40]))


IsoDay = Annotated[dt.date, BeforeValidator(iso_day)]
