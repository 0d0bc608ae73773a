"""Matplotlib set-up for charts with Chinese labels (notebooks, scripts).

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a label such as 中界镇
draws as empty boxes, with a warning per glyph. :func:`use_cjk_font` puts the first
installed CJK font of :data:`CJK_FONTS` in front of matplotlib's sans-serif list; on a
machine with none of them it changes nothing, so charts still draw (with boxes for
Chinese text) instead of failing. On Debian and Ubuntu, ``apt install fonts-noto-cjk``
provides Noto Sans CJK SC.

>>> from pairnet.charts import use_cjk_font
>>> use_cjk_font(candidates=("No Such Font",)) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CJK_FONTS", "use_cjk_font"]

# Simplified Chinese first: the same characters take their mainland forms in these faces.
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
    "Noto Sans CJK JP",
)


def use_cjk_font(*, candidates: Iterable[str] = CJK_FONTS) -> str | None:
    """Make matplotlib draw Chinese text with the first installed font of ``candidates``.

    Also draws the minus sign as a hyphen, which every CJK font has (many lack U+2212).

    Parameters
    ----------
    candidates : font family names, the preferred first.

    Returns
    -------
    The family name now in use, or None when none of ``candidates`` is installed (the
    settings are then left as they were).

    Examples
    --------
    >>> import matplotlib
    >>> family = use_cjk_font()
    >>> family is None or matplotlib.rcParams["font.sans-serif"][0] == family
    True
    """
    from matplotlib import font_manager, rcParams

    wanted = tuple(candidates)
    family = _first_installed(font_manager.fontManager, wanted)
    if family is None:
        # Matplotlib's font list is cached per user: a font installed after the cache was
        # written is not in it. Add the system's fonts it has not seen, then look again.
        known = {font.fname for font in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a file matplotlib cannot read
                    continue
        family = _first_installed(font_manager.fontManager, wanted)
    if family is None:
        return None
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [family, *(name for name in rcParams["font.sans-serif"] if name != family)]
    rcParams["axes.unicode_minus"] = False
    return family


def _first_installed(manager: object, candidates: tuple[str, ...]) -> str | None:
    installed = {font.name for font in manager.ttflist}  # type: ignore[attr-defined]
    return next((name for name in candidates if name in installed), None)
