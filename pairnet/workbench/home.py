"""``/app/``: the figures of a place on a day, as the cooperation office reports them.

The same questions as ``pairnet report`` (:mod:`pairnet.service.report`), asked through
:mod:`pairnet.service.analyses`: two-way coverage of the townships, coverage of the
villages, of the deeply poor villages, of the villages by enterprises, of the parks and of
the schools, and the flows; each figure links to its list, and with ``since`` each says how
it changed since that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from pairnet.api.deps import View, ViewDep
from pairnet.graph.model import FlowKind, Kind, Level, Poverty, Side
from pairnet.graph.targets import TargetSet, select_targets
from pairnet.i18n import N_, _
from pairnet.i18n.choices import ChoiceError, parse_day
from pairnet.i18n.collation import unit_key
from pairnet.i18n.labels import label
from pairnet.service import analyses
from pairnet.service import day as service_day
from pairnet.service.choices import CoverageBy, RollupKey
from pairnet.service.question import Question, reported_question

from .templating import ContextDep, PageContext, PageProblem, render, resolved

__all__ = ["Figure", "default_place", "figures", "router"]

router = APIRouter()


@dataclass(frozen=True)
class Figure:
    """One reported figure: ``covered`` of ``targets`` (a share), and the list it comes from."""

    key: str
    label: str
    covered: int
    targets: int
    list_params: dict[str, str]

    @property
    def share(self) -> float | None:
        return self.covered / self.targets if self.targets else None


# The figures of the office's report, in its order: key, label, target kind, poverty, level.
_COVERAGES: tuple[tuple[str, str, Kind, Poverty | None, Level | None], ...] = (
    ("villages", N_("Villages"), Kind.VILLAGE, None, None),
    ("deeply_poor", N_("Deeply poor villages"), Kind.VILLAGE, Poverty.DEEPLY_POOR, None),
    ("enterprise_village", N_("Enterprises–villages"), Kind.VILLAGE, None, Level.ENTERPRISE_VILLAGE),
    ("parks", N_("Parks"), Kind.PARK, None, Level.PARK),
)


def default_place(view: View) -> str | None:
    """The place of a page that names none: the first helped county in the register's
    order (the sample's 沿河土家族自治县), else the whole network (None)."""

    def first() -> str | None:
        G = view.network
        counties = [G.nodes[n]["unit"] for n in select_targets(G, TargetSet.of(kind=[Kind.COUNTY], side=Side.HELPED))]
        return min(counties, key=unit_key).id if counties else None

    found: str | None = view.cached(("workbench-default-place",), first)
    return found


def place_id(view: View, context: PageContext) -> str | None:
    """The unit id of the page's place (the default one when it names none)."""
    if context.place is None:
        return default_place(view)
    return resolved("place", lambda ref: view.unit(ref).id, context.place)


def figures(G: nx.MultiDiGraph[str], root: str | None, as_of: dt.date) -> dict[str, Any]:
    """The reported figures of ``root`` on ``as_of``: ``figures`` (a :class:`Figure` per
    level), ``townships`` (village coverage per township), ``schools_full`` and ``flows``."""

    def ask(kind: Kind, poverty: Poverty | None, level: Level | None) -> Question:
        return reported_question(G, root, as_of, kind, poverty=poverty, level=level)

    two_way = analyses.two_way_coverage(
        G, level=Level.TOWNSHIP, helper_within=None, helped_within=root, helper_units=None, as_of=as_of
    ).result
    found = [
        Figure(
            "townships",
            _("Townships two-way"),
            two_way["helped"]["covered"],
            two_way["helped"]["targets"],
            {"kind": "township"},
        ),
    ]
    townships: list[dict[str, Any]] = []
    for key, caption, kind, poverty, level in _COVERAGES:
        by = CoverageBy("township") if key == "villages" else None
        result = analyses.coverage(G, ask(kind, poverty, level), by=by).result
        params = {"kind": kind.value}
        if poverty:
            params["poverty"] = poverty.value
        if level:
            params["level"] = level.value
        found.append(Figure(key, _(caption), result["covered"], result["targets"], params))
        if by is not None:
            townships = [dict(group) for group in result["groups"]]
    schools = analyses.school_coverage(G, within=root, as_of=as_of).result
    found.append(
        Figure(
            "schools", _("Schools"), schools["schools"]["covered"], schools["schools"]["targets"], {"kind": "school"}
        )
    )
    flows = [
        {**row, "kind_label": label(FlowKind(row["kind"]))}
        for row in analyses.flows(G, by=[RollupKey("kind")], within=root).rows
    ]
    return {"figures": found, "townships": townships, "two_way_full": two_way["full"], "flows": flows}


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    view: ViewDep,
    context: ContextDep,
    since: Annotated[str | None, Query(max_length=40, description=N_("A second day to compare with"))] = None,
) -> HTMLResponse:
    """The figures of the page's place on its day, and their change since ``since``."""
    G = view.network
    root = place_id(view, context)
    day = service_day(context.as_of)
    now = view.cached(("workbench-figures", root, day), lambda: figures(G, root, day))
    before = None
    since_day = None
    if since and since.strip():
        try:
            since_day = parse_day(since.strip())
        except ChoiceError as error:
            raise PageProblem("since", str(error)) from None
        before = view.cached(("workbench-figures", root, since_day), lambda: figures(G, root, since_day))
    changes = (
        {f.key: f.covered - b.covered for f, b in zip(now["figures"], before["figures"], strict=True)} if before else {}
    )
    place_name = G.nodes[root]["unit"].name if root else _("the whole network")
    return render(
        request,
        "home.html",
        context,
        title=_("{place}: figures as of {day}").format(place=place_name, day=day.isoformat()),
        place_id=root,
        day=day,
        since=since_day,
        changes=changes,
        **now,
    )
