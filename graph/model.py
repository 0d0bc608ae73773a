"""The records of a pairing network: units, pairings and flows.

A :class:`Unit` is a node (a township, a village, a department, a school...), a
:class:`Pairing` is an agreement that a helper unit supports a helped unit, and a
:class:`Flow` is something that moved between them (funds, people, visits...).
A :class:`Dataset` holds all three; the stores write and read datasets.

Dates are inclusive: a pairing with ``end=2018-12-31`` is active on that day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pairnet.i18n import N_, _

from .columns import ASSUMABLE

__all__ = [
    "level_set",
    "Dataset",
    "Flow",
    "FlowKind",
    "Kind",
    "Level",
    "Mode",
    "Ownership",
    "Pairing",
    "ParkRank",
    "Poverty",
    "Side",
    "FIRST_YEAR",
    "HELPED_KINDS",
    "LAST_YEAR",
    "Source",
    "Unit",
    "Year",
    "active_on",
    "infer_level",
    "level_fits",
    "pairing_key",
    "stable_id",
]


# The years a record or a question may name: the People's Republic's first to a far horizon.
FIRST_YEAR, LAST_YEAR = 1949, 2100
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


class Side(StrEnum):
    """A role in a pairing: the helper (east) supports the helped (west).

    Roles belong to pairings: a unit helps in one program and is helped in another. A
    unit's own ``side`` is only a hint (see :meth:`graph.index.NetworkIndex.sides`)."""

    HELPER = "helper"
    HELPED = "helped"


