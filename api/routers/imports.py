"""``/imports``: upload a workbook, CSV or JSON file (validated before anything is written),
and the history of imports."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pairnet.imports import import_file
from pairnet.people import Person, scope_guard

from ..deps import StoreDep, StoreHolder, TokenDep
from ..exports import PageDep, page_of
from ..problems import problem_responses
from ..schemas import ImportRecord, ImportResult, Page
from ..uploads import safe_name, sniff

__all__ = ["router"]

router = APIRouter(prefix="/imports", tags=["imports"])

_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "An .xlsx workbook (sheets units, pairings, flows), a CSV file named after "
                        "its sheet (units.csv...), or a .json file with those keys.",
                    }
                },
            }
        }
    },
}


@router.get(
    "",
    response_model=Page[ImportRecord],
    summary="The imports so far, oldest first",
    responses=problem_responses(422, 503),
)
def list_imports(store: StoreDep, page: PageDep) -> dict:
    history = [summary.to_dict() for summary in store.imports()]
    return page_of(history, page)


@router.post(
    "",
    response_model=ImportResult,
    summary="Import a file: all of it, or nothing and the list of problems",
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses=problem_responses(400, 401, 403, 413, 415, 422, 503),
)
async def upload(
    request: Request,
    person: TokenDep,
    dry_run: Annotated[bool, Query(description="Validate and report, write nothing.")] = False,
    replace: Annotated[bool, Query(description="Remove this file's earlier records that it no longer has.")] = False,
    allow_near_duplicates: Annotated[
        bool, Query(description="Accept new units named like a sibling (another width, spaces) or one code digit off.")
    ] = False,
) -> ImportResult:
    # The token is checked (above) before the body is read: an unauthorised upload is not stored anywhere.
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload_file = form.get("file")
        if not isinstance(upload_file, UploadFile):
            raise HTTPException(422, "send the file as multipart/form-data in a field named 'file'")
        name = safe_name(upload_file.filename)
        with tempfile.TemporaryDirectory(prefix="pairnet-upload-") as folder:
            path = Path(folder) / name
            with path.open("wb") as target:
                while chunk := await upload_file.read(1024 * 1024):
                    target.write(chunk)
            sniff(path, name)
            holder = request.app.state.store_holder
            report = await run_in_threadpool(
                _import, holder, path, name, replace, dry_run, person, allow_near_duplicates
            )
    finally:
        await form.close()
    return ImportResult(**report.to_dict())


def _import(
    holder: StoreHolder,
    path: Path,
    name: str,
    replace: bool,
    dry_run: bool,
    person: Person,
    allow_near_duplicates: bool = False,
):
    with holder.writing() as store:
        guard = scope_guard(person)
        return import_file(
            store,
            path,
            source=name,
            replace=replace,
            dry_run=dry_run,
            author=person.name,
            guard=guard,
            allow_near_duplicates=allow_near_duplicates,
        )
