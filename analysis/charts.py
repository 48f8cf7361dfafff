"""Figures as PNG or SVG bytes: word clouds, diverging Likert bars, importance-performance.

matplotlib is used through its object API with the Agg canvas (no pyplot, no global state),
so figures can be made in worker threads of the web app. Inputs are already suppressed
tables; rows without numbers are left out of the figures.

The layout is computed here, in inches, from the measured width of the labels (font metrics,
no drawing) instead of by matplotlib's constrained layout, which draws a figure several times
to find its margins: a Workshop-Mappe has some twenty charts, and this halves their cost.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from PIL import Image
from wordcloud import WordCloud

Format = Literal["png", "svg"]
#: Colours from red (low) to blue (high), readable for common colour-vision deficiencies;
#: the neutral middle ("teils, teils") is a grey that stands out from a white page.
PALETTE = ["#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac"]
QUADRANT_COLOURS = {
    "focus": "#b2182b",
    "keep": "#2166ac",
    "overkill": "#67a9cf",
    "low_priority": "#999999",
}

#: Resolution of the PNG figures (dots per inch of the figure sizes below).
DPI = 120
#: Width of a Likert chart and size of an importance–performance chart, in inches.
LIKERT_WIDTH = 10.0
IPA_SIZE = (7.5, 6.5)
#: Size of a word cloud in pixels.
WORDCLOUD_SIZE = (800, 400)
#: A font with Latin, Turkish and Arabic letters (``fonts-dejavu-core``).
CLOUD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def wordcloud_png(
    frequencies: Mapping[str, float],
    *,
    width: int = WORDCLOUD_SIZE[0],
    height: int = WORDCLOUD_SIZE[1],
    max_words: int = 100,
    horizontal_only: bool = False,
) -> bytes:
    """Render a word cloud from precomputed word frequencies; return PNG bytes.

    Drawn with DejaVu Sans where installed (Debian's ``fonts-dejavu-core``; it has Turkish
    and Arabic letters, which Pillow shapes right to left through libraqm);
    ``horizontal_only`` keeps every word horizontal (Arabic is not read top to bottom).
    """
    cloud = WordCloud(
        width=width,
        height=height,
        background_color="white",
        max_words=max_words,
        normalize_plurals=False,
        colormap="viridis",
        random_state=1,
        prefer_horizontal=1.0 if horizontal_only else 0.95,
        font_path=str(CLOUD_FONT) if CLOUD_FONT.exists() else None,
    )
    cloud.generate_from_frequencies(dict(frequencies) or {"–": 1.0})
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


#: Characters per line and lines per label of a chart (longer labels wrap, then end in "…").
LABEL_WIDTH = 42
LABEL_LINES = 3


def wrap_label(text: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """Wrap a label onto at most ``lines`` lines; only what does not fit then is cut."""
    parts = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def likert_height(rows: int, extra_lines: int = 0) -> float:
    """Height in inches of a Likert chart with ``rows`` bars (legend and note below) whose
    labels take ``extra_lines`` lines beyond one each."""
    return 0.5 * rows + 0.2 * extra_lines + 2.2


def likert_height_for(labels: Sequence[str]) -> float:
    """Height in inches of a Likert chart with these (unwrapped) labels."""
    extra = sum(wrap_label(label).count("\n") for label in labels)
    return likert_height(len(labels), extra)


def ipa_size(items: int) -> tuple[float, float]:
    """Size in inches of an importance–performance chart with a key of ``items`` entries."""
    return IPA_SIZE[0], IPA_SIZE[1] + 0.2 * -(-items // 2) + 0.3


def pixels(width: float, height: float) -> tuple[int, int]:
    """Size in pixels of a figure of ``width`` × ``height`` inches (for ``<img>`` tags)."""
    return round(width * DPI), round(height * DPI)


#: Font size (points) of tick labels, axis labels and legends: matplotlib's default.
FONT_SIZE = 10.0
#: Fixed parts of a Likert chart's layout, in inches: the x tick labels with the axis label
#: under the bars, one legend row, the note on hidden shares, a title, the outer margins.
LIKERT_AXIS = 0.55
LIKERT_LEGEND = 0.4
LIKERT_NOTE = 0.3
TITLE = 0.35
MARGIN = 0.12
_TEXT = TextToPath()


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Width in inches of ``text`` (its longest line) in the chart font, from font metrics."""
    font = FontProperties(size=size)
    widths = [
        _TEXT.get_text_width_height_descent(line, font, ismath=False)[0]
        for line in text.split("\n")
    ]
    return max(widths, default=0.0) / 72


