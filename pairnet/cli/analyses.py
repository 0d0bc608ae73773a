"""The analysis commands: ``coverage``, ``gaps``, ``alignment``, ``balance``, ``recommend``,
``whatif``, ``flows`` and ``timeline``, each a thin layer over the function of ``graph/``
with the same name. JSON output is that function's result as is (what the API returns);
table, CSV and XLSX output are its rows."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pairnet.graph.alignment import alignment
from pairnet.graph.balance import balance
from pairnet.graph.coverage import coverage, coverage_timeline, school_coverage, two_way_coverage
from pairnet.graph.gaps import GAP_STATUSES, SORT_KEYS, gaps
from pairnet.graph.model import FIRST_YEAR, LAST_YEAR, FlowKind, Kind, Level, Poverty, Side
from pairnet.graph.network import build_network
from pairnet.graph.recommend import recommend
from pairnet.graph.rollups import ROLLUP_KEYS, rollup
from pairnet.graph.targets import resolve_unit
from pairnet.graph.whatif import whatif

from . import app
from .common import Format, FormatOption, OutputOption, StoreOption, connect, emit, emit_json, err, out, resolve_format

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
GapStatus = StrEnum("GapStatus", [(s.replace(" ", "_").upper(), s.replace(" ", "_")) for s in GAP_STATUSES])
GapSort = StrEnum("GapSort", [(s.upper(), s) for s in SORT_KEYS])
RollupKey = StrEnum("RollupKey", [(k.upper(), k) for k in ROLLUP_KEYS])
CoverageBy = StrEnum("CoverageBy", [("LEVEL", "level"), ("PARENT", "parent"), *((k.name, k.value) for k in Kind)])

Ref = "id, division code, name or name path (县/镇/村)"
KindOption = Annotated[
    list[Kind] | None,
    typer.Option("--kind", "-k", help="Target kind (repeat for several). Default: village.", show_default=False),
]
SideOption = Annotated[Side, typer.Option("--side", help="Target side.")]
PovertyOption = Annotated[
    list[Poverty] | None,
    typer.Option("--poverty", "-p", help="Only villages of this poverty status (repeat).", show_default=False),
]
CountyOption = Annotated[
    str | None, typer.Option("--county", help=f"Only units of this county: {Ref}.", show_default=False)
]
TownshipOption = Annotated[
    str | None, typer.Option("--township", help=f"Only units of this township: {Ref}.", show_default=False)
]
WithinOption = Annotated[
    str | None, typer.Option("--within", help=f"Only units below this unit: {Ref}.", show_default=False)
]
StageOption = Annotated[str | None, typer.Option("--stage", help="Only schools of this stage.", show_default=False)]
LevelOption = Annotated[
    list[Level] | None,
    typer.Option("--level", "-l", help="Pairing levels that count (repeat). Default: all.", show_default=False),
]
AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        show_default=False,
        help="Count the units valid and the pairings active on this day. Default: today.",
    ),
]


def _network(store: str | None):
    with connect(store) as opened:
        return build_network(opened.snapshot())


def _day(as_of: dt.datetime | None) -> dt.date:
    return as_of.date() if as_of is not None else dt.date.today()


def _within(G, county: str | None, township: str | None, within: str | None) -> str | None:
    given = [(name, ref) for name, ref in (("--county", county), ("--township", township), ("--within", within)) if ref]
    if len(given) > 1:
        raise typer.BadParameter(f"give one of --county, --township, --within, not {' and '.join(n for n, _ in given)}")
    return resolve_unit(G, given[0][1]) if given else None


def _targets(G, kind, side, poverty, county, township, within, stage) -> dict:
    return {
        "kind": kind or [Kind.VILLAGE],
        "side": side,
        "poverty": poverty,
        "within": _within(G, county, township, within),
        "stage": stage,
    }


def _show(
    result,
    rows: list[dict],
    *,
    fmt: Format | None,
    output: Path | None,
    title: str,
    sheet: str,
    notes: tuple[str, ...] = (),
    columns: list[str] | None = None,
) -> None:
    """JSON: the whole result; otherwise the rows, with ``notes`` above the table (on stderr
    when the rows go to a file or a pipe)."""
    fmt = resolve_format(fmt, output)
    if fmt is Format.JSON:
        emit_json(result, output=output)
        return
    console = out if fmt is Format.TABLE else err
    for note in notes:
        console.print(escape(note))
    if fmt is Format.TABLE:
        emit(_percent(rows), columns=columns, title=title)
        return
    emit(rows, fmt=fmt, output=output, sheet=sheet)


def _percent(rows: list[dict]) -> list[dict]:
    """Shares and ratios as percentages, for people (files keep the fractions)."""

    def show(key, value):
        return f"{value:.1%}" if key in ("share", "ratio") and isinstance(value, float) else value

    return [{key: show(key, value) for key, value in row.items()} for row in rows]


def _when(as_of: dt.date) -> str:
    return f"as of {as_of.isoformat()}"


def _share(counts: dict) -> str:
    share = "—" if counts["share"] is None else f"{counts['share']:.1%}"
    return f"{counts['covered']} of {counts['targets']} covered ({share})"


@app.command("coverage", rich_help_panel=PANEL)
def coverage_command(
    kind: KindOption = None,
    side: SideOption = Side.HELPED,
    poverty: PovertyOption = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    stage: StageOption = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    by: Annotated[
        CoverageBy | None,
        typer.Option(
            help="Break down by level, parent, the targets' kind, or their ancestor of a kind (township, county...).",
            show_default=False,
        ),
    ] = None,
    two_way: Annotated[
        bool,
        typer.Option(
            "--two-way",
            help="Two-way coverage of --level (default township): helper side below --helper-within, helped side below --county/--within.",
        ),
    ] = False,
    helper_within: Annotated[
        str | None, typer.Option(help=f"With --two-way: the helper side's root ({Ref}).", show_default=False)
    ] = None,
    helper: Annotated[
        list[str] | None,
        typer.Option(help="With --two-way: the helper side's units, named outright (repeat).", show_default=False),
    ] = None,
    schools: Annotated[
        bool, typer.Option("--schools", help="The three full coverages of school pairings: townships, schools, stages.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """The share of a target set with at least one active pairing, overall and per group.

    Examples: `pairnet coverage --county 520627 --poverty deeply_poor --by township --as-of 2018-12-31`;
    `pairnet coverage --two-way --helper-within 320582 --county 520627`; `pairnet coverage --schools --county 520627`.
    """
    G = _network(store)
    day = _day(as_of)
    if two_way:
        roots = _within(G, county, township, within)
        helpers = [resolve_unit(G, ref) for ref in helper] if helper else None
        result = two_way_coverage(
            G,
            level=(level or [Level.TOWNSHIP])[0],
            helper_within=resolve_unit(G, helper_within) if helper_within else None,
            helped_within=roots,
            helper_units=helpers,
            as_of=day,
        )
        rows = [{"side": side_name, **result[side_name]} for side_name in ("helper", "helped")]
        verdict = "two-way full coverage" if result["full"] else "not two-way full"
        _show(
            result,
            rows,
            fmt=fmt,
            output=output,
            title=f"Two-way coverage, {result['level']} level, {_when(day)}: {verdict}",
            sheet="two-way",
        )
        return
    if schools:
        result = school_coverage(
            G, within=_within(G, county, township, within), as_of=day, levels=level or [Level.SCHOOL]
        )
        rows = [{"coverage": key, **result[key]} for key in ("townships", "schools", "stages")]
        rows += [
            {"coverage": f"stage {row['stage']}", **{k: v for k, v in row.items() if k != "stage"}}
            for row in result["by_stage"]
        ]
        verdict = "all three full" if result["full"] else "not all full"
        _show(result, rows, fmt=fmt, output=output, title=f"School coverage {_when(day)}: {verdict}", sheet="schools")
        return
    targets = _targets(G, kind, side, poverty, county, township, within, stage)
    result = coverage(G, **targets, levels=level, as_of=day, by=by.value if by else None)
    total = {"group": "total", **{k: result[k] for k in ("targets", "covered", "uncovered", "share")}}
    rows = [*result["groups"], total] if result["groups"] else [total]
    _show(
        result,
        rows,
        fmt=fmt,
        output=output,
        title=f"Coverage {_when(day)}: {_share(result)}",
        sheet="coverage",
        columns=["group", "code", "targets", "covered", "uncovered", "share"],
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
    level: LevelOption = None,
    as_of: AsOfOption = None,
    status: Annotated[
        list[GapStatus] | None, typer.Option(help="Only gaps with this status (repeat).", show_default=False)
    ] = None,
    sort: Annotated[GapSort, typer.Option(help="Sort by.")] = GapSort.PARENTS,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """The units of a target set with no active pairing, with code, parents and why
    (never paired, ended, not yet started, partner not valid).

    Example: `pairnet gaps --county 520627 --kind township --level township`.
    """
    G = _network(store)
    day = _day(as_of)
    rows = gaps(
        G,
        **_targets(G, kind, side, poverty, county, township, within, stage),
        levels=level,
        as_of=day,
        status=[s.value.replace("_", " ") for s in status] if status else None,
        sort=sort.value,
    )
    _show(
        rows,
        rows,
        fmt=fmt,
        output=output,
        title=f"{len(rows)} gaps {_when(day)}",
        sheet="gaps",
        columns=["name", "code", "township", "poverty", "status", "last_end", "next_start"],
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
    G = _network(store)
    day = _day(as_of)
    result = alignment(G, levels=level, as_of=day, within=_within(G, county, township, within))
    ratio = "—" if result["ratio"] is None else f"{result['ratio']:.1%}"
    title = f"Alignment {_when(day)}: {result['aligned']} aligned, {result['misaligned']} not ({ratio})"
    if resolve_format(fmt, output) is Format.TABLE:
        emit(_percent(result["levels"]), title=title)
    _show(
        result,
        result["rows"],
        fmt=fmt,
        output=output,
        title="Pairings whose parents are not paired",
        sheet="alignment",
        columns=["level", "helper", "helper_parent", "helped", "helped_parent", "status"],
    )


@app.command("balance", rich_help_panel=PANEL)
def balance_command(
    within: Annotated[
        str | None, typer.Option("--within", help=f"Only helpers below this unit: {Ref}.", show_default=False)
    ] = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    top: Annotated[int | None, typer.Option(min=1, help="Show only the most loaded rows.", show_default=False)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Active pairings per helper and level, the most loaded first, with the Gini
    coefficient of the loads per level (0 = even)."""
    G = _network(store)
    day = _day(as_of)
    result = balance(G, levels=level, as_of=day, within=resolve_unit(G, within) if within else None, top=top)
    if resolve_format(fmt, output) is Format.TABLE:
        emit(result["levels"], title=f"Load per level {_when(day)}")
    _show(
        result,
        result["rows"],
        fmt=fmt,
        output=output,
        title="Helpers, most loaded first",
        sheet="balance",
        columns=["helper", "kind", "parents", "level", "pairings", "helped"],
    )


