"""``/app/gaps``: the units of a place with no active pairing, why, and who could help.

The rows are the service's gap answer (the CLI's ``pairnet gaps`` and the API's
``/analyses/gaps``) for the page's place and day, filtered by kind, poverty, level and
status, in division-code order, a page at a time; beside each, the partner the
recommendations suggest for it. The download links give the rows shown, as CSV or XLSX
through the API's writers.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from pairnet.api.deps import View, ViewDep
from pairnet.api.exports import Format, download
from pairnet.graph.errors import PairnetError
from pairnet.graph.model import Kind, Level, Poverty
from pairnet.i18n import N_, _
from pairnet.i18n.labels import label
from pairnet.service import GapSort, GapStatus, Question, analyses, question
from pairnet.service.wording import WORDS, assumed_note, labelled

from .home import place_id
from .templating import ContextDep, PageProblem, choice, options, render

__all__ = ["PAGE_SIZE", "router", "suggested"]

router = APIRouter()

PAGE_SIZE = 50
GAP_COLUMNS = ["name", "code", "parents", "kind", "poverty", "status", "through", "last_end", "next_start", "assumed"]
_FORMATS = {"csv": Format.CSV, "xlsx": Format.XLSX}
TITLE = N_("Gaps: {what} of {place} with no active pairing as of {day}")


def suggested(view: View, asked: Question) -> dict[str, dict[str, Any]]:
    """The partner the recommendations suggest for each gap of ``asked`` (by target id);
    empty when no pairing level follows from the target kind."""

    def compute() -> dict[str, dict[str, Any]]:
        try:
            result = analyses.recommend(view.network, asked).result
        except PairnetError:
            return {}
        return {row["target_id"]: dict(row) for row in result["suggestions"]}

    found: dict[str, dict[str, Any]] = view.cached(("workbench-suggested", asked), compute)
    return found


@router.get("/gaps", response_class=HTMLResponse)
def gaps_page(
    request: Request,
    view: ViewDep,
    context: ContextDep,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    poverty: Annotated[str | None, Query(max_length=40)] = None,
    level: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=40)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = PAGE_SIZE,
    fmt: Annotated[str | None, Query(alias="format", max_length=10)] = None,
) -> Response:
    """The gaps of the page's place, filtered; ``format=csv|xlsx`` downloads the rows shown."""
    G = view.network
    root = place_id(view, context)
    kind_member = choice("kind", Kind, kind) or Kind.VILLAGE
    poverty_member = choice("poverty", Poverty, poverty)
    level_member = choice("level", Level, level)
    if status and status.strip() and status.strip() not in {s.value for s in GapStatus}:
        expected = ", ".join(s.value for s in GapStatus)
        raise PageProblem(
            "status",
            _("unknown value {value!r}; expected one of {expected}").format(value=status.strip(), expected=expected),
        )
    status_member = GapStatus(status.strip()) if status and status.strip() else None
    asked = question(
        G,
        kind=[kind_member],
        poverty=[poverty_member] if poverty_member else None,
        within=root,
        level=[level_member] if level_member else None,
        as_of=context.as_of,
        resolve=lambda ref: ref,
    )
    answer = view.cached(
        ("workbench-gaps", asked, status_member),
        lambda: analyses.gaps(G, asked, status=[status_member] if status_member else None, sort=GapSort("code")),
    )
    rows = answer.rows[offset : offset + limit]
    if fmt is not None:
        if fmt not in _FORMATS:
            raise PageProblem(
                "format",
                _("unknown value {value!r}; expected one of {expected}").format(value=fmt, expected="csv, xlsx"),
            )
        return download(request, rows, fmt=_FORMATS[fmt], name=answer.name, columns=GAP_COLUMNS, sheet=answer.sheet)
    partners = suggested(view, asked)
    filters = {
        "kind": kind_member.value,
        "poverty": poverty_member.value if poverty_member else None,
        "level": level_member.value if level_member else None,
        "status": status_member.value if status_member else None,
    }
    place_name = G.nodes[root]["unit"].name if root else _("the whole network")
    return render(
        request,
        "gaps.html",
        context,
        title=_(TITLE).format(
            what=_label_of(kind_member, poverty_member), place=place_name, day=asked.as_of.isoformat()
        ),
        rows=[{**shown, "raw": raw} for shown, raw in zip(labelled(rows, mark=True), rows, strict=True)],
        assumed_note=assumed_note(rows),
        partners=partners,
        total=len(answer.rows),
        offset=offset,
        limit=limit,
        filters=filters,
        choices={
            "kind": options(Kind),
            "poverty": options(Poverty),
            "level": options(Level),
            "status": [(s.value, _(WORDS["status"].get(s.value, s.value))) for s in GapStatus],
        },
    )


def _label_of(kind: Kind, poverty: Poverty | None) -> str:
    return label(poverty) if poverty else label(kind)
