"""``/people``: who may write, for admins: list, add (the token is in that answer only), revoke."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path
from pydantic import BaseModel, ConfigDict, Field

from pairnet.i18n import N_, _
from pairnet.people import Person, Role, add_person, revoke_person
from pairnet.people.directory import MAX_NAME, NAME_PATTERN

from ..deps import HolderDep, TokenDep
from ..problems import problem_responses

__all__ = ["router"]

router = APIRouter(prefix="/people", tags=["people"])

# Person-facing text, in one place (translated where it is used).
NOT_AN_ADMIN = N_("{name} is a {role}: only an admin manages people")


def require_admin(person: TokenDep) -> Person:
    """The writing person, if an admin (403 otherwise)."""
    if person.role is not Role.ADMIN:
        raise HTTPException(403, _(NOT_AN_ADMIN).format(name=person.name, role=_(person.role.value)))
    return person


AdminDep = Annotated[Person, Depends(require_admin)]


class PersonRecord(BaseModel):
    """A person as others may see them: never their token or its hash."""

    name: str = Field(examples=["李编辑"])
    role: Role
    scopes: list[str] = Field(description=N_("Unit ids an editor writes under."), examples=[["520627"]])
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @classmethod
    def of(cls, person: Person) -> PersonRecord:
        return cls(
            name=person.name,
            role=person.role,
            scopes=list(person.scopes),
            created_at=person.created_at,
            revoked_at=person.revoked_at,
        )


# The rules of pairnet.people stated in the schema, so that a client and a fuzzer keep to them:
# a name of letters (NAME_PATTERN), scopes for an editor and for no one else.
PersonName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_NAME,
        pattern=NAME_PATTERN,
        description=N_("Letters (Chinese or Latin), digits and spaces, with · ' - . _ ( ) between them."),
        examples=["李编辑"],
    ),
]
Scope = Annotated[
    str,
    Field(
        min_length=1, max_length=300, description=N_("A unit of the store: code, id or name path."), examples=["520627"]
    ),
]


class NewEditor(BaseModel):
    """An editor to add: writes only under its scopes (at least one)."""

    model_config = ConfigDict(extra="forbid")

    name: PersonName
    role: Literal[Role.EDITOR]
    scopes: list[Scope] = Field(min_length=1, max_length=100, examples=[["沿河土家族自治县"]])


class NewReader(BaseModel):
    """A viewer or an admin to add: neither has scopes (an empty list, or none)."""

    model_config = ConfigDict(extra="forbid")

    name: PersonName
    role: Literal[Role.VIEWER, Role.ADMIN]
    scopes: list[Scope] = Field(default_factory=list, max_length=0)


NewPerson = Annotated[NewEditor | NewReader, Field(discriminator="role", title="NewPerson")]


class AddedPerson(PersonRecord):
    """The person added, with their token: shown in this answer only, kept nowhere."""

    token: str


@router.get(
    "",
    response_model=list[PersonRecord],
    summary=N_("Every person, revoked ones included"),
    responses=problem_responses(401, 403, 503),
)
def list_people(_admin: AdminDep, holder: HolderDep) -> list[PersonRecord]:
    return [PersonRecord.of(p) for p in holder.reader().people()]


@router.post(
    "",
    response_model=AddedPerson,
    status_code=201,
    summary=N_("Add a person with a new token"),
    # 400: a body that is not JSON at all (not even text), which the framework refuses itself;
    # 409: an active person has the name.
    responses=problem_responses(400, 401, 403, 409, 422, 503),
)
def add(
    new: Annotated[
        NewPerson,
        Body(
            openapi_examples={
                "editor": {
                    "summary": N_("An editor of one county"),
                    "value": {"name": "李编辑", "role": "editor", "scopes": ["沿河土家族自治县"]},
                },
                "viewer": {"summary": N_("A viewer (no scopes)"), "value": {"name": "王查看", "role": "viewer"}},
            }
        ),
    ],
    _admin: AdminDep,
    holder: HolderDep,
) -> AddedPerson:
    with holder.writing() as store:
        person, token = add_person(store, new.name, new.role, new.scopes)
    return AddedPerson(**PersonRecord.of(person).model_dump(), token=token)


@router.delete(
    "/{name}",
    response_model=PersonRecord,
    summary=N_("Revoke a person's token (they stay listed)"),
    responses=problem_responses(401, 403, 404, 503),
)
def revoke(
    name: Annotated[str, Path(description=N_("The person's name."), examples=["李编辑"])],
    _admin: AdminDep,
    holder: HolderDep,
) -> PersonRecord:
    with holder.writing() as store:
        return PersonRecord.of(revoke_person(store, name))