def _render(figure: Figure, fmt: Format) -> bytes:
    """Draw ``figure`` once at its own size (its layout is already fixed)."""
    canvas = FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format=fmt, dpi=DPI)
        return buffer.getvalue()
    figure.set_dpi(DPI)
    canvas.draw()  # type: ignore[no-untyped-call]
    # RGB without the alpha channel (the background is white anyway): a PDF then needs no
    # soft mask per chart. A fast zlib level: WeasyPrint re-encodes the pixels in any case.
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]  # type: ignore[no-untyped-call]
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _inches(figure: Figure, left: float, bottom: float, right: float, top: float) -> None:
    """Margins of ``figure``'s axes area in inches from each edge."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=left / width, bottom=bottom / height, right=1 - right / width, top=1 - top / height
    )


def likert_bars(
    table: pd.DataFrame,
    labels: Sequence[str],
    scale_labels: Sequence[str],
    *,
    title: str = "",
    fmt: Format = "png",
    min_cell: int = 5,
) -> bytes:
    """Diverging stacked bars: one bar per row of ``table``, centred on the scale's middle.

    Args:
        table: rows with ``share_1`` .. ``share_k`` (fractions of valid answers).
        labels: one label per row (item text, group name).
        scale_labels: the labels of points 1..k (legend).
        title: figure title.
        fmt: ``png`` or ``svg``.
        min_cell: the suppression threshold, named in the note under hidden shares.
    """
    k = len(scale_labels)
    raw = table[[f"share_{p}" for p in range(1, k + 1)]].to_numpy(dtype=float, na_value=np.nan)
    shares = np.nan_to_num(raw * 100)
    colours = [PALETTE[round(i * (len(PALETTE) - 1) / max(k - 1, 1))] for i in range(k)]
    # Left edge of each bar: negative share of the lower half (middle point split in two).
    half = k // 2
    offset = -(shares[:, :half].sum(axis=1) + (shares[:, half] / 2 if k % 2 else 0))
    height = likert_height_for(labels)
    figure = Figure(figsize=(LIKERT_WIDTH, height))
    wrapped = [wrap_label(label) for label in labels]
    hidden = bool(np.isnan(raw).any())
    _inches(
        figure,
        left=max((text_width(w) for w in wrapped), default=0.0) + 0.25,
        bottom=LIKERT_AXIS + LIKERT_LEGEND + (LIKERT_NOTE if hidden else 0) + MARGIN,
        right=0.3,  # half the last tick label ("100")
        top=MARGIN + (TITLE if title else 0),
    )
    axes = figure.add_subplot()
    y = np.arange(len(labels))[::-1]
    left = offset.copy()
    for point in range(k):
        axes.barh(
            y,
            shares[:, point],
            left=left,
            color=colours[point],
            edgecolor="white",
            label=scale_labels[point],
        )
        left = left + shares[:, point]
    axes.axvline(0, color="#333333", linewidth=0.8)
    axes.set_yticks(y, labels=wrapped)
    axes.set_xlabel("Anteil in %")
    axes.set_xlim(-100, 100)
    axes.xaxis.set_major_formatter(lambda v, _pos: f"{abs(v):.0f}")
    figure.legend(
        ncols=min(k, 5),
        loc="lower center",
        bbox_to_anchor=(0.5, MARGIN / height),
        frameon=False,
        borderaxespad=0,
    )
    if title:
        axes.set_title(title)
    if hidden:
        # Below the axis label, left-aligned with the bars.
        axes.annotate(
            f"Anteile aus weniger als {min_cell} Antworten (und Anteile, aus denen sie sich "
            "errechnen ließen) sind ausgeblendet.",
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -42),
            textcoords="offset points",
            va="top",
            fontsize=8,
        )
    return _render(figure, fmt)


def importance_performance_chart(
    pairs: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    item_labels: Mapping[str, str] | None = None,
    title: str = "",
    fmt: Format = "png",
) -> bytes:
    """Scatter of importance (x) against satisfaction (y), quadrants split at the means.

    ``pairs`` is :func:`analysis.rankings.importance_performance` output for one group.
    Points are numbered in the order of ``pairs`` (largest gap first, as the data table
    lists them); the key under the chart names each number, so no labels overlap.
    """
    count = len(pairs)
    width, height = ipa_size(count)
    figure = Figure(figsize=(width, height))
    key_height = 0.2 * -(-count // 2) + 0.3
    # Left: tick labels and the rotated axis label; below: tick labels, axis label, the key.
    _inches(
        figure,
        left=0.75,
        bottom=key_height + 0.6,
        right=0.25,
        top=0.2 + (TITLE if title else 0),  # half the top tick label ("100") above the axes
    )
    axes = figure.add_subplot()
    left = 0.75 / width
    key = figure.add_axes(
        (left, MARGIN / height, 1 - left - 0.25 / width, (key_height - MARGIN) / height)
    )
    key.axis("off")
    if not pairs.empty:
        for quadrant, part in pairs.groupby("quadrant"):
            axes.scatter(
                part["importance"],
                part["satisfaction"],
                s=70,
                color=QUADRANT_COLOURS.get(str(quadrant), "#333333"),
                edgecolor="white",
                linewidth=0.6,
                label=(labels or {}).get(str(quadrant), str(quadrant)),
                zorder=2,
            )
        entries = []
        for number, row in enumerate(pairs.itertuples(), start=1):
            axes.annotate(
                str(number),
                (row.importance, row.satisfaction),
                fontsize=8,
                fontweight="bold",
                xytext=(5, 4),
                textcoords="offset points",
                zorder=3,
            )
            text = (item_labels or {}).get(str(row.item), str(row.item))
            entries.append(f"{number}  {wrap_label(text, 48, 1)}")
        half = -(-len(entries) // 2)
        for column, chunk in enumerate((entries[:half], entries[half:])):
            key.text(
                0.5 * column,
                1.0,
                "\n".join(chunk),
                transform=key.transAxes,
                va="top",
                fontsize=8,
                linespacing=1.45,
            )
        axes.axvline(pairs["importance"].mean(), color="#666666", linestyle="--", linewidth=0.8)
        axes.axhline(pairs["satisfaction"].mean(), color="#666666", linestyle="--", linewidth=0.8)
        axes.legend(loc="lower left", frameon=False, fontsize=8)
    axes.set_xlabel("Wichtigkeit (0–100)")
    axes.set_ylabel("Zufriedenheit (0–100)")
    axes.set_xlim(0, 100)
    axes.set_ylim(0, 100)
    if title:
        axes.set_title(title)
    return _render(figure, fmt)
