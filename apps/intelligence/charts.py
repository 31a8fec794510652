"""Charts as PNG and SVG, drawn server-side with matplotlib (Agg, no display) and a CJK font for Chinese readers.

The font is found, in order: the GPC_CJK_FONT environment variable (a file path), fontconfig's own answer for
"Noto Sans CJK SC" (Debian's fonts-noto-cjk, installed by `make system-deps`), then any *CJK* file matplotlib sees.
Every chart reads only what the selectors already restricted, and never a single platform deal.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils import translation
from django.utils.translation import gettext as _g
from matplotlib import font_manager
from matplotlib.figure import Figure

from apps.catalog.models import TherapeuticArea

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
MILLION = Decimal(1_000_000)


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """The path of a font file with Chinese glyphs, or None when the machine has none."""
    override = os.environ.get("GPC_CJK_FONT")
    if override and Path(override).is_file():
        return override
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],  # noqa: S607
                                   capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found and "cjk" in Path(found).name.lower() and Path(found).is_file():
            return found
    candidates = sorted(path for path in font_manager.findSystemFonts() if "cjk" in Path(path).name.lower())
    preferred = [path for path in candidates if "sans" in Path(path).name.lower() and "bold" not in path.lower()]
    chosen = preferred or candidates
    return chosen[0] if chosen else None


@lru_cache(maxsize=1)
def _font_family() -> list[str]:
    path = cjk_font_path()
    if path is None:
        return ["DejaVu Sans"]
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    return [name, "DejaVu Sans"]


def _figure(width: float = 8.0, height: float = 4.5) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100)
    return figure


def _render(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    # SVG keeps text as paths, so the chart shows the same glyphs on a machine without the font.
    with matplotlib.rc_context({"font.family": _font_family(), "svg.fonttype": "path", "axes.unicode_minus": False}):
        figure.savefig(buffer, format=fmt, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def _with_fonts(draw: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with matplotlib.rc_context({"font.family": _font_family(), "axes.unicode_minus": False}):
            return draw(*args, **kwargs)
    return wrapper


def _area_label(code: str) -> str:
    try:
        return str(TherapeuticArea(code).label)
    except ValueError:
        return code


@_with_fonts
def deals_per_year(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """Public deals per year, stacked by therapeutic area. `rows`: {"year", "area", "count"}."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    years = sorted({row["year"] for row in rows})
    for row in rows:
        counts[row["area"]][row["year"]] += row["count"]
    figure = _figure()
    axes = figure.add_subplot()
    bottom = [0] * len(years)
    for area in sorted(counts):
        heights = [counts[area].get(year, 0) for year in years]
        axes.bar(range(len(years)), heights, bottom=bottom, label=_area_label(area))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_xticks(range(len(years)), [str(year) for year in years])
    axes.set_title(_g("Licensing deals per year, by therapeutic area"))
    axes.set_xlabel(_g("Year announced"))
    axes.set_ylabel(_g("Number of deals"))
    if counts:
        axes.legend(fontsize="small", loc="upper left")
    else:
        axes.text(0.5, 0.5, _g("No deals match."), ha="center", va="center", transform=axes.transAxes)
    return _render(figure, fmt)


@_with_fonts
def upfront_vs_total(points: list[tuple[Decimal, Decimal, str]], fmt: str) -> bytes:
    """Each public deal as a point: upfront against total deal value, in USD millions."""
    figure = _figure()
    axes = figure.add_subplot()
    by_area: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for upfront, total, area in points:
        by_area[area].append((float(total / MILLION), float(upfront / MILLION)))
    for area, values in sorted(by_area.items()):
        axes.scatter([v[0] for v in values], [v[1] for v in values], label=_area_label(area), alpha=0.8)
    axes.set_title(_g("Upfront against total deal value (public deals)"))
    axes.set_xlabel(_g("Total deal value (USD million)"))
    axes.set_ylabel(_g("Upfront (USD million)"))
    if by_area:
        axes.legend(fontsize="small")
    else:
        axes.text(0.5, 0.5, _g("No deals match."), ha="center", va="center", transform=axes.transAxes)
    return _render(figure, fmt)


@_with_fonts
def comparables_strip(comparables: dict[str, Any], fmt: str) -> bytes:
    """Two strips (upfront, total) of comparable public deals, with the proposed terms marked."""
    figure = _figure(8.0, 3.2)
    axes = figure.add_subplot()
    rows = [("upfront", _g("Upfront")), ("total_value", _g("Total deal value"))]
    for index, (key, _label) in enumerate(rows):
        values = [float(Decimal(row[f"{key}_usd"]) / MILLION) for row in comparables["comparables"]
                  if row.get(f"{key}_usd") is not None]
        axes.scatter(values, [index] * len(values), alpha=0.6, label=_g("Comparable deals") if index == 0 else None)
        position = comparables[key]
        if position.get("proposed_usd") is not None:
            axes.scatter([float(Decimal(position["proposed_usd"]) / MILLION)], [index], marker="D", s=120,
                         color="crimson", zorder=3, label=_g("Proposed terms") if index == 0 else None)
            if position.get("text"):
                axes.annotate(position["text"], (float(Decimal(position["proposed_usd"]) / MILLION), index),
                              textcoords="offset points", xytext=(0, 10), ha="center", fontsize="small")
    axes.set_yticks([0, 1], [label for _key, label in rows])
    axes.set_ylim(-0.6, 1.8)
    axes.set_xscale("symlog")
    axes.set_xlabel(_g("USD million"))
    axes.set_title(_g("Where the proposed terms fall among comparable deals"))
    axes.legend(fontsize="small", loc="lower right")
    return _render(figure, fmt)


def language() -> str:
    return translation.get_language() or "en"
