"""Writing one pairing from the workbench: add one, end one, accept a suggested partner.

Each form posts to the service's write (:mod:`pairnet.service.writes`), an import of its
own: the same checks as a file, all or nothing, the signed-in person as its author. The
answer is the coverage change the write made, with a link to the import (to revert it).
A write refused (not signed in, a viewer, outside the person's scopes, an invalid value)
is a page saying so, with the problems located, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from pairnet.api.deps import ViewDep
from pairnet.graph.errors import InvalidInput, NotFound, PairnetError
from pairnet.graph.model import Level, Mode, Pairing, Poverty
from pairnet.graph.network import parent_chain
from pairnet.i18n import _
from pairnet.i18n.labels import label
from pairnet.people import OutOfScope, Person, Role, may_write
from pairnet.service import question
from pairnet.service.writes import (
    SuggestionChanged,
    WriteRefused,
    WriteResult,
    accept_suggestion,
    add_pairing,
    end_pairing,
)

from .gaps import suggested
from .home import place_id
from .signin import refusal, signed_in, writer_or_refusal
from .templating import ContextDep, PageContext, choice, options, render, resolved

__all__ = ["ender", "router"]

router = APIRouter()

FormText = Annotated[str, Form(max_length=300)]


def ender(request: Request, G: nx.MultiDiGraph[str], as_of: dt.date) -> Callable[[Pairing], bool]:
    """Whether the signed-in person may end a pairing, which is not ended by ``as_of``: an
    admin any, an editor one whose helper or helped unit is under their scopes, others none
    (the write checks it again; this only decides which pages offer the link)."""
    person = signed_in(request)
    if person is None or not may_write(person):
        return lambda pairing: False
    scopes = frozenset(person.scopes)

    def inside(unit_id: str) -> bool:
        return unit_id in G and (unit_id in scopes or not scopes.isdisjoint(parent_chain(G, unit_id)))

    def may_end(pairing: Pairing) -> bool:
        if pairing.end is not None and pairing.end <= as_of:
            return False
        return person.role is Role.ADMIN or inside(pairing.helper_id) or inside(pairing.helped_id)

    return may_end


def _write(request: Request, context: PageContext, person: Person, write: Callable[[Any], WriteResult]) -> Response:
    """Run ``write`` on the store; the page of its coverage change, or of why it was refused."""
    try:
        with request.app.state.store_holder.writing() as store:
            result = write(store)
    except OutOfScope as error:
        return refusal(request, context, 403, str(error), problems=error.problems)
    except WriteRefused as error:
        return refusal(request, context, 403, str(error))
    except InvalidInput as error:
        return refusal(
            request, context, 422, _("Nothing was written: the pairing is not valid."), problems=error.problems
        )
    except SuggestionChanged as error:
        return refusal(request, context, 409, str(error))
    except NotFound as error:
        return refusal(request, context, 404, str(error))
    return render(
        request,
        "written.html",
        context,
        title=_("Written"),
        result=result,
        import_link=context.link(f"/app/imports/{result.import_id}"),
        label_of=label,
    )


@router.get("/pairings/new", response_class=HTMLResponse)
def new_pairing_page(
    request: Request,
    context: ContextDep,
    helped: Annotated[str | None, Query(max_length=300)] = None,
    helper: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    """The form that adds a pairing, with pickers that search units as ``/units?q=`` does."""
    return render(
        request,
        "pairing_new.html",
        context,
        title=_("Add a pairing"),
        values={"helper": helper or "", "helped": helped or ""},
        levels=options(Level),
        modes=options(Mode),
    )


@router.post("/pairings/new", response_class=HTMLResponse)
def new_pairing(
    request: Request,
    context: ContextDep,
    csrf: FormText = "",
    helper: FormText = "",
    helped: FormText = "",
    level: FormText = "",
    mode: FormText = "",
    program: FormText = "",
    start: FormText = "",
    end: FormText = "",
) -> Response:
    person = writer_or_refusal(request, context, csrf)
    if isinstance(person, Response):
        return person
    fields = {
        "helper": helper,
        "helped": helped,
        "level": level,
        "mode": mode,
        "program": program,
        "start": start,
        "end": end,
    }
    fields = {k: v.strip() for k, v in fields.items() if v.strip()}
    return _write(
        request, context, person, lambda store: add_pairing(store, fields, person=person, as_of=context.as_of)
    )


@router.get("/pairings/{pairing_id}/end", response_class=HTMLResponse)
def end_pairing_page(request: Request, view: ViewDep, context: ContextDep, pairing_id: str) -> Response:
    """The form that ends a pairing: its two units, its dates, an end date."""
    pairing = next((p for p in view.dataset.pairings if p.id == pairing_id), None)
    if pairing is None:
        return refusal(request, context, 404, _("no pairing {id!r}").format(id=pairing_id))
    G = view.network
    return render(
        request,
        "pairing_end.html",
        context,
        title=_("End a pairing"),
        pairing=pairing,
        helper=G.nodes[pairing.helper_id]["unit"],
        helped=G.nodes[pairing.helped_id]["unit"],
    )


@router.post("/pairings/{pairing_id}/end", response_class=HTMLResponse)
def end_pairing_form(
    request: Request, context: ContextDep, pairing_id: str, csrf: FormText = "", end: FormText = ""
) -> Response:
    person = writer_or_refusal(request, context, csrf)
    if isinstance(person, Response):
        return person
    return _write(
        request,
        context,
        person,
        lambda store: end_pairing(store, pairing_id, end.strip(), person=person, as_of=context.as_of),
    )


@router.get("/accept", response_class=HTMLResponse)
def accept_page(
    request: Request,
    view: ViewDep,
    context: ContextDep,
    target: Annotated[str, Query(max_length=300)],
    poverty: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The partner suggested for a gap of the page's place, and the button that accepts it."""
    G = view.network
    target_id = resolved("target", lambda ref: view.unit(ref).id, target)
    poverty_member = choice("poverty", Poverty, poverty)
    root = place_id(view, context)
    asked = question(
        G,
        kind=[G.nodes[target_id]["kind"]],
        poverty=[poverty_member] if poverty_member else None,
        within=root,
        as_of=context.as_of,
        resolve=lambda ref: ref,
    )
    return render(
        request,
        "accept.html",
        context,
        title=_("Accept a suggested partner"),
        target=G.nodes[target_id]["unit"],
        suggestion=suggested(view, asked).get(target_id),
        poverty=poverty_member.value if poverty_member else "",
        within=root or "",
        day=asked.as_of,
    )


@router.post("/accept", response_class=HTMLResponse)
def accept(
    request: Request,
    context: ContextDep,
    csrf: FormText = "",
    target: FormText = "",
    helper: FormText = "",
    poverty: FormText = "",
    within: FormText = "",
    start: FormText = "",
) -> Response:
    person = writer_or_refusal(request, context, csrf)
    if isinstance(person, Response):
        return person
    try:
        poverty_member = Poverty(poverty) if poverty else None
    except ValueError:
        return refusal(
            request,
            context,
            422,
            _("unknown value {value!r}; expected one of {expected}").format(
                value=poverty, expected=", ".join(p.value for p in Poverty)
            ),
        )

    def write(store: Any) -> WriteResult:
        return accept_suggestion(
            store,
            target,
            person=person,
            helper=helper or None,
            poverty=poverty_member,
            within=within or None,
            as_of=context.as_of or dt.date.today(),
            start=start or None,
        )

    try:
        return _write(request, context, person, write)
    except PairnetError as error:  # an unknown target or place
        return refusal(request, context, 422, str(error))
