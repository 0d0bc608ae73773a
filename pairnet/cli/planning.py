"""The planning commands: ``recommend`` (partners for the gaps), ``whatif`` (a withdrawal),
``flows`` (what the pairings brought) and ``timeline`` (coverage over time), as thin as
:mod:`pairnet.cli.analyses`: options in, the service's answer out.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape

from pairnet.graph.model import FIRST_YEAR, HELPED_KINDS, LAST_YEAR, FlowKind, Kind, Level, Side
from pairnet.i18n import N_, _
from pairnet.i18n.choices import metavar
from pairnet.i18n.labels import label
from pairnet.service import (
    RollupKey,
    analyses,
    question,
    scope,
    unit_id,
    unit_ids,
)
from pairnet.service.analyses import capacities
from pairnet.service.wording import header

from . import app
from .asking import (
    PANEL,
    CountyOption,
    KindOption,
    LevelOption,
    PovertyOption,
    SideOption,
    StageOption,
    TownshipOption,
    WithinOption,
    as_of_text,
    day_of,
    network,
    question_places,
    share_text,
    show_answer,
    show_table,
)
from .common import (
    AsOfOption,
    Format,
    FormatOption,
    OutputOption,
    StoreOption,
    as_of_option,
    choice_option,
    out,
    resolve_format,
)

__all__ = ["flows_command", "recommend_command", "timeline_command", "whatif_command"]


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
    G, _resolve = network(store)
    asked = question(
        G,
        kind=[kind],
        poverty=poverty,
        county=county,
        township=township,
        within=within,
        stage=stage,
        level=level,
        as_of=day_of(as_of),
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
        out.print(escape(f"{as_of_text(asked.as_of)}: {result['statement']}"))
        show_table(
            result["suggestions"],
            ["target", "township", "helper", "helper_township", "aligned", "helper_load", "capacity_left"],
            _("{n} suggested {level} pairings").format(
                n=result["closed"], level=label(Level(result["level"])) if result["level"] else ""
            ),
        )
        if result["unassigned"]:
            show_table(
                result["unassigned"],
                ["target", "township", "reason"],
                _("{n} gaps that stay open").format(n=result["open"]),
            )
        return
    show_answer(answer, fmt=fmt, output=output, title="", notes=(result["statement"],))


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
    G, resolve = network(store, *question_places(county, township, within, also=withdraw))
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
        as_of=day_of(as_of),
        resolve=resolve,
    )
    answer = analyses.whatif(
        G, asked, withdraw=unit_ids(G, "withdraw", withdraw, resolve) or [], with_units_under=with_units_under
    )
    result = answer.result
    note = _("{when}: {ended} pairings end; before {before}, after {after}").format(
        when=as_of_text(asked.as_of),
        ended=result["pairings_ended"],
        before=share_text(result["before"]),
        after=share_text(result["after"]),
    )
    show_answer(
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
    G, resolve = network(store, *question_places(county, township, within))
    answer = analyses.flows(
        G,
        by=by,
        kinds=kind,
        years=year,
        within=scope(G, county=county, township=township, within=within, resolve=resolve),
    )
    show_answer(
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
        level=level,
        resolve=resolve,
    )
    answer = analyses.timeline(G, asked, dates=[d.date() for d in date or []], years=year or [])
    show_answer(answer, fmt=fmt, output=output, title=_("Coverage over time"))
