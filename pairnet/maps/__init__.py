"""Interactive network maps (vis-network pages built with Pyvis) of a pairing network.

>>> from pairnet.maps import map_html  # doctest: +SKIP
>>> page = map_html(G, "five-in-one", helper="320582", helped="520627")  # doctest: +SKIP
"""

from .gaps import gap_view
from .national import national_view
from .parts import MAX_NODES, MapView
from .render import VIEWS, iframe, map_html, to_html
from .views import five_in_one, unit_view

__all__ = [
    "MAX_NODES",
    "MapView",
    "VIEWS",
    "five_in_one",
    "gap_view",
    "iframe",
    "map_html",
    "national_view",
    "to_html",
    "unit_view",
]
