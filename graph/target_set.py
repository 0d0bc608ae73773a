"""The target set: which units a question is about (kinds, side, poverty, root, stage,
program), as one parameter object, and the units a plan expects to have a partner.

The side of a unit is the role its pairings give it (see :mod:`graph.roles`): "the
helped villages" are those on the helped side, of ``program`` if one is named.

>>> TargetSet.of(kind="village", poverty=["deeply_poor"]).kind
frozenset({<Kind.VILLAGE: 'village'>})
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TypeVar

from typing_extensions import TypedDict

from .model import Kind, Poverty, Side, Unit

__all__ = ["PLANNED_TARGETS", "TargetKeywords", "TargetSet", "expects_partner", "target_set"]


_Member = TypeVar("_Member")


def _as_set(values: str | Iterable[str] | None, enum: Callable[[str], _Member]) -> frozenset[_Member] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return frozenset(enum(v) for v in values)


@dataclass(frozen=True)
class TargetSet:
    """The units a question is about: their kinds, side (in ``program``, or in any program),
    poverty statuses, root and stage.

    Every field left None does not filter. Build one with :meth:`of`, which accepts one
    value or several and plain strings; it is hashable, so answers can be cached by it.

    >>> TargetSet.of(kind="village", poverty=["deeply_poor"]).kind
    frozenset({<Kind.VILLAGE: 'village'>})
    """

    kind: frozenset[Kind] | None = None
    side: Side | None = None
    poverty: frozenset[Poverty] | None = None
    within: str | None = None
    stage: str | None = None
    program: str | None = None

    def admits(self, unit: Unit, sides: Collection[Side] | None = None) -> bool:
        """Whether ``unit``, on ``sides`` (its roles, see :mod:`graph.roles`; None: its
        hint alone), has the kind, side, poverty and stage of this set (its place,
        ``within``, and its validity on a date are for :func:`select_targets` to check)."""
        if sides is None:
            sides = () if unit.side is None else (unit.side,)
        return (
            (self.kind is None or unit.kind in self.kind)
            and (self.side is None or self.side in sides)
            and (self.poverty is None or unit.poverty in self.poverty)
            and (self.stage is None or unit.stage == self.stage)
        )

    @classmethod
    def of(
        cls,
        kind: Kind | str | Iterable[Kind | str] | None = None,
        side: Side | str | None = None,
        poverty: Poverty | str | Iterable[Poverty | str] | None = None,
        within: str | None = None,
        stage: str | None = None,
        program: str | None = None,
    ) -> TargetSet:
        return cls(
            _as_set(kind, Kind), None if side is None else Side(side), _as_set(poverty, Poverty), within, stage, program
        )


class TargetKeywords(TypedDict, total=False):
    """The fields of a :class:`TargetSet` as keywords, for callers that name them one by one."""

    kind: Kind | str | Iterable[Kind | str] | None
    side: Side | str | None
    poverty: Poverty | str | Iterable[Poverty | str] | None
    within: str | None
    stage: str | None
    program: str | None


PLANNED_TARGETS = (
    TargetSet.of(kind=Kind.TOWNSHIP, side=Side.HELPER),
    TargetSet.of(kind=(Kind.TOWNSHIP, Kind.SCHOOL, Kind.HOSPITAL), side=Side.HELPED),
    TargetSet.of(kind=Kind.VILLAGE, side=Side.HELPED, poverty=tuple(Poverty)),
)
"""The units a plan expects to have a partner: both sides' townships (two-way full
coverage), and the helped side's schools, hospitals and poor villages."""


def expects_partner(unit: Unit, sides: Collection[Side] | None = None) -> bool:
    """Whether a plan expects ``unit``, on ``sides`` (its roles; None: its hint), to have a
    partner (see :data:`PLANNED_TARGETS`).

    >>> expects_partner(Unit(id="v", kind="village", name="高峰村", side="helped", poverty="deeply_poor"))
    True
    >>> expects_partner(Unit(id="v", kind="village", name="善港村", side="helper"))
    False
    """
    return any(targets.admits(unit, sides) for targets in PLANNED_TARGETS)


def target_set(targets: TargetSet | None, keywords: TargetKeywords) -> TargetSet:
    """``targets``, or the target set its ``keywords`` describe (not both)."""
    if targets is None:
        return TargetSet.of(**keywords)
    if any(value is not None for value in keywords.values()):
        raise TypeError("give a TargetSet or its keywords, not both")  # a programming error, not a person's
    return targets
