"""A growth chart as a PNG a phone can read: 1080 px wide, big type, one panel per number.

Drawn with Pillow (already a dependency) rather than matplotlib: one small
chart type does not justify a 40 MB plotting stack in the bot's image. The
words on the chart (titles, date labels) come from the caller, so they stay
in bot.texts.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported when a chart is drawn, not at start-up
    from PIL import ImageDraw, ImageFont

WIDTH = 1080
HEADER = 130
PANEL = 470
MARGIN_LEFT = 170
MARGIN_RIGHT = 60
BACKGROUND = (255, 255, 255)
INK = (22, 24, 35)
MUTED = (110, 112, 125)
GRID = (228, 229, 234)
UP = (16, 150, 72)
DOWN = (220, 38, 38)
COLORS = ((254, 44, 85), (15, 160, 170), (120, 80, 220))  # TikTok pink, teal, violet
TITLE_SIZE = 52
NAME_SIZE = 44
LABEL_SIZE = 34


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One line: a name ("Followers") and its points, oldest first."""

    name: str
    points: Sequence[tuple[datetime, int]]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow ships a scalable font when FreeType is available (it is in our wheels).
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def nice_ticks(low: int, high: int, count: int = 4) -> list[int]:
    """About `count` round gridline values covering low..high (1, 2, 2.5, 5 x 10^k steps)."""
    if high <= low:
        pad = max(1, abs(high) // 20)
        low, high = low - pad, high + pad
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    first = (low // step) * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


@dataclass(frozen=True, slots=True)
class _Labels:
    x_label: Callable[[datetime, datetime, datetime], str]
    number: Callable[[int], str]
    change: Callable[[int], str]


def render_growth_chart(
    series: Sequence[ChartSeries],
    *,
    title: str,
    x_label: Callable[[datetime, datetime, datetime], str],
    number: Callable[[int], str] = str,
    change: Callable[[int], str] = "{:+d}".format,
) -> bytes:
    """PNG bytes with one panel per series.

    The words come from the caller (bot/texts): `x_label(moment, first, last)`
    names time ticks, `number` and `change` write values and their change.
    """
    from PIL import Image, ImageDraw

    labels = _Labels(x_label, number, change)
    height = HEADER + PANEL * len(series)
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN_LEFT - 110, 40), title, font=_font(TITLE_SIZE), fill=INK)
    for index, one in enumerate(series):
        _panel(draw, one, HEADER + index * PANEL, COLORS[index % len(COLORS)], labels)
    buffer = io.BytesIO()
    # A chart has few colours: a 256-colour palette keeps it sharp, makes the
    # file about a third and the encoding a third of the time (optimize=True
    # cost ~180 ms of CPU per /stats; Telegram re-encodes photos anyway).
    image.quantize(256, method=Image.Quantize.FASTOCTREE).save(
        buffer, format="PNG", compress_level=6
    )
    return buffer.getvalue()


def _panel(
    draw: ImageDraw.ImageDraw,
    series: ChartSeries,
    top: int,
    color: tuple[int, int, int],
    labels: _Labels,
) -> None:
    points = list(series.points)
    name_font, label_font = _font(NAME_SIZE), _font(LABEL_SIZE)
    first_value, last_value = points[0][1], points[-1][1]
    change = last_value - first_value
    draw.text((MARGIN_LEFT - 110, top + 10), series.name, font=name_font, fill=INK)
    headline = f"{labels.number(last_value)}  {labels.change(change)}"
    right = WIDTH - MARGIN_RIGHT
    draw.text((right, top + 10), headline, font=name_font, fill=_trend(change), anchor="ra")

    plot_top, plot_bottom = top + 90, top + PANEL - 80
    plot_left, plot_right = MARGIN_LEFT, right - 12  # room for the last dot
    values = [v for _, v in points]
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    span = max(1, high - low)

    def y_of(value: int) -> float:
        return plot_bottom - (value - low) / span * (plot_bottom - plot_top)

    for tick in ticks:
        y = y_of(tick)
        draw.line([(plot_left, y), (plot_right, y)], fill=GRID, width=2)
        draw.text(
            (plot_left - 16, y), labels.number(tick), font=label_font, fill=MUTED, anchor="rm"
        )

    start, end = points[0][0], points[-1][0]
    seconds = max(1.0, (end - start).total_seconds())

    def x_of(moment: datetime) -> float:
        return plot_left + (moment - start).total_seconds() / seconds * (plot_right - plot_left)

    for fraction, anchor in ((0.0, "la"), (0.5, "ma"), (1.0, "ra")):
        moment = start + (end - start) * fraction
        draw.text(
            (plot_left + fraction * (plot_right - plot_left), plot_bottom + 20),
            labels.x_label(moment, start, end),
            font=label_font,
            fill=MUTED,
            anchor=anchor,
        )

    line = [(x_of(t), y_of(v)) for t, v in points]
    shade = [*line, (line[-1][0], plot_bottom), (line[0][0], plot_bottom)]
    draw.polygon(shade, fill=_tint(color, 0.16))
    draw.line(line, fill=color, width=7, joint="curve")
    # Dots help read a few points; with many, only the latest one is marked.
    for x, y in line if len(line) <= 40 else line[-1:]:
        draw.ellipse([(x - 10, y - 10), (x + 10, y + 10)], fill=color, outline=BACKGROUND, width=3)


def _trend(change: int) -> tuple[int, int, int]:
    return UP if change > 0 else DOWN if change < 0 else MUTED


def _tint(color: tuple[int, int, int], strength: float) -> tuple[int, int, int]:
    # The image is RGB: mix the colour into white instead of drawing with alpha.
    r, g, b = (round(c * strength + 255 * (1 - strength)) for c in color)
    return r, g, b
