"""``/app/imports``: upload a workbook, see its dry-run diff per sheet, confirm; the history
of imports (who, when, what), one import's diff, and reverting it.

An upload is checked and diffed without writing (the same :func:`pairnet.imports.import_file`
a real import runs, ``dry_run=True``) and kept on disk under a random key, where every worker
of the server sees it (:mod:`.pending`), until the planner confirms or an hour passes; the confirmation imports it as the person
who uploaded it, checked again against the store as it is then. A revert is an import too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pairnet.api.uploads import safe_name
from pairnet.diff import NeedsConfirmation
from pairnet.graph.errors import InvalidInput, NotFound, PairnetError
from pairnet.i18n import _
from pairnet.imports import ImportReport, import_file
from pairnet.people import OutOfScope, Person, Role, scope_guard
from pairnet.revert import RevertRefused, revert_import
from pairnet.service.history import import_diff

from .pending import PendingUploads, uploads_folder
from .signin import refusal, signed_in, writer_or_refusal
from .templating import ContextDep, PageContext, render

__all__ = ["router"]

router = APIRouter()

_SUFFIXES = (".xlsx", ".csv", ".json")


def _uploads(request: Request) -> PendingUploads:
    """The uploads waiting for a confirmation, shared by every worker serving the store."""
    return PendingUploads(uploads_folder(request.app.state.store_holder.uri))


def _history(request: Request) -> list[dict[str, Any]]:
    return [item.to_dict() for item in reversed(request.app.state.store_holder.reader().imports())]


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, context: ContextDep) -> Response:
    """The upload form and the history of imports, newest first."""
    return render(request, "imports.html", context, title=_("Imports"), history=_history(request))


def _refused(request: Request, context: PageContext, error: Exception) -> Response:
    """The page of an import that wrote nothing, with its problems by sheet, row and column."""
    if isinstance(error, OutOfScope):
        return refusal(request, context, 403, str(error), problems=error.problems)
    if isinstance(error, InvalidInput):
        message = _("Nothing was written: the file has problems.")
        return refusal(request, context, 422, message, problems=error.problems)
    if isinstance(error, RevertRefused | NeedsConfirmation):
        return refusal(request, context, 409, str(error))
    if isinstance(error, NotFound):
        return refusal(request, context, 404, str(error))
    return refusal(request, context, 400, str(error))


@router.post("/imports", response_class=HTMLResponse)
async def upload(
    request: Request,
    context: ContextDep,
    file: UploadFile,
    csrf: Annotated[str, Form(max_length=100)] = "",
    replace: Annotated[bool, Form()] = False,
) -> Response:
    """Check the uploaded file and show what importing it would change (nothing is written)."""
    person = writer_or_refusal(request, context, csrf)
    if isinstance(person, Response):
        return person
    name = safe_name(file.filename)
    if not name.lower().endswith(_SUFFIXES):
        return refusal(request, context, 415, _("Upload an .xlsx workbook, a CSV file or a JSON file."))
    uploads = _uploads(request)
    key, folder = uploads.receive()
    path = folder / name
    with path.open("wb") as target:
        while chunk := await file.read(1024 * 1024):
            target.write(chunk)
    try:
        report = import_file(
            request.app.state.store_holder.reader(),
            path,
            source=name,
            replace=replace,
            dry_run=True,
            author=person.name,
            guard=scope_guard(person),
        )
    except PairnetError as error:
        uploads.discard(folder)
        return _refused(request, context, error)
    uploads.keep(key, name, replace=replace, person=person.name)
    return render(
        request, "import_diff.html", context, title=_("What this import would change"), report=report, key=key
    )


@router.post("/imports/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    context: ContextDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Import the upload the planner saw the diff of (checked again, all or nothing)."""
    person = writer_or_refusal(request, context, csrf)
    if isinstance(person, Response):
        return person
    uploads = _uploads(request)
    pending = uploads.take(key, person.name)
    if pending is None:
        return refusal(request, context, 404, _("This upload is no longer waiting; upload the file again."))
    try:
        with request.app.state.store_holder.writing() as store:
            report = import_file(
                store,
                pending.path,
                source=pending.name,
                replace=pending.replace,
                confirm=True,
                author=person.name,
                guard=scope_guard(person),
            )
    except PairnetError as error:
        return _refused(request, context, error)
    finally:
        uploads.discard(pending.folder)
    return _to_import(context, report)


def _to_import(context: PageContext, report: ImportReport) -> Response:
    import_id = report.summary.import_id if report.summary else ""
    return RedirectResponse(context.link(f"/app/imports/{import_id}"), status_code=303)


@router.get("/imports/{import_id}", response_class=HTMLResponse)
def import_page(request: Request, context: ContextDep, import_id: str) -> Response:
    """One import: who, when, what, the diff it made, and the button that reverts it."""
    try:
        summary, diff = import_diff(request.app.state.store_holder.reader(), import_id)
    except NotFound as error:
        return refusal(request, context, 404, str(error))
    person = signed_in(request)
    reverted_by = next((i for i in _history(request) if i["reverts"] == import_id), None)
    return render(
        request,
        "import.html",
        context,
        title=_("Import {id}").format(id=import_id[:8]),
        summary=summary.to_dict(),
        diff=diff.to_dict(),
        may_revert=person is not None and person.role is Role.ADMIN and reverted_by is None,
        reverted_by=reverted_by,
    )


@router.post("/imports/{import_id}/revert", response_class=HTMLResponse)
def revert(
    request: Request, context: ContextDep, import_id: str, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """Undo an import (an admin's right: it may touch any place the import did)."""
    person = writer_or_refusal(request, context, csrf)
    if isinstance(person, Response):
        return person
    if not _admin(person):
        message = _("{name} may not revert imports: only an admin may. Nothing was written.").format(name=person.name)
        return refusal(request, context, 403, message)
    try:
        with request.app.state.store_holder.writing() as store:
            report = revert_import(store, import_id, confirm=True, author=person.name)
    except PairnetError as error:
        return _refused(request, context, error)
    return _to_import(context, report)


def _admin(person: Person) -> bool:
    return person.role is Role.ADMIN