class Kind(StrEnum):
    """What a unit is."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    GOVERNMENT = "government"
    DEPARTMENT = "department"
    SCHOOL = "school"
    HOSPITAL = "hospital"
    ENTERPRISE = "enterprise"
    PARK = "park"
    SOCIAL_ORGANIZATION = "social_organization"
    OFFICE = "office"


class Level(StrEnum):
    """The level of a pairing: the five levels of five-in-one, plus schools and hospitals."""

    GOVERNMENT = "government"
    DEPARTMENT = "department"
    TOWNSHIP = "township"
    VILLAGE = "village"
    ENTERPRISE_VILLAGE = "enterprise_village"
    PARK = "park"
    SCHOOL = "school"
    HOSPITAL = "hospital"


class Mode(StrEnum):
    """The six village pairing modes added in 2018."""

    CIVILIZATION_LED = "civilization_led"
    SOCIAL_ORGANIZATION = "social_organization"
    LEADING_GROUP_MEMBER = "leading_group_member"
    STRONG_VILLAGE = "strong_village"
    LARGE_ENTERPRISE = "large_enterprise"
    STATE_ENTERPRISE = "state_enterprise"


class Poverty(StrEnum):
    DEEPLY_POOR = "deeply_poor"
    POOR = "poor"


class Ownership(StrEnum):
    STATE = "state"
    PRIVATE = "private"


class ParkRank(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"


class FlowKind(StrEnum):
    """What moved along a pairing. Money is in 万元; people and visits are counts."""

    FUNDS = "funds"
    DONATION_MONEY = "donation_money"
    DONATION_GOODS = "donation_goods"
    FINANCING = "financing"
    PEOPLE_LIFTED = "people_lifted"
    TEACHERS = "teachers"
    TRAINEES = "trainees"
    STUDENTS = "students"
    CADRES_SECONDED = "cadres_seconded"
    CADRES_TRAINED = "cadres_trained"
    ENTREPRENEURS_TRAINED = "entrepreneurs_trained"
    BUSINESSES_STARTED = "businesses_started"
    EXPERTS = "experts"
    TECHNOLOGIES = "technologies"
    MEETINGS = "meetings"
    VISIT_BATCHES = "visit_batches"
    VISITS = "visits"
    WORKERS_PLACED = "workers_placed"


# Which unit kinds may stand on each end of a pairing at each level.
_LEVEL_KINDS: dict[Level, tuple[frozenset[Kind], frozenset[Kind]]] = {
    Level.GOVERNMENT: (
        frozenset({Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.GOVERNMENT}),
        frozenset({Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.GOVERNMENT}),
    ),
    Level.DEPARTMENT: (frozenset({Kind.DEPARTMENT}), frozenset({Kind.DEPARTMENT})),
    Level.TOWNSHIP: (frozenset({Kind.TOWNSHIP}), frozenset({Kind.TOWNSHIP})),
    Level.VILLAGE: (
        frozenset(
            {
                Kind.VILLAGE,
                Kind.DEPARTMENT,
                Kind.GOVERNMENT,
                Kind.OFFICE,
                Kind.SOCIAL_ORGANIZATION,
                Kind.ENTERPRISE,
                Kind.SCHOOL,
                Kind.HOSPITAL,
            }
        ),
        frozenset({Kind.VILLAGE}),
    ),
    Level.ENTERPRISE_VILLAGE: (frozenset({Kind.ENTERPRISE}), frozenset({Kind.VILLAGE})),
    Level.PARK: (frozenset({Kind.PARK}), frozenset({Kind.PARK})),
    Level.SCHOOL: (frozenset({Kind.SCHOOL}), frozenset({Kind.SCHOOL})),
    Level.HOSPITAL: (frozenset({Kind.HOSPITAL}), frozenset({Kind.HOSPITAL})),
}

# The level a pairing gets when none is given; enterprise → village is the 村企 level.
_INFERRED: dict[tuple[Kind, Kind], Level] = {
    (Kind.ENTERPRISE, Kind.VILLAGE): Level.ENTERPRISE_VILLAGE,
}
for _level, (_helpers, _helpeds) in _LEVEL_KINDS.items():
    for _a in _helpers:
        for _b in _helpeds:
            _INFERRED.setdefault((_a, _b), _level)


def infer_level(helper_kind: Kind, helped_kind: Kind) -> Level | None:
    """The level a pairing between these kinds has when none is given.

    >>> infer_level(Kind.ENTERPRISE, Kind.VILLAGE)
    <Level.ENTERPRISE_VILLAGE: 'enterprise_village'>
    >>> infer_level(Kind.CITY, Kind.COUNTY)
    <Level.GOVERNMENT: 'government'>
    >>> infer_level(Kind.PARK, Kind.VILLAGE) is None
    True
    """
    return _INFERRED.get((Kind(helper_kind), Kind(helped_kind)))


def level_fits(level: Level, helper_kind: Kind, helped_kind: Kind) -> bool:
    """Whether a pairing at ``level`` may join units of these kinds.

    >>> level_fits(Level.VILLAGE, Kind.DEPARTMENT, Kind.VILLAGE)
    True
    >>> level_fits(Level.TOWNSHIP, Kind.VILLAGE, Kind.TOWNSHIP)
    False
    """
    helpers, helpeds = _LEVEL_KINDS[Level(level)]
    return Kind(helper_kind) in helpers and Kind(helped_kind) in helpeds


def allowed_kinds(level: Level) -> tuple[frozenset[Kind], frozenset[Kind]]:
    """The helper kinds and helped kinds a level allows."""
    return _LEVEL_KINDS[Level(level)]


#: The kinds some level lets a pairing help, in the order of :class:`Kind`: offices,
#: enterprises and social organisations only ever help.
HELPED_KINDS: tuple[Kind, ...] = tuple(k for k in Kind if any(k in helpeds for _, helpeds in _LEVEL_KINDS.values()))


def active_on(start: dt.date | None, end: dt.date | None, as_of: dt.date | None) -> bool:
    """Whether an interval with inclusive, possibly open ends contains ``as_of``.

    ``as_of=None`` means "ignore dates": everything counts.

    >>> active_on(dt.date(2017, 3, 1), None, dt.date(2018, 12, 31))
    True
    >>> active_on(dt.date(2017, 3, 1), dt.date(2017, 12, 31), dt.date(2018, 1, 1))
    False
    """
    if as_of is None:
        return True
    return (start is None or start <= as_of) and (end is None or as_of <= end)


def stable_id(prefix: str, *parts: object) -> str:
    """An id that depends only on its parts, for records that have no code of their own.

    >>> stable_id("u", "village", "520627110", "高峰村") == stable_id("u", "village", "520627110", "高峰村")
    True
    >>> stable_id("u", "village", "520627110", "高峰村")[:2]
    'u-'
    """
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


def pairing_key(helper_id: str, helped_id: str, level: Level, program: str | None) -> str:
    """The id of a pairing given without one: its natural key, helper, helped, level and
    program. Dates are not part of it, so a corrected start updates the pairing.

    >>> pairing_key("320582", "520627", Level.GOVERNMENT, None) == pairing_key("320582", "520627", "government", None)
    True
    """
    return stable_id("p", helper_id, helped_id, Level(level).value, program or "")


class Source(BaseModel):
    """Where a record came from: the file, sheet and row, and the import that wrote it."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    import_id: str | None = None
    imported_at: dt.datetime | None = None


