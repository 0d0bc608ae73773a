"""The analysis commands: ``coverage``, ``gaps``, ``alignment``, ``balance``, ``recommend``,
``whatif``, ``flows`` and ``timeline``, each a thin layer over :mod:`pairnet.service`:
parse the options, ask the service, show its answer. JSON output is the answer's document
(what the API returns); CSV and XLSX are its rows (the API's files); the table is for people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
import typer
from rich.markup import escape

from pairnet.graph.model import FIRST_YEAR, HELPED_KINDS, LAST_YEAR, FlowKind, Kind, Level, Poverty, Side
from pairnet.i18n import N_, _
from pairnet.i18n.choices import metavar
from pairnet.i18n.labels import label
from pairnet.service import (
    Answer,
    CoverageBy,
    GapSort,
    GapStatus,
    RollupKey,
    analyses,
    question,
    scope,
    titles,
    unit_id,
    unit_ids,
)
from pairnet.service.analyses import capacities
from pairnet.service.question import Resolver
from pairnet.service.question import day as date_of
from pairnet.service.scoped import network_for
from pairnet.service.wording import assumed_note, header, labelled
from pairnet.tables import columns_of

from . import app
from .common import (
    AsOfOption,
    Format,
    FormatOption,
    OutputOption,
    StoreOption,
    as_of_option,
    choice_option,
    connect,
    emit,
    emit_json,
    err,
    out,
    resolve_format,
)

__all__ = [
    "alignment_command",
    "balance_command",
    "coverage_command",
    "flows_command",
    "gaps_command",
    "recommend_command",
    "timeline_command",
    "whatif_command",
]

PANEL = "Analyses"
COUNTS = ["targets", "covered", "uncovered", "share"]

KindOption = Annotated[
    list[Kind] | None,
    typer.Option(
        "--kind",
        "-k",
        parser=choice_option(Kind),
        metavar=metavar(Kind),
        help=N_("Target kind (repeat for several). Default: village."),
        show_default=False,
    ),
]
SideOption = Annotated[
    Side, typer.Option("--side", parser=choice_option(Side), metavar=metavar(Side), help=N_("Target side."))
]
PovertyOption = Annotated[
    list[Poverty] | None,
    typer.Option(
        "--poverty",
        "-p",
        parser=choice_option(Poverty),
        metavar=metavar(Poverty),
        help=N_("Only villages of this poverty status (repeat)."),
        show_default=False,
    ),
]
CountyOption = Annotated[
    str | None,
    typer.Option(
        "--county",
        help=N_("Only units of this county: id, division code, name or name path (县/镇/村)."),
        show_default=False,
    ),
]
TownshipOption = Annotated[
    str | None,
    typer.Option(
        "--township",
        help=N_("Only units of this township: id, division code, name or name path (县/镇/村)."),
        show_default=False,
    ),
]
WithinOption = Annotated[
    str | None,
    typer.Option(
        "--within",
        help=N_("Only units below this unit: id, division code, name or name path (县/镇/村)."),
        show_default=False,
    ),
]
StageOption = Annotated[str | None, typer.Option("--stage", help=N_("Only schools of this stage."), show_default=False)]
ProgramOption = Annotated[
    str | None,
    typer.Option(
        "--program",
        help=N_(
            "Only this program (as recorded, e.g. 东西部协作): the side is the role in its pairings, and only they cover."
        ),
        show_default=False,
    ),
]
LevelOption = Annotated[
    list[Level] | None,
    typer.Option(
        "--level",
        "-l",
        parser=choice_option(Level),
        metavar=metavar(Level),
        help=N_("Pairing levels that count (repeat). Default: all."),
        show_default=False,
    ),
]


def _network(store: str | None, *places: str | None) -> tuple[nx.MultiDiGraph, Resolver]:
    """The network for a question about ``places`` (scoped when they allow) and its resolver."""
    with connect(store) as opened:
        return network_for(opened, *places)


def _places(*places: str | None, also: Sequence[str | None] = ()) -> tuple[str | None, ...]:
    """The places that scope a question: none when the question names no place (its target
    set is then the whole network's), else ``places`` and the other units it names ``also``."""
    return (*places, *also) if any(places) else ()


def _day(as_of: dt.datetime | None) -> dt.date:
    return date_of(as_of.date() if as_of is not None else None)


def _show(
    answer: Answer[Any],
    *,
    fmt: Format | None,
    output: Path | None,
    title: str,
    notes: tuple[str, ...] = (),
    columns: list[str] | None = None,
) -> None:
    """JSON: the answer's document; CSV/XLSX: its rows; a table: its rows for people,
    with ``notes`` above (on stderr when the rows go to a file or a pipe)."""
    fmt = resolve_format(fmt, output)
    if fmt is Format.JSON:
        emit_json(answer.document(), output=output)
        return
    console = out if fmt is Format.TABLE else err
    for note in notes:
        console.print(escape(note))
    if fmt is Format.TABLE:
        _table(answer.rows, columns, title)
        return
    emit(answer.rows, columns=answer.columns, fmt=fmt, output=output, sheet=answer.sheet, caption=answer.title)


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None, title: str) -> None:
    """``rows`` as a table on the terminal, as a person reads them (see :func:`_for_people`)."""
    shown, headers = _for_people(rows, columns)
    emit(shown, columns=headers, title=title)
    note = assumed_note(rows)
    if note is not None:
        out.print(escape(note))