def _capacities(G, values: list[str] | None) -> dict[str, int]:
    parsed = {}
    for value in values or []:
        ref, _, number = value.rpartition("=")
        if not ref or not number.isdigit():
            raise typer.BadParameter(f"{value!r} is not HELPER=NUMBER (e.g. 320582100=3)", param_hint="--capacity-for")
        parsed[resolve_unit(G, ref)] = int(number)
    return parsed


@app.command("recommend", rich_help_panel=PANEL)
def recommend_command(
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="Target kind.")] = Kind.VILLAGE,
    poverty: PovertyOption = None,
    county: CountyOption = None,
    township: TownshipOption = None,
    within: WithinOption = None,
    stage: StageOption = None,
    level: LevelOption = None,
    as_of: AsOfOption = None,
    pairing_level: Annotated[
        Level | None, typer.Option(help="Level of the suggested pairings. Default: from --kind.", show_default=False)
    ] = None,
    helper_kind: Annotated[
        list[Kind] | None,
        typer.Option(help="Kinds a suggested helper may have (repeat). Default: --kind.", show_default=False),
    ] = None,
    helpers_within: Annotated[
        str | None,
        typer.Option(help=f"Last-resort pool of helpers: those below this unit ({Ref}).", show_default=False),
    ] = None,
    capacity: Annotated[int, typer.Option(min=0, help="Pairings a helper may carry at the level.")] = 2,
    capacity_for: Annotated[
        list[str] | None, typer.Option(help="A helper's own capacity: HELPER=NUMBER (repeat).", show_default=False)
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
    G = _network(store)
    day = _day(as_of)
    settings = {
        "within": _within(G, county, township, within),
        "capacities": _capacities(G, capacity_for),
        "helpers_within": resolve_unit(G, helpers_within) if helpers_within else None,
    }
    try:
        result = recommend(
            G,
            kind=kind,
            poverty=poverty,
            stage=stage,
            levels=level,
            level=pairing_level,
            helper_kinds=helper_kind,
            capacity=capacity,
            as_of=day,
            **settings,
        )
    except ValueError as error:  # the target kind gives no pairing level
        raise typer.BadParameter(str(error), param_hint="--pairing-level") from None
        raise typer.BadParameter(str(error), param_hint="--pairing-level") from None
    rows = [*result["suggestions"], *result["unassigned"]]
    if resolve_format(fmt, output) is Format.TABLE:
        out.print(escape(f"{_when(day)}: {result['statement']}"))
        emit(
            result["suggestions"],
            columns=["target", "township", "helper", "helper_township", "aligned", "helper_load", "capacity_left"],
            title=f"{result['closed']} suggested {result['level']} pairings",
        )
        if result["unassigned"]:
            emit(
                result["unassigned"],
                columns=["target", "township", "reason"],
                title=f"{result['open']} gaps that stay open",
            )
        return
    _show(result, rows, fmt=fmt, output=output, title="", sheet="recommendations", notes=(result["statement"],))


@app.command("whatif", rich_help_panel=PANEL)
def whatif_command(
    withdraw: Annotated[list[str], typer.Option("--withdraw", "-w", help=f"A withdrawing helper: {Ref} (repeat).")],
    with_units_under: Annotated[
        bool, typer.Option(help="The units below each withdrawing helper withdraw too.")
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
    G = _network(store)
    day = _day(as_of)
    result = whatif(
        G,
        withdraw=[resolve_unit(G, ref) for ref in withdraw],
        with_units_under=with_units_under,
        **_targets(G, kind, side, poverty, county, township, within, stage),
        levels=level,
        as_of=day,
    )
    note = (
        f"{_when(day)}: {result['pairings_ended']} pairings end; before {_share(result['before'])}, "
        f"after {_share(result['after'])}"
    )
    _show(
        result,
        result["rows"],
        fmt=fmt,
        output=output,
        title=f"{len(result['rows'])} targets lose every partner",
        sheet="whatif",
        notes=(note,),
        columns=["name", "code", "township", "lost"],
    )


@app.command("flows", rich_help_panel=PANEL)
def flows_command(
    by: Annotated[
        list[RollupKey] | None, typer.Option(help="Group by (repeat). Default: kind.", show_default=False)
    ] = None,
    kind: Annotated[
        list[FlowKind] | None,
        typer.Option("--kind", "-k", help="Only flows of this kind (repeat).", show_default=False),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option(min=FIRST_YEAR, max=LAST_YEAR, help="Only flows of this year (repeat).", show_default=False),
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
    G = _network(store)
    keys = [k.value for k in by] if by else ["kind"]
    rows = rollup(G, by=keys, kinds=kind, years=year, within=_within(G, county, township, within))
    _show(rows, rows, fmt=fmt, output=output, title=f"Flows per {', '.join(keys)}", sheet="flows")


@app.command("timeline", rich_help_panel=PANEL)
def timeline_command(
    date: Annotated[
        list[dt.datetime] | None,
        typer.Option(formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="A date (repeat).", show_default=False),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option(min=FIRST_YEAR, max=LAST_YEAR, help="A year: its last day (repeat).", show_default=False),
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
    days = sorted({*(d.date() for d in date or []), *(dt.date(y, 12, 31) for y in year or [])})
    if not days:
        raise typer.BadParameter("give at least one --date or --year")
    G = _network(store)
    rows = coverage_timeline(G, days, **_targets(G, kind, side, poverty, county, township, within, stage), levels=level)
    _show(rows, rows, fmt=fmt, output=output, title="Coverage over time", sheet="timeline")
