"""One-pairing writes for tools: ``POST /pairings`` adds one, ``PATCH /pairings/{id}`` ends
one, ``POST /pairings/accept`` accepts a suggested partner.

Each is an import (:mod:`pairnet.service.writes`): the same checks as a file, all or
nothing, in the history under the token's person, revertable with
``POST /imports/{id}/revert``. The answer holds the import, the pairing as written and the
coverage change it made. Refusals are problem documents and write nothing: 401 without a
token, 403 for a viewer or outside the person's scopes, 409 for a suggestion that changed,
422 for an invalid pairing (``problems`` names each column).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from pairnet.graph.model import Pairing
from pairnet.graph.results import CoverageCounts
from pairnet.i18n import N_
from pairnet.i18n.choices import DayChoice, PovertyChoice
from pairnet.service import writes

from ..deps import HolderDep, TokenDep
from ..problems import problem_responses
from ..schemas import ImportResult

__all__ = ["router"]

router = APIRouter(prefix="/pairings", tags=["pairings"])

AsOfQuery = Annotated[
    DayChoice | None, Query(description=N_("The day the coverage change is counted on (default: today)."))
]


class NewPairing(BaseModel):
    """One pairing as a row of the input format's pairings sheet: references and values as
    files write them (codes, name paths, 村级, 2017年3月)."""

    model_config = ConfigDict(extra="forbid")

    helper: str = Field(min_length=1, max_length=300, examples=["张家港市/金港镇/中港社区"])
    helped: str = Field(min_length=1, max_length=300, examples=["沿河土家族自治县/中界镇/黄家洞村"])
    level: str | None = Field(
        None, max_length=50, description=N_("Inferred from the two kinds when absent."), examples=["village"]
    )
    mode: str | None = Field(None, max_length=50, examples=["经济强村"])
    program: str | None = Field(None, max_length=200, examples=["东西部扶贫协作"])
    start: str | None = Field(None, max_length=50, examples=["2017年3月"])
    end: str | None = Field(None, max_length=50, examples=["2020-12-31"])
    agreement: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=1000)
    placeholder: bool | None = None
    assumed: str | None = Field(
        None,
        max_length=200,
        description=N_("The columns whose values are assumed, not sourced, separated by 、 or , (as in files)."),
        examples=["开始日期", "start, helper"],
    )


class PairingEnd(BaseModel):
    """The end of a pairing: a date, or a year or month (its last day)."""

    model_config = ConfigDict(extra="forbid")

    end: str = Field(min_length=1, max_length=50, examples=["2020-12-31", "2020"])


class AcceptedSuggestion(BaseModel):
    """A suggested partner to accept, as the gap list asked for it."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(min_length=1, max_length=300, examples=["520627110201"])
    helper: str | None = Field(
        None,
        max_length=300,
        description=N_("The helper the client was shown; 409 if it is no longer the one suggested."),
    )
    poverty: PovertyChoice | None = None
    within: str | None = Field(None, max_length=300, examples=["520627110"])
    start: str | None = Field(None, max_length=50, description=N_("Default: as_of."))
    program: str | None = Field(None, max_length=200)


class CoverageFigure(BaseModel):
    """One coverage figure of the helped unit's county, before and after the write."""

    kind: str = Field(examples=["village"])
    poverty: str | None = Field(examples=["deeply_poor"])
    place_id: str | None = Field(examples=["520627"])
    place: str | None = Field(examples=["沿河土家族自治县"])
    as_of: dt.date
    before: CoverageCounts = Field(examples=[{"targets": 50, "covered": 21, "uncovered": 29, "share": 0.42}])
    after: CoverageCounts = Field(examples=[{"targets": 50, "covered": 22, "uncovered": 28, "share": 0.44}])


class WriteAnswer(BaseModel):
    """What a one-pairing write did."""

    import_: ImportResult = Field(alias="import", description=N_("The import, with its id (to revert it) and diff."))
    pairing: Pairing = Field(description=N_("The pairing as written."))
    coverage: list[CoverageFigure]

    model_config = ConfigDict(populate_by_name=True)


# 400: a body that is not JSON at all, which the framework refuses itself.
WRITE_RESPONSES = problem_responses(400, 401, 403, 409, 422, 503)


def _answer(result: writes.WriteResult) -> WriteAnswer:
    return WriteAnswer.model_validate(result.to_dict())


@router.post(
    "",
    response_model=WriteAnswer,
    response_model_by_alias=True,
    status_code=201,
    summary=N_("Add one pairing (an import of one row)"),
    responses=WRITE_RESPONSES,
)
def add(
    pairing: Annotated[
        NewPairing,
        Body(
            openapi_examples={
                "village": {
                    "summary": N_("A village pairing, names as planners write them"),
                    "value": {
                        "helper": "张家港市/金港镇/中港社区",
                        "helped": "沿河县/中界镇/黄家洞村",
                        "level": "村级",
                        "program": "东西部扶贫协作",
                        "start": "2017年3月",
                    },
                }
            }
        ),
    ],
    person: TokenDep,
    holder: HolderDep,
    as_of: AsOfQuery = None,
) -> WriteAnswer:
    with holder.writing() as store:
        result = writes.add_pairing(store, pairing.model_dump(exclude_none=True), person=person, as_of=as_of)
    return _answer(result)


@router.post(
    "/accept",
    response_model=WriteAnswer,
    response_model_by_alias=True,
    status_code=201,
    summary=N_("Accept a suggested partner for a gap"),
    responses=WRITE_RESPONSES,
)
def accept(
    suggestion: Annotated[
        AcceptedSuggestion,
        Body(
            openapi_examples={
                "gap": {
                    "summary": N_("The partner suggested for a deeply poor village of 中界镇"),
                    "value": {
                        "target": "520627110201",
                        "helper": "320582001001",
                        "poverty": "deeply_poor",
                        "within": "520627110",
                    },
                }
            }
        ),
    ],
    person: TokenDep,
    holder: HolderDep,
    as_of: AsOfQuery = None,
) -> WriteAnswer:
    with holder.writing() as store:
        result = writes.accept_suggestion(
            store,
            suggestion.target,
            person=person,
            helper=suggestion.helper,
            poverty=suggestion.poverty,
            within=suggestion.within,
            as_of=as_of,
            start=suggestion.start,
            program=suggestion.program,
        )
    return _answer(result)


@router.patch(
    "/{pairing_id}",
    response_model=WriteAnswer,
    response_model_by_alias=True,
    summary=N_("End a pairing (it stays, with its end date)"),
    responses=problem_responses(400, 401, 403, 404, 409, 422, 503),
)
def end(
    pairing_id: Annotated[str, Path(max_length=200, description=N_("The pairing's id."))],
    change: Annotated[
        PairingEnd, Body(openapi_examples={"year": {"summary": N_("Ended with 2020"), "value": {"end": "2020"}}})
    ],
    person: TokenDep,
    holder: HolderDep,
    as_of: AsOfQuery = None,
) -> WriteAnswer:
    with holder.writing() as store:
        result = writes.end_pairing(store, pairing_id, change.end, person=person, as_of=as_of)
    return _answer(result)
