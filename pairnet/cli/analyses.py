"""The analysis commands of coverage: ``coverage``, ``gaps``, ``alignment`` and ``balance``,
each a thin layer over :mod:`pairnet.service`: parse the options, ask the service, show its
answer. JSON output is the answer's document (what the API returns); CSV and XLSX are its
rows (the API's files); the table is for people (:mod:`pairnet.cli.asking`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from pairnet.graph.model import Level, Side
from pairnet.i18n import N_, _
from pairnet.service import (
    CoverageBy,
    GapSort,
    GapStatus,
    analyses,
    question,
    scope,
    titles,
    unit_id,
    unit_ids,
)

from . import app
from .asking import (
    COUNTS,
    PANEL,
    CountyOption,
    KindOption,
    LevelOption,
    PovertyOption,
    ProgramOption,
    SideOption,
    StageOption,
    TownshipOption,
    WithinOption,
    as_of_text,
    day_of,
    network,
    question_places,
    show_answer,
    show_table,
)
from .common import (
    AsOfOption,
    Format,
    FormatOption,
    OutputOption,
    StoreOption,
    resolve_format,
)

__all__ = ["alignment_command", "balance_command", "coverage_command", "gaps_command"]


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
    places = question_places(county, township, within)
    if two_way:
        places = question_places(*places, also=(helper_within, *(helper or ()))) if helper_within or helper else ()
    elif by is CoverageBy.LEVEL and not schools:  # type: ignore[attr-defined]
        places = ()  # a group for every level active anywhere in the network: the whole one
    G, resolve = network(store, *places)
    day = day_of(as_of)
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
        show_answer(
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
        show_answer(
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
    show_answer(
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
    G, resolve = network(store, *question_places(county, township, within))
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
        as_of=day_of(as_of),
        resolve=resolve,
    )
    answer = analyses.gaps(G, asked, status=status, sort=sort)
    show_answer(
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
    G, resolve = network(store, *question_places(county, township, within))
    day = day_of(as_of)
    answer = analyses.alignment(
        G, within=scope(G, county=county, township=township, within=within, resolve=resolve), levels=level, as_of=day
    )
    result = answer.result
    ratio = "—" if result["ratio"] is None else f"{result['ratio']:.1%}"
    title = _("Alignment {when}: {aligned} aligned, {misaligned} not ({ratio})").format(
        when=as_of_text(day), aligned=result["aligned"], misaligned=result["misaligned"], ratio=ratio
    )
    if resolve_format(fmt, output) is Format.TABLE:
        show_table(list(result["levels"]), None, title)
    show_answer(
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
    G, resolve = network(store, within)
    day = day_of(as_of)
    answer = analyses.balance(
        G, within=unit_id(G, "within", within, resolve), levels=level, as_of=day, top=top, program=program
    )
    if resolve_format(fmt, output) is Format.TABLE:
        show_table(list(answer.result["levels"]), None, _("Load per level {when}").format(when=as_of_text(day)))
    show_answer(
        answer,
        fmt=fmt,
        output=output,
        title=_("Helpers, most loaded first"),
        columns=["helper", "kind", "parents", "level", "pairings", "helped"],
    )
