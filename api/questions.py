"""The question of an analysis as FastAPI dependencies — the root (``scope`` or its old
names), the target set, the date and the levels, with the CLI's defaults — and running an
analysis on a view, cached for the store's version (:mod:`api.routers.analyses`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Annotated, Any

from fastapi import Depends, Query

from pairnet.graph.errors import InvalidParameter
from pairnet.graph.model import Side
from pairnet.i18n import N_, _
from pairnet.i18n.choices import HelpedKindChoice, KindChoice, LevelChoice, PovertyChoice, SideChoice
from pairnet.service import Answer, Question, question, scope, unit_id
from pairnet.service.question import Resolver

from .deps import View
from .exports import FreshViewDep
from .parameters import ISO_DAY_EXAMPLE, SCOPE_ALONE, IsoDay
from .routers.units import UNIT_EXAMPLES

__all__ = [
    "AsOf",
    "BesideKind",
    "Levels",
    "OneKindQuestionDep",
    "QuestionDep",
    "Scope",
    "Within",
    "asked",
    "asked_beside_kind",
    "asked_one_kind",
    "resolver",
    "root_unit",
    "run",
]

Within = Annotated[
    str | None,
    Query(
        description=N_("Only units below this unit on the date (id, division code or name path)."),
        examples=UNIT_EXAMPLES,
    ),
]
AsOf = Annotated[
    IsoDay | None,
    Query(
        description=N_("The date (YYYY-MM-DD): units valid and pairings active on it count. Default: today."),
        examples=[ISO_DAY_EXAMPLE],
    ),
]
Levels = Annotated[
    list[LevelChoice] | None, Query(description=N_("Pairing levels that count (repeat for several); all if absent."))
]
ScopeRef = Annotated[
    str | None,
    Query(
        description=N_(
            "The root unit: only units below it count (id, division code or name path). "
            "`county`, `township` and `within` are its old, undocumented names."
        ),
        alias="scope",
        examples=UNIT_EXAMPLES,
    ),
]
# The old names of scope, mutually exclusive: accepted for one release, not documented.
County = Annotated[str | None, Query(include_in_schema=False)]
Township = Annotated[str | None, Query(include_in_schema=False)]
OldWithin = Annotated[str | None, Query(include_in_schema=False)]


def resolver(view: View) -> Resolver:
    """What turns a reference a client wrote into a unit id, on ``view``'s cached look-ups."""
    return lambda ref: view.unit(ref).id


def root_unit(
    view: FreshViewDep,
    scope_ref: ScopeRef = None,
    county: County = None,
    township: Township = None,
    within: OldWithin = None,
) -> str | None:
    """The root unit of an analysis: ``scope``, or one of its old names county, township or
    within (as in the CLI)."""
    if scope_ref is not None:
        if county or township or within:
            given = tuple(name for name, ref in (("county", county), ("township", township), ("within", within)) if ref)
            raise InvalidParameter(_(SCOPE_ALONE), parameters=("scope", *given))
        return unit_id(view.network, "scope", scope_ref, resolver(view))
    return scope(view.network, county=county, township=township, within=within, resolve=resolver(view))


Scope = Annotated[str | None, Depends(root_unit)]


async def asked_beside_kind(
    side: SideChoice = Side.HELPED,
    poverty: Annotated[
        list[PovertyChoice] | None, Query(description=N_("Poverty statuses (repeat for several)."))
    ] = None,
    stage: Annotated[str | None, Query(description=N_("Only schools of this stage."))] = None,
    program: Annotated[
        str | None,
        Query(
            description=N_(
                "Only this program (as recorded, e.g. 东西部协作): the side is the role in its pairings, "
                "and only they cover."
            ),
            examples=["east_west_cooperation"],
        ),
    ] = None,
    level: Levels = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """The parts of an analysis's question every analysis takes alike (the target kinds differ)."""
    return {"side": side, "poverty": poverty, "stage": stage, "program": program, "level": level, "as_of": as_of}


BesideKind = Annotated[dict[str, Any], Depends(asked_beside_kind)]


async def asked(
    view: FreshViewDep,
    root: Scope,
    beside: BesideKind,
    kind: Annotated[
        list[KindChoice] | None, Query(description=N_("Target kinds (repeat for several). Default: village."))
    ] = None,
) -> Question:
    """The question of an analysis: target set, levels and date, with the CLI's defaults."""
    return question(view.network, kind=kind, within=root, resolve=resolver(view), **beside)


async def asked_one_kind(
    view: FreshViewDep,
    root: Scope,
    beside: BesideKind,
    kind: Annotated[
        HelpedKindChoice | None, Query(description=N_("The target kind (one). Default: village."), examples=["village"])
    ] = None,
) -> Question:
    """The question of an analysis that takes one target kind (recommendations)."""
    return question(view.network, kind=None if kind is None else [kind], within=root, resolve=resolver(view), **beside)


QuestionDep = Annotated[Question, Depends(asked)]
OneKindQuestionDep = Annotated[Question, Depends(asked_one_kind)]


def _frozen(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def run(view: View, analysis: Callable[..., Answer[Any]], *args: Any, **settings: Any) -> Answer[Any]:
    """``analysis(network, *args, **settings)``, cached for the store's version."""
    key = (analysis.__name__, _frozen(args), _frozen(settings))
    return view.cached(key, lambda: analysis(view.network, *args, **settings))
