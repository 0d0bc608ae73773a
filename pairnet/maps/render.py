"""One self-contained HTML page per map: vis-network and the controls inlined, no CDN.

Pyvis's own template loads Bootstrap from a CDN and writes its heading and menu options
unescaped, so pages come from pairnet's template instead: Jinja2 autoescapes every text,
the node data travels as JSON inside a ``<script type="application/json">`` block (with
``<``, ``>`` and ``&`` escaped so that no name can close it), the controls put names in the
page with ``textContent`` only, and a Content-Security-Policy lets no request leave the
page and no script run but the page's own two.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from pairnet.graph.gaps import GAP_STATUSES
from pairnet.graph.model import Side
from pairnet.i18n import N_, _, current_language, gettext, ngettext
from pairnet.i18n.catalog import translations
from pairnet.i18n.labels import label

from . import panel, style
from .gaps import gap_view
from .national import national_view
from .parts import NO_PROGRAM, MapView
from .views import five_in_one, unit_view

__all__ = [
    "NO_NAVIGATION",
    "VIEWS",
    "Navigation",
    "environment",
    "html_lang",
    "iframe",
    "map_html",
    "script_json",
    "script_texts",
    "to_html",
]

VIEWS: dict[str, Callable[..., MapView]] = {
    "five-in-one": five_in_one,
    "unit": unit_view,
    "gaps": gap_view,
    "national": national_view,
}

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the map pages (autoescaping on, for every template)."""
    # The workbench's templates too: served pages show its navigation bar (_navigation.html).
    workbench = resources.files("pairnet").joinpath("workbench", "templates")
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.PackageLoader("pairnet.maps", "templates"), jinja2.FileSystemLoader(str(workbench))]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    # Texts are read from the catalog when a page is rendered, in the language of that moment
    # (a request's, or the CLI's --lang for `pairnet viz`), and the page says which it is.
    env.globals["_"] = gettext
    env.globals["ngettext"] = ngettext
    env.globals["html_lang"] = html_lang
    env.globals["pgettext"] = pgettext
    return env


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language as it reads in ``context`` (the navigation's words)."""
    return translations(current_language()).pgettext(context, message)


@dataclass(frozen=True)
class Navigation:
    """The workbench's navigation bar on a served page: ``page`` keeps the place, day and
    language in every link (a :class:`pairnet.workbench.templating.PageContext`), and
    ``languages`` are ``(code, name, address of this page in it)``."""

    page: Any
    languages: list[tuple[str, str, str]]

    def values(self) -> dict[str, Any]:
        """What the templates' ``_bar.html`` reads."""
        return {
            "page": self.page,
            "path": "/maps/",
            "languages": self.languages,
            "current_language": current_language(),
        }


# A page without the bar (a file written by `pairnet viz`): the templates test ``page``.
NO_NAVIGATION: dict[str, Any] = {"page": None, "path": "", "languages": [], "current_language": ""}


def html_lang() -> str:
    """The ``lang`` of a page in the current language (``zh-CN`` or ``en``)."""
    return "zh-CN" if current_language() == "zh" else "en"


def script_texts() -> dict[str, str]:
    """The texts the pages' scripts show (search answers, tooltips), in the current language."""
    return {
        "oneMatch": _("{n} match"),
        "manyMatches": _("{n} matches"),
        "onThisMap": _("(on this map)"),
        "paired": _("paired"),
        "coverage": _("coverage"),
        "noData": _(NO_TARGETS),
        "openGaps": _("click for the gap view"),
        "unmatched": _("not in the register"),
    }


@functools.cache
def _script(name: str) -> Markup:
    text = resources.files("pairnet.maps").joinpath("static", name).read_text(encoding="utf-8")
    # A browser with developer tools open would fetch the source map: drop the pointer.
    text = _SOURCE_MAP.sub("", text)
    if "</script" in text.lower():
        raise ValueError(
            _("{path} contains '</script' and cannot be inlined").format(path=f"pairnet/maps/static/{name}")
        )
    return Markup(text)


def script_json(value) -> Markup:
    """``value`` as JSON that is safe inside a ``<script>`` element.

    >>> str(script_json({"name": "</script><img src=x onerror=alert(1)>"}))
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# The in-page filters: (field of a node or edge, caption, [(value, label)]).
_STATUS_LABELS = [("paired", N_("paired")), ("gap", N_("gap")), ("other", N_("not a target"))]
_PROGRAM_CAPTION = N_("Program")
_FOCUS_BUTTON = N_("Townships")
_WHOLE_BUTTON = N_("Whole map")
_GAPS_OF = N_("Poor villages of {place} without a partner")
_SELECTION = N_("Places whose poor villages are not all paired")
# The server's lists count one program or all: other choices are not offered as a file.
_DOWNLOAD_NOTE = N_("to download, tick one program or all of them")
# The national view's list counts every program (per program, a place's targets would change).
_LIST_NOTE = N_("the file counts every program: tick them all to download")
NO_TARGETS = N_("no targets in the store")


def _statuses(nodes: list[dict]) -> set[str]:
    """The statuses the page's units can have: theirs, and gap for a paired target that the
    program filter can make one."""
    found = {str(n.get("status", "")) for n in nodes}
    return found | ({"gap"} if any("coveredBy" in n for n in nodes) else set())


def _programs(nodes: list[dict], edges: list[dict]) -> list[str]:
    """The programs of the pairings drawn and of those that cover the units, by name."""
    drawn = {str(e.get("program", "")) for e in edges if "level" in e}
    # The national view's edges count pairings per program, its places cover per set of them.
    drawn.update(*(e.get("programs", {}) for e in edges))
    drawn.update(*(key.split("|")[:-1] for n in nodes for key in n.get("statusWith", {})))
    return sorted(drawn.union(*(n.get("coveredBy", ()) for n in nodes)))


def _filters(view: MapView) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The filters that have a choice to make on this page (two values or more)."""
    nodes, edges = view.network.nodes, view.network.edges
    bands = {n.get("band") for n in nodes}
    levels = {e.get("level") for e in edges}
    filters = [
        ("band", _("level (units)"), [(band, caption) for band, caption in style.BANDS if band in bands]),
        ("side", _("side"), [(str(s), label(s)) for s in Side if str(s) in {n.get("side") for n in nodes}]),
        ("status", _("status"), [(v, _(text)) for v, text in _STATUS_LABELS if v in _statuses(nodes)]),
        (
            "level",
            _("pairing level"),
            [(str(lv), label) for lv, label in style.LEVEL_LABELS.items() if str(lv) in levels],
        ),
        # Programs are named as recorded (携手奔小康, 万企帮万村...), in the order of their names.
        (
            "program",
            _(_PROGRAM_CAPTION),
            [(p, p or _(NO_PROGRAM)) for p in _programs(nodes, edges)],
        ),
    ]
    return [f for f in filters if len(f[2]) > 1]


def to_html(view: MapView, navigation: Navigation | None = None) -> str:
    """The HTML page of ``view``: one file, no external resources; with the workbench's
    navigation bar when the page is served (``navigation``)."""
    data = {
        "nodes": view.network.nodes,
        "edges": view.network.edges,
        "options": view.network.options,
        "boxes": view.boxes,
        "gaps": view.gaps,
        "programGaps": view.program_gaps,
        # What each figure above the map reads with only some programs ticked.
        "figures": [f.get("switch", {}) for f in view.figures],
        "list": bool(view.list_download),
        "gapDownload": {"": view.list_download}
        if view.list_download
        else {status: panel.download_href(view.gap_query, status=status) for status in GAP_STATUSES}
        | {"": panel.download_href(view.gap_query)}
        if view.gap_query
        else {},
        "asOf": view.as_of.isoformat() if view.as_of else "",
        "today": dt.date.today().isoformat(),
        "focus": view.focus,
        "texts": script_texts(),
    }
    return (
        environment()
        .get_template("map.html")
        .render(
            view=view,
            nonce=secrets.token_urlsafe(18),
            data_json=script_json(data),
            vis_js=_script("vis-network.min.js"),
            app_js=_script("maps.js"),
            filters=_filters(view),
            statuses=[(status, panel.status_label(status)) for status in GAP_STATUSES],
            place=view.place,
            texts={
                "focus": _(_FOCUS_BUTTON),
                "whole": _(_WHOLE_BUTTON),
                "gaps_of": _(_GAPS_OF).format(place=view.gap_place) if view.gap_place else "",
                "selection": _(_SELECTION),
                "download_note": _(_LIST_NOTE if view.list_download else _DOWNLOAD_NOTE),
            },
            **(navigation.values() if navigation else NO_NAVIGATION),
        )
    )


def map_html(G: nx.MultiDiGraph, view: str = "five-in-one", *, as_of: dt.date | None = None, **settings) -> str:
    """The HTML page of a map of ``G``, for notebooks and scripts.

    ``view`` is one of :data:`VIEWS`; ``settings`` are that view's own (``helper`` and
    ``helped`` ids for ``five-in-one``, ``unit_id`` and ``depth`` for ``unit``, ``within``
    for ``gaps``, ``max_nodes`` for ``national``). In Jupyter, show it with
    ``IPython.display.HTML(iframe(page))``.
    """
    try:
        build = VIEWS[view]
    except KeyError:
        raise ValueError(
            _("unknown view {view}; expected one of {views}").format(view=repr(view), views=", ".join(VIEWS))
        ) from None
    return to_html(build(G, as_of=as_of, **settings))


def iframe(page: str, *, height: int = 640) -> str:
    """An ``<iframe>`` holding ``page``, to show a map inside a notebook cell."""
    return environment().get_template("iframe.html").render(page=page, height=int(height))
