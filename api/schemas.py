"""Response models. Records are the domain's own models (:mod:`graph.model`); this module
adds what the API wraps around them: pages, unit details, import results."""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from pairnet.diff import DiffDocument
from pairnet.graph.model import Flow, Kind, Level, Pairing, Side, Unit
from pairnet.graph.results import Asked, GapRow
from pairnet.i18n import N_

__all__ = [
    "FlowDetail",
    "GapsPage",
    "ImportDetail",
    "ImportRecord",
    "ImportResult",
    "ListedFlow",
    "ListedPairing",
    "ListedUnit",
    "Page",
    "PairingDetail",
    "ServiceInfo",
    "UnitDetail",
    "UnitPairing",
    "UnitRef",
]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list in a stable order (by id); ``total`` counts every match."""

    total: int = Field(ge=0, examples=[50])
    offset: int = Field(ge=0, examples=[0])
    limit: int = Field(ge=1, examples=[100])
    items: list[T]


class GapsPage(Page[GapRow]):
    """One page of gaps, with what was counted (``asked``: kinds, side, poverty, program,
    place, date and levels), as coverage answers carry it."""

    asked: Asked


class UnitRef(BaseModel):
    """A unit named briefly: enough to show it and to ask for it."""

    id: str = Field(examples=["520627110"])
    code: str | None = Field(None, examples=["520627110"])
    name: str = Field(examples=["中界镇"])
    kind: Kind
    side: Side | None = Field(
        None, description=N_("The side the unit's file gave it: a hint; its roles are those of its pairings.")
    )

    @classmethod
    def of(cls, unit: Unit) -> UnitRef:
        return cls(id=unit.id, code=unit.code, name=unit.name, kind=unit.kind, side=unit.side)


class ListedPairing(Pairing):
    """A pairing in a list, with both sides' names and codes beside their ids."""

    helper_name: str = Field(examples=["杨舍镇"])
    helper_code: str | None = Field(None, examples=["320582100"])
    helped_name: str = Field(examples=["中界镇"])
    helped_code: str | None = Field(None, examples=["520627110"])

    @classmethod
    def of(cls, pairing: Pairing, helper: Unit, helped: Unit) -> ListedPairing:
        return cls.model_validate(
            {
                **dict(pairing),
                "helper_name": helper.name,
                "helper_code": helper.code,
                "helped_name": helped.name,
                "helped_code": helped.code,
            }
        )


class ListedUnit(Unit):
    """A unit in a list, with its parent's name and the path of its parents beside ``parent_id``."""

    parent_name: str | None = Field(None, examples=["中界镇"])
    parents: str = Field(
        description=N_("The names of its parents, outermost first."),
        examples=["贵州省 / 铜仁市 / 沿河土家族自治县 / 中界镇"],
    )

    @classmethod
    def of(cls, unit: Unit, parent: Unit | None, parents: str) -> ListedUnit:
        return cls.model_validate({**dict(unit), "parent_name": parent.name if parent else None, "parents": parents})


class ListedFlow(Flow):
    """A flow in a list, with the names and codes of both ends beside their ids."""

    from_name: str | None = Field(None, examples=["张家港市"])
    from_code: str | None = Field(None, examples=["320582"])
    to_name: str | None = Field(None, examples=["沿河土家族自治县"])
    to_code: str | None = Field(None, examples=["520627"])

    @classmethod
    def of(cls, flow: Flow, source: Unit | None, target: Unit | None) -> ListedFlow:
        return cls.model_validate(
            {
                **dict(flow),
                "from_name": source.name if source else None,
                "from_code": source.code if source else None,
                "to_name": target.name if target else None,
                "to_code": target.code if target else None,
            }
        )


class UnitPairing(BaseModel):
    """One pairing of a unit, seen from that unit."""

    role: Side = Field(description=N_("The unit's role in the pairing: helper or helped."))
    partner: UnitRef
    active: bool = Field(
        description=N_("Whether the pairing is active on the requested date (always true without as_of).")
    )
    pairing: Pairing


class UnitDetail(BaseModel):
    """A unit, its parent chain (nearest first), and its pairings at every level."""

    unit: Unit
    parents: list[UnitRef]
    children: int = Field(ge=0, description=N_("How many units have this unit as their parent."))
    as_of: dt.date | None = None
    pairings: dict[Level, list[UnitPairing]] = Field(
        description=N_("The unit's pairings grouped by level, by id within a level.")
    )


class PairingDetail(BaseModel):
    """A pairing with both of its units."""

    pairing: Pairing
    helper: UnitRef
    helped: UnitRef


class FlowDetail(BaseModel):
    """A flow with the units at both ends, where known."""

    flow: Flow
    from_unit: UnitRef | None = None
    to_unit: UnitRef | None = None


class ImportRecord(BaseModel):
    """One import the store has recorded."""

    import_id: str
    source: str
    imported_at: dt.datetime
    written: dict[str, int]
    removed: dict[str, int] = Field(default_factory=dict)
    version: str = ""
    author: str | None = Field(None, description=N_("Who imported it: a person's name, PAIRNET_TOKEN, or null."))
    reverts: str | None = Field(default=None, description=N_("For a revert: the import it undid."))


class ImportDetail(ImportRecord):
    """One import of the history with the diff it made."""

    diff: DiffDocument = Field(
        description=N_(
            "Per sheet: new, changed (field: old → new), removed and unchanged records, as the import made them."
        )
    )


class ImportResult(BaseModel):
    """What an upload did or, with ``dry_run``, would do (nothing is written then)."""

    source: str = Field(examples=["zhangjiagang-yanhe.xlsx"])
    dry_run: bool
    counts: dict[str, int] = Field(examples=[{"units": 812, "pairings": 160, "flows": 40}])
    import_id: str | None = None
    imported_at: dt.datetime | None = None
    written: dict[str, int] | None = None
    removed: dict[str, int] | None = None
    version: str | None = None
    author: str | None = Field(None, description=N_("Who imported it (null for a dry run)."))
    reverts: str | None = None
    diff: DiffDocument | None = Field(
        default=None, description=N_("Per sheet: new, changed (field: old → new), removed and unchanged records.")
    )


class ServiceInfo(BaseModel):
    """What this server serves: the versions, record counts and useful links."""

    name: str = "pairnet"
    data_version: str = Field(
        description=N_(
            "The store's data stamp: an opaque text that changes on every import or revert (and "
            "only then); answers' ETags derive from it. Compare it for equality, never order it."
        ),
        examples=["42:2026-12-01T08:00:00+00:00"],
    )
    api_version: str = Field(
        description=N_("The version of this API's contract (its paths are under /api/v1)."), examples=["1.0"]
    )
    package_version: str = Field(description=N_("The version of the pairnet software serving it."), examples=["0.1.0"])
    counts: dict[str, int] = Field(
        description=N_("Records in the store per kind."), examples=[{"units": 965, "pairings": 160, "flows": 40}]
    )
    writes: bool = Field(description=N_("Whether this server accepts imports (with the token)."))
    links: dict[str, str] = Field(
        description=N_("Where the collections and documents are."), examples=[{"units": "/api/v1/units"}]
    )