class _Record(BaseModel):
    """What every record has: whether it is a placeholder, which of its values are
    assumed rather than sourced, a note and its provenance."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    SHEET: ClassVar[str] = ""  # the sheet of the input format that holds this kind of record

    placeholder: bool = False
    # The columns (graph.columns.ASSUMABLE) whose values are assumed, not sourced: a real
    # record (placeholder false) may still carry a value chosen by a rule.
    assumed: tuple[str, ...] = Field(
        default=(),
        description=N_("The columns whose values are assumed (chosen by a rule), not sourced."),
        examples=[["poverty"]],
    )
    note: str | None = None
    source: Source = Field(default_factory=Source)

    @field_validator("assumed")
    @classmethod
    def _assumable(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        columns = ASSUMABLE[cls.SHEET]
        unknown = [name for name in value if name not in columns]
        if unknown:
            # Only a record built outside the loaders gets here (they check the column first,
            # naming the nearest columns); the message is the catalog's, in the reader's language.
            raise ValueError(
                _("unknown field {name} among the assumed; one of {columns}").format(
                    name=repr(unknown[0]), columns=", ".join(columns)
                )
            )
        return tuple(c for c in columns if c in value)  # once each, in the format's order


class Unit(_Record):
    """A node: an administrative unit, an organisation, a school, an enterprise..."""

    SHEET: ClassVar[str] = "units"

    id: str = Field(min_length=1)
    kind: Kind
    name: str = Field(min_length=1)
    # A hint, not a fact: the roles of a unit are those its pairings give it; this is
    # used where it has none (see graph.index.NetworkIndex.sides) and to tell names apart.
    side: Side | None = None
    parent_id: str | None = None
    code: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor_ids: tuple[str, ...] = ()
    poverty: Poverty | None = None
    ownership: Ownership | None = None
    rank: ParkRank | None = None
    stage: str | None = None
    population: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Unit:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(N_("valid_from is after valid_to"))
        return self

    def valid_on(self, as_of: dt.date | None) -> bool:
        return active_on(self.valid_from, self.valid_to, as_of)


class Pairing(_Record):
    """An agreement that ``helper_id`` supports ``helped_id`` at ``level``."""

    SHEET: ClassVar[str] = "pairings"

    id: str = Field(min_length=1)
    helper_id: str = Field(min_length=1)
    helped_id: str = Field(min_length=1)
    level: Level
    mode: Mode | None = None
    program: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    agreement: str | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> Pairing:
        if self.helper_id == self.helped_id:
            raise ValueError(N_("a unit cannot be paired with itself"))
        if self.start and self.end and self.start > self.end:
            raise ValueError(N_("start is after end"))
        return self

    def active_on(self, as_of: dt.date | None) -> bool:
        return active_on(self.start, self.end, as_of)


class Flow(_Record):
    """Something that moved: funds, donations, people, visits, technologies..."""

    SHEET: ClassVar[str] = "flows"

    id: str = Field(min_length=1)
    kind: FlowKind
    amount: float
    unit_of_measure: str | None = None
    year: Year | None = None
    from_id: str | None = None
    to_id: str | None = None
    pairing_id: str | None = None
    project: str | None = None

    @field_validator("amount")
    @classmethod
    def _finite(cls, value: float) -> float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(N_("amount must be a finite number"))
        return value


class Dataset(BaseModel):
    """Units, pairings and flows together: what a file holds and what a store snapshot is."""

    model_config = ConfigDict(frozen=True)

    units: tuple[Unit, ...] = ()
    pairings: tuple[Pairing, ...] = ()
    flows: tuple[Flow, ...] = ()

    def counts(self) -> dict[str, int]:
        return {"units": len(self.units), "pairings": len(self.pairings), "flows": len(self.flows)}


def level_set(levels: Level | str | Iterable[Level | str] | None) -> frozenset[Level] | None:
    """Pairing levels as the analyses compare them: one level or several, None for all.

    >>> sorted(level_set("village")), level_set(None)
    ([<Level.VILLAGE: 'village'>], None)
    """
    if levels is None:
        return None
    return frozenset(Level(lv) for lv in ([levels] if isinstance(levels, str) else levels))
