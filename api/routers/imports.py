"""``/imports``: upload a workbook, CSV or JSON file (validated before anything is written),
the history of imports, and reverting one.

A dry run answers the diff; an import that removes records, changes more than 10% of its
source or touches another source's records answers 409 with the diff unless ``confirm=true``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from pairnet.diff import NeedsConfirmation
from pairnet.i18n import N_, _
from pairnet.imports import import_file
from pairnet.people import Person, Role, scope_guard
from pairnet.revert import RevertRefused, revert_import
from pairnet.service.history import import_diff

from ..deps import HolderDep, StoreDep, StoreHolder, TokenDep
from ..exports import PageDep, page_of
from ..problems import PROBLEM_JSON, TYPE_BASE, ProblemDocument, problem, problem_responses
from ..schemas import ImportDetail, ImportRecord, ImportResult, Page
from ..uploads import safe_name, sniff

__all__ = ["router"]

router = APIRouter(prefix="/imports", tags=["imports"])

SOURCE_MAX = 300
FORM_FIELDS = ("file", "source")
ConfirmQuery = Annotated[
    bool,
    Query(
        description=N_(
            "Write even an import that removes records, changes more than 10% of its source or touches another source's records."
        )
    ),
]

_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "additionalProperties": False,
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": N_(
                            "An .xlsx workbook (sheets units, pairings, flows), a CSV file named after "
                            "its sheet (units.csv...), or a .json file with those keys."
                        ),
                    },
                    "source": {
                        "type": "string",
                        "maxLength": SOURCE_MAX,
                        "description": N_(
                            "The name of this import's source (default, and when blank: the file name); "
                            "replace=true touches only the records of this source."
                        ),
                    },
                },
            }
        }
    },
}


@router.get(
    "",
    response_model=Page[ImportRecord],
    summary=N_("The imports so far, oldest first"),
    responses=problem_responses(422, 503),
)
def list_imports(store: StoreDep, page: PageDep) -> dict:
    history = [summary.to_dict() for summary in store.imports()]
    return page_of(history, page)


@router.post(
    "",
    response_model=ImportResult,
    summary=N_("Import a file: all of it, or nothing and the list of problems"),
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422, 503),
)
async def upload(
    request: Request,
    person: TokenDep,
    dry_run: Annotated[bool, Query(description=N_("Validate and report the diff, write nothing."))] = False,
    replace: Annotated[
        bool, Query(description=N_("Remove this source's earlier records that the file no longer has."))
    ] = False,
    confirm: ConfirmQuery = False,
    allow_near_duplicates: Annotated[
        bool,
        Query(description=N_("Accept new units named like a sibling (another width, spaces) or one code digit off.")),
    ] = False,
) -> ImportResult | JSONResponse:
    # The token is checked (above) before the body is read: an unauthorised upload is not stored anywhere.
    try:
        form = await request.form(max_files=1, max_fields=len(FORM_FIELDS))
    except StarletteHTTPException as error:  # Starlette's words for a form it cannot read
        raise HTTPException(400, _("the form could not be read: {reason}").format(reason=error.detail)) from None
    try:
        upload_file = _upload_file(form)
        name = safe_name(upload_file.filename)
        source = _source(form.get("source"), name)
        with tempfile.TemporaryDirectory(prefix="pairnet-upload-") as folder:
            path = Path(folder) / name
            with path.open("wb") as target:
                while chunk := await upload_file.read(1024 * 1024):
                    target.write(chunk)
            sniff(path, name)
            holder = request.app.state.store_holder
            report = await run_in_threadpool(
                _import, holder, path, source, replace, dry_run, confirm, person, allow_near_duplicates
            )
    except NeedsConfirmation as error:
        return _unconfirmed(error)
    finally:
        await form.close()
    return ImportResult(**report.to_dict())


@router.get(
    "/{import_id}",
    response_model=ImportDetail,
    summary=N_("One import with its diff"),
    responses=problem_responses(404, 503),
)
def get_import(
    holder: HolderDep,
    import_id: Annotated[str, PathParam(max_length=64, description=N_("The id of the import (GET /imports)."))],
) -> ImportDetail:
    summary, diff = import_diff(holder.reader(), import_id)
    return ImportDetail(**summary.to_dict(), diff=diff.to_dict())


@router.post(
    "/{import_id}/revert",
    response_model=ImportResult,
    summary=N_("Undo an import: the store as before it, recorded as a new import"),
    responses=problem_responses(401, 403, 404, 409, 503),
)
def revert(
    request: Request,
    person: TokenDep,
    import_id: Annotated[str, PathParam(max_length=64, description=N_("The id of the import to undo."))],
    dry_run: Annotated[bool, Query(description=N_("Report the diff, write nothing."))] = False,
    confirm: Annotated[bool, Query(description=N_("Write the revert (without it: 409 with the diff)."))] = False,
) -> ImportResult | JSONResponse:
    if person.role is not Role.ADMIN:  # a revert may touch any place the import did
        refusal = _("{name} may not revert imports: only an admin may").format(name=person.name)
        return problem(403, refusal, slug="forbidden")
    holder = request.app.state.store_holder
    try:
        with holder.writing() as store:
            report = revert_import(store, import_id, dry_run=dry_run, confirm=confirm, author=person.name)
    except NeedsConfirmation as error:
        return _unconfirmed(error)
    except RevertRefused as error:
        return problem(409, str(error), slug="revert-refused")
    return ImportResult(**report.to_dict())


def _form_error(field: str, message: str) -> RequestValidationError:
    """A 422 naming the form field, as FastAPI names a body field it refuses."""
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


def _upload_file(form: FormData) -> UploadFile:
    """The form's file, once the form is known to hold no other field than ``FORM_FIELDS``."""
    for field in form:
        if field not in FORM_FIELDS:
            message = _("unknown form field {name}; this form takes: {known}")
            raise _form_error(field, message.format(name=field, known=", ".join(FORM_FIELDS)))
    upload_file = form.get("file")
    if upload_file is None:
        raise _form_error("file", _("send the file as multipart/form-data in a field named 'file'"))
    if not isinstance(upload_file, UploadFile):
        raise _form_error("file", _("the field 'file' holds text, not a file: send it as a file part with a file name"))
    return upload_file


def _source(value: object, name: str) -> str:
    """The form field ``source``, else (absent or blank) the upload's file name."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return name
    if not isinstance(value, str) or len(value) > SOURCE_MAX:
        raise _form_error(
            "source", _("the source must be a name of at most {count} characters").format(count=SOURCE_MAX)
        )
    return value.strip()


def _unconfirmed(error: NeedsConfirmation) -> JSONResponse:
    """409 with the diff: the client shows it and sends again with confirm=true."""
    document = ProblemDocument(
        type=TYPE_BASE + "needs-confirmation",
        title="Conflict",
        status=409,
        detail=str(error),
    ).to_json()
    document["needs_confirmation"] = error.reasons
    document["diff"] = error.diff.to_dict()
    return JSONResponse(document, status_code=409, media_type=PROBLEM_JSON)


def _import(
    holder: StoreHolder,
    path: Path,
    source: str,
    replace: bool,
    dry_run: bool,
    confirm: bool,
    person: Person,
    allow_near_duplicates: bool,
):
    with holder.writing() as store:
        return import_file(
            store,
            path,
            source=source,
            replace=replace,
            dry_run=dry_run,
            confirm=confirm,
            author=person.name,
            guard=scope_guard(person),
            allow_near_duplicates=allow_near_duplicates,
        )
