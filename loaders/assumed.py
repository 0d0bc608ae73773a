"""The ``assumed`` column (推定字段): which of a record's values are assumed, not sourced.

A cell names columns of its own sheet, in English or Chinese as a header would
(``poverty``, ``贫困状况``), separated by 、 , ; or their full-width forms.

>>> parse_assumed("units")("贫困状况、valid_from")
('valid_from', 'poverty')
>>> parse_assumed("pairings")("开始日期, 结束日期")
('start', 'end')
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pairnet.graph.columns import ASSUMABLE
from pairnet.i18n import _

from .headers import chinese_name, field_for, header_names
from .names import nearest_names
from .values import CellError, text

__all__ = ["parse_assumed"]

_SEPARATORS = re.compile(r"[、,，;；]")


def parse_assumed(sheet: str) -> Callable[[object], tuple[str, ...]]:
    """The parser of the ``assumed`` cells of ``sheet``: the columns they name, in the
    format's order; a name that is no assumable column of the sheet is an error that lists
    the nearest ones."""
    columns = ASSUMABLE[sheet]
    # Each name a header may have, shown with its column: 贫困状况 (poverty).
    words = {w if w == c else f"{w} ({c})": w for c in columns for w in header_names(sheet, c)}
    examples = "、".join(f"{c} ({chinese_name(c)})" if chinese_name(c) else c for c in columns[:4])

    def parse(value: object) -> tuple[str, ...]:
        names = [t for t in (text(part) for part in _SEPARATORS.split(str(value))) if t]
        found = []
        for name in names:
            column = field_for(sheet, name)
            if column not in columns:
                near = [w for w, bare in words.items() if name in bare or bare in name][:3]
                near = near or [w for w in nearest_names(name, words, limit=3)]
                hint = _("; nearest: {names}").format(names=", ".join(near)) if near else ""
                expected = _("columns of this sheet separated by 、 or , such as {examples}").format(examples=examples)
                raise CellError(
                    _("no assumable column named {name}{hint}").format(name=repr(name), hint=hint), expected
                )
            found.append(column)
        return tuple(c for c in columns if c in found)

    return parse