def _for_people(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows and columns as a person reads them: headers and enum values in the current
    language, shares as percentages."""
    columns = list(columns) if columns is not None else columns_of(rows)
    shown = [{header(key): value for key, value in row.items()} for row in _percent(labelled(rows, mark=True))]
    return shown, [header(column) for column in columns]


def _percent(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Shares and ratios as percentages, for people (files keep the fractions)."""

    def show(key, value):
        return f"{value:.1%}" if key in ("share", "ratio") and isinstance(value, float) else value

    return [{key: show(key, value) for key, value in row.items()} for row in rows]


def _when(as_of: dt.date) -> str:
    return _("as of {day}").format(day=as_of.isoformat())


def _share(counts: Mapping[str, Any]) -> str:
    share = "—" if counts["share"] is None else f"{counts['share']:.1%}"
    return _("{covered} of {targets} covered ({share})").format(
        covered=counts["covered"], targets=counts["targets"], share=share
    )


@app.command("coverage", rich_help_panel=PANEL)
def coverage_command(
    kind: KindOption = None,
    side: SideOption = Side.HELPED,
    poverty: PovertyOption = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    stage: StageOption = None,
    program: ProgramOption = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    by: Annotated[
        CoverageBy | None,
        typer.Option(
            help=N_(
                "Break down by level, parent, the targets' kind, or their ancestor of a kind (township, county...)."
            ),
            show_default=False,
        ),
    ] = None,
    two_way: Annotated[
        bool,
        typer.Option(
            "--two-way",
            help=N_(
                "Two-way coverage of --level (default township): helper side below --helper-within, helped side below --county/--within."
            ),
        ),
    ] = False,
    helper_within: Annotated[
        str | None,
        typer.Option(
            help=N_("With --two-way: the helper side's root (id, division code, name or name path (县/镇/村))."),
            show_default=False,
        ),
    ] = None,
    helper: Annotated[
        list[str] | None,
        typer.Option(help=N_("With --two-way: the helper side's units, named outright (repeat)."), show_default=False),
    ] = None,
    schools: Annotated[
        bool,
        typer.Option("--schools", help=N_("The three full coverages of school pairings: townships, schools, stages.")),
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """The share of a target set with at least one active pairing, overall and per group.

    Examples: `pairnet coverage --county 520627 --poverty deeply_poor --by township --as-of 2018-12-31`;
    `pairnet coverage --two-way --helper-within 320582 --county 520627`; `pairnet coverage --schools --county 520627`.
    """
    places = _places(county, township, within)
    if two_way:
        places = _places(*places, also=(helper_within, *(helper or ()))) if helper_within or helper else ()
    elif by is CoverageBy.LEVEL and not schools:  # type: ignore[attr-defined]
        places = ()  # a group for every level active anywhere in the network: the whole one
    G, resolve = _network(store, *places)
    day = _day(as_of)
    if two_way:
        answer = analyses.two_way_coverage(
            G,
            level=(level or [Level.TOWNSHIP])[0],
            helper_within=unit_id(G, "helper_within", helper_within, resolve),
            helped_within=scope(G, county=county, township=township, within=within, resolve=resolve),
            helper_units=unit_ids(G, "helper", helper, resolve),
            program=program,
            as_of=day,
        )
        _show(
            answer,
            fmt=fmt,
            output=output,
            title=titles.two_way_title(answer.result),
            columns=["side", *COUNTS],
        )
        return
    if schools:
        school_answer = analyses.school_coverage(
            G,
            within=scope(G, county=county, township=township, within=within, resolve=resolve),
            as_of=day,
            levels=level,
        )
        verdict = _("all three full") if school_answer.result["full"] else _("not all full")
        _show(
            school_answer,
            fmt=fmt,
            output=output,
            title=_("School coverage as of {day}: {verdict}").format(day=day.isoformat(), verdict=verdict),
            columns=["coverage", "stage", *COUNTS],
        )
        return
    asked = question(
        G,
        kind=kind,
        side=side,
        poverty=poverty,
        county=county,
        township=township,
        within=within,
        stage=stage,
        program=program,
        level=level,
        as_of=day,
        resolve=resolve,
    )
    coverage_answer = analyses.coverage(G, asked, by=by)
    _show(
        coverage_answer,
        fmt=fmt,
        output=output,
        title=titles.coverage_title(coverage_answer.result),
        columns=["group", "code", *COUNTS],
    )


@app.command("gaps", rich_help_panel=PANEL)
def gaps_command(
    kind: KindOption = None,
    side: SideOption = Side.HELPED,
    poverty: PovertyOption = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    stage: StageOption = None,
    program: ProgramOption = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    status: Annotated[
        list[GapStatus] | None, typer.Option(help=N_("Only gaps with this status (repeat)."), show_default=False)
    ] = None,
    sort: Annotated[GapSort, typer.Option(help=N_("Sort by."))] = GapSort.PARENTS,  # type: ignore[attr-defined]
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """The units of a target set with no active pairing, with code, parents and why
    (never_paired, ended, not_yet_started, partner_not_valid, through_descendant).

    Example: `pairnet gaps --county 520627 --kind township --level township`.
    """
    G, resolve = _network(store, *_places(county, township, within))
    asked = question(
        G,
        kind=kind,
        side=side,
        poverty=poverty,
        county=county,
        township=township,
        within=within,
        stage=stage,
        program=program,
        level=level,
        as_of=_day(as_of),
        resolve=resolve,
    )
    answer = analyses.gaps(G, asked, status=status, sort=sort)
    _show(
        answer,
        fmt=fmt,
        output=output,
        title=titles.gaps_title(titles.asked_of(G, asked), len(answer.rows)),
        columns=["name", "code", "township", "poverty", "status", "through", "last_end", "next_start"],
    )


@app.command("alignment", rich_help_panel=PANEL)
def alignment_command(
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Five-in-one consistency: pairings whose parents are not paired with each other, per
    level, with the alignment ratio. The rows are the pairings that are not aligned."""
    G, resolve = _network(store, *_places(county, township, within))
    day = _day(as_of)
    answer = analyses.alignment(
        G, within=scope(G, county=county, township=township, within=within, resolve=resolve), levels=level, as_of=day
    )
    result = answer.result
    ratio = "—" if result["ratio"] is None else f"{result['ratio']:.1%}"
    title = _("Alignment {when}: {aligned} aligned, {misaligned} not ({ratio})").format(
        when=_when(day), aligned=result["aligned"], misaligned=result["misaligned"], ratio=ratio
    )
    if resolve_format(fmt, output) is Format.TABLE:
        _table(list(result["levels"]), None, title)
    _show(
        answer,
        fmt=fmt,
        output=output,
        title=_("Pairings whose parents are not paired"),
        columns=["level", "helper", "helper_parent", "helped", "helped_parent", "status"],
    )


@app.command("balance", rich_help_panel=PANEL)
def balance_command(
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            help=N_("Only helpers below this unit: id, division code, name or name path (县/镇/村)."),
            show_default=False,
        ),
    ] = None,
    level: LevelOption = None,
    program: Annotated[
        str | None,
        typer.Option(
            "--program",
            help=N_("Count only this program's pairings (as recorded, e.g. 东西部协作) in the helpers' loads."),
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    top: Annotated[
        int | None, typer.Option(min=1, help=N_("Show only the most loaded rows."), show_default=False)
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Active pairings per helper and level, the most loaded first, with the Gini
    coefficient of the loads per level (0 = even).

    With --program only that program's pairings count: a unit helping in one program and
    helped in another is loaded only by its pairings as a helper in the program asked.
    """
    G, resolve = _network(store, within)
    day = _day(as_of)
    answer = analyses.balance(
        G, within=unit_id(G, "within", within, resolve), levels=level, as_of=day, top=top, program=program
    )
    if resolve_format(fmt, output) is Format.TABLE:
        _table(list(answer.result["levels"]), None, _("Load per level {when}").format(when=_when(day)))
    _show(
        answer,
        fmt=fmt,
        output=output,
        title=_("Helpers, most loaded first"),
        columns=["helper", "kind", "parents", "level", "pairings", "helped"],
    )


@app.command("recommend", rich_help_panel=PANEL)
def recommend_command(
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            "-k",
            parser=choice_option(Kind, among=HELPED_KINDS),
            metavar=metavar(Kind, among=HELPED_KINDS),
            help=N_("Target kind."),
        ),
    ] = Kind.VILLAGE,
    poverty: PovertyOption = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    stage: StageOption = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    pairing_level: Annotated[
        Level | None,
        typer.Option(
            parser=choice_option(Level),
            metavar=metavar(Level),
            help=N_("Level of the suggested pairings. Default: from --kind."),
            show_default=False,
        ),
    ] = None,
    helper_kind: Annotated[
        list[Kind] | None,
        typer.Option(
            parser=choice_option(Kind),
            metavar=metavar(Kind),
            help=N_("Kinds a suggested helper may have (repeat). Default: --kind."),
            show_default=False,
        ),
    ] = None,
    helpers_within: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "Last-resort pool of helpers: those below this unit (id, division code, name or name path (县/镇/村))."
            ),
            show_default=False,
        ),
    ] = None,
    capacity: Annotated[int, typer.Option(min=0, help=N_("Pairings a helper may carry at the level."))] = 2,
    capacity_for: Annotated[
        list[str] | None, typer.Option(help=N_("A helper's own capacity: HELPER=NUMBER (repeat)."), show_default=False)
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Suggest partners for the gaps: a min-cost flow that closes as many gaps as the helpers'
    capacities allow, preferring aligned partners (below the partner of the target's
    township) and even load. Says how many gaps stay open and why.

    Example: `pairnet recommend --county 520627 --poverty deeply_poor --as-of 2017-12-31`.
    """
    # Suggested helpers come from anywhere (partners of partners, the last-resort pool): the
    # whole network.
    G, _resolve = _network(store)
    asked = question(
        G,
        kind=[kind],
        poverty=poverty,
        county=county,
        township=township,
        within=within,
        stage=stage,
        level=level,
        as_of=_day(as_of),
    )
    answer = analyses.recommend(
        G,
        asked,
        pairing_level=pairing_level,
        helper_kinds=helper_kind,
        helpers_within=unit_id(G, "helpers_within", helpers_within),
        capacity=capacity,
        capacities={unit_id(G, "capacity_for", ref): n for ref, n in capacities(capacity_for).items()},
    )
    result = answer.result
    if resolve_format(fmt, output) is Format.TABLE:
        out.print(escape(f"{_when(asked.as_of)}: {result['statement']}"))
        _table(
            result["suggestions"],
            ["target", "township", "helper", "helper_township", "aligned", "helper_load", "capacity_left"],
            _("{n} suggested {level} pairings").format(
                n=result["closed"], level=label(Level(result["level"])) if result["level"] else ""
            ),
        )
        if result["unassigned"]:
            _table(
                result["unassigned"],
                ["target", "township", "reason"],
                _("{n} gaps that stay open").format(n=result["open"]),
            )
        return
    _show(answer, fmt=fmt, output=output, title="", notes=(result["statement"],))


@app.command("whatif", rich_help_panel=PANEL)
def whatif_command(
    withdraw: Annotated[
        list[str],
        typer.Option(
            "--withdraw",
            "-w",
            help=N_("A withdrawing helper: id, division code, name or name path (县/镇/村) (repeat)."),
        ),
    ],
    with_units_under: Annotated[
        bool, typer.Option(help=N_("The units below each withdrawing helper withdraw too."))
    ] = False,
    kind: KindOption = None,
    side: SideOption = Side.HELPED,
    poverty: PovertyOption = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    stage: StageOption = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Which targets lose every partner if these helpers withdraw, and coverage before and after."""
    G, resolve = _network(store, *_places(county, township, within, also=withdraw))
    asked = question(
        G,
        kind=kind,
        side=side,
        poverty=poverty,
        county=county,
        township=township,
        within=within,
        stage=stage,
        level=level,
        as_of=_day(as_of),
        resolve=resolve,
    )
    answer = analyses.whatif(
        G, asked, withdraw=unit_ids(G, "withdraw", withdraw, resolve) or [], with_units_under=with_units_under
    )
    result = answer.result
    note = _("{when}: {ended} pairings end; before {before}, after {after}").format(
        when=_when(asked.as_of),
        ended=result["pairings_ended"],
        before=_share(result["before"]),
        after=_share(result["after"]),
    )
    _show(
        answer,
        fmt=fmt,
        output=output,
        title=_("{n} targets lose every partner").format(n=len(answer.rows)),
        notes=(note,),
        columns=["name", "code", "township", "lost"],
    )


@app.command("flows", rich_help_panel=PANEL)
def flows_command(
    by: Annotated[
        list[RollupKey] | None, typer.Option(help=N_("Group by (repeat). Default: kind."), show_default=False)
    ] = None,
    kind: Annotated[
        list[FlowKind] | None,
        typer.Option(
            "--kind",
            "-k",
            parser=choice_option(FlowKind),
            metavar=metavar(FlowKind),
            help=N_("Only flows of this kind (repeat)."),
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option(min=FIRST_YEAR, max=LAST_YEAR, help=N_("Only flows of this year (repeat)."), show_default=False),
    ] = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Funds, projects, people and donations summed per kind, level, year, township, pairing...
    Each row also counts the distinct projects, townships and villages reached."""
    G, resolve = _network(store, *_places(county, township, within))
    answer = analyses.flows(
        G,
        by=by,
        kinds=kind,
        years=year,
        within=scope(G, county=county, township=township, within=within, resolve=resolve),
    )
    _show(
        answer,
        fmt=fmt,
        output=output,
        title=_("Flows per {keys}").format(keys=", ".join(header(k.value) for k in by or []) or header("kind")),
    )


@app.command("timeline", rich_help_panel=PANEL)
def timeline_command(
    date: Annotated[
        list[dt.datetime] | None,
        typer.Option(parser=as_of_option, metavar="YYYY-MM-DD", help=N_("A date (repeat)."), show_default=False),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option(min=FIRST_YEAR, max=LAST_YEAR, help=N_("A year: its last day (repeat)."), show_default=False),
    ] = None,
    kind: KindOption = None,
    side: SideOption = Side.HELPED,
    poverty: PovertyOption = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    stage: StageOption = None,
    level: LevelOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Coverage of a target set at several dates, e.g. `--year 2017 --year 2018` (year ends)."""
    G, resolve = _network(store, *_places(county, township, within))
    asked = question(
        G,
        kind=kind,
        side=side,
        poverty=poverty,
        county=county,
        township=township,
        within=within,
        stage=stage,
        level=level,
        resolve=resolve,
    )
    answer = analyses.timeline(G, asked, dates=[d.date() for d in date or []], years=year or [])
    _show(answer, fmt=fmt, output=output, title=_("Coverage over time"))
