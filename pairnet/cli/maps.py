"""``pairnet viz``: write a map as one self-contained HTML file (to e-mail, to open offline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pairnet.graph.network import build_network
from pairnet.graph.targets import resolve_unit
from pairnet.i18n import N_, _
from pairnet.maps import MAX_NODES, five_in_one, gap_view, national_view, to_html, unit_view
from pairnet.maps.geo import geo_html, geo_view
from pairnet.maps.style import BANDS

from . import app
from .common import AsOfOption, StoreOption, connect, err

__all__ = ["viz"]

viz = typer.Typer(
    help=N_("Write an interactive network map as one HTML file that works offline."), no_args_is_help=True
)
app.add_typer(viz, name="viz", rich_help_panel="Maps")

MapOutputOption = Annotated[
    Path, typer.Option("--output", "-o", dir_okay=False, writable=True, help=N_("The HTML file to write."))
]


def _write(store: str | None, output: Path, build) -> None:
    """Read the store, build the view with ``build(G)``, write the page (errors are
    translated by the command group)."""
    with connect(store) as opened:
        G = build_network(opened.snapshot())
    view = build(G)
    output.write_text(to_html(view), encoding="utf-8")
    figures = "; ".join(f"{f['label']}: {f['value']}" for f in view.figures)
    net = view.network
    err.print(
        _("Wrote {path} ({units} units, {edges} edges) — {figures}").format(
            path=escape(str(output)), units=net.num_nodes(), edges=net.num_edges(), figures=escape(figures)
        ),
        soft_wrap=True,
    )


def _day(value: dt.datetime | None) -> dt.date:
    """The as-of date of a map: today unless given, as the analysis commands do."""
    return value.date() if value else dt.date.today()


@viz.command("five-in-one")
def five_in_one_command(
    helper: Annotated[str, typer.Option(help=N_("The helper unit: id, division code or name path (e.g. 320582)."))],
    helped: Annotated[str, typer.Option(help=N_("The helped unit (e.g. 520627)."))],
    output: MapOutputOption = Path("map.html"),
    as_of: AsOfOption = None,
    expand: Annotated[
        list[str] | None,
        typer.Option(
            help=N_("Also show helper units without pairings in the program: all, a band or a parent (repeat).")
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """The five-in-one view of a helper–helped pair: five levels as bands, both sides; the
    helper's units that do not pair in the program are counted, not drawn, unless expanded."""

    def build(G):
        opened = [e if e in {"all", *(b for b, _c in BANDS)} else resolve_unit(G, e) for e in expand or ()]
        return five_in_one(G, resolve_unit(G, helper), resolve_unit(G, helped), as_of=_day(as_of), expand=opened)

    _write(store, output, build)


@viz.command("unit")
def unit_command(
    ref: Annotated[str, typer.Argument(help=N_("The unit: id, division code or name path (县/镇/村)."))],
    depth: Annotated[int, typer.Option(min=1, max=5, help=N_("Pairing hops to follow."))] = 1,
    output: MapOutputOption = Path("map.html"),
    as_of: AsOfOption = None,
    store: StoreOption = None,
) -> None:
    """One unit, its parent chain and its partners at every level."""
    _write(store, output, lambda G: unit_view(G, resolve_unit(G, ref), depth=depth, as_of=_day(as_of)))


@viz.command("gaps")
def gaps_command(
    within: Annotated[str, typer.Option(help=N_("A county or township: id, division code or name path."))],
    output: MapOutputOption = Path("map.html"),
    as_of: AsOfOption = None,
    store: StoreOption = None,
) -> None:
    """Every target unit of a county or township, grouped by township; gaps in red."""
    _write(store, output, lambda G: gap_view(G, resolve_unit(G, within), as_of=_day(as_of)))


@viz.command("national")
def national_command(
    max_nodes: Annotated[
        int, typer.Option(min=10, max=MAX_NODES, help=N_("Aggregate one level higher above this many nodes."))
    ] = MAX_NODES,
    output: MapOutputOption = Path("map.html"),
    as_of: AsOfOption = None,
    store: StoreOption = None,
) -> None:
    """Counties (or prefectures) as nodes sized by villages, coloured by coverage."""
    _write(store, output, lambda G: national_view(G, as_of=_day(as_of), max_nodes=max_nodes))


@viz.command("geo")
def geo_command(
    within: Annotated[
        str | None,
        typer.Option(
            help=N_("A province, prefecture or county: code or name (e.g. 铜仁市, 5206); default: all of China.")
        ),
    ] = None,
    measure: Annotated[
        str, typer.Option(help=N_("What coverage counts: villages, deeply_poor or townships."))
    ] = "villages",
    output: MapOutputOption = Path("map.html"),
    as_of: AsOfOption = None,
    store: StoreOption = None,
) -> None:
    """County-level units on their real boundaries, coloured by coverage (offline SVG)."""
    with connect(store) as opened:
        G = build_network(opened.snapshot())
    view = geo_view(G, resolve_unit(G, within) if within else None, as_of=_day(as_of), measure=measure)
    output.write_text(geo_html(view), encoding="utf-8")
    figures = "; ".join(f"{f['label']}: {f['value']}" for f in view.figures)
    err.print(_("Wrote {path} — {figures}").format(path=escape(str(output)), figures=escape(figures)), soft_wrap=True)
    if view.unmatched:
        names = ", ".join(u["name"] for u in view.unmatched[:20])
        more = _(" and {n} more").format(n=len(view.unmatched) - 20) if len(view.unmatched) > 20 else ""
        err.print(_("Boundaries not in the register: {names}").format(names=escape(names)) + more, soft_wrap=True)
