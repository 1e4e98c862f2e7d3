"""The /compare chart: one panel per measure, one bar per creator (Pillow, like /stats).

Words (titles, measure names) come from the caller so they stay in bot.texts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.insights.chart import BACKGROUND, COLORS, GRID, INK, MUTED, WIDTH

if TYPE_CHECKING:  # Pillow is imported when a chart is drawn, not at start-up
    from PIL import ImageDraw, ImageFont

HEADER = 150
PANEL = 300
LEFT = 60
RIGHT = 60
BAR = 56


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)  # scalable: Pillow's wheels ship FreeType


@dataclass(frozen=True, slots=True)
class Measure:
    """One panel: a name, each creator's value and how to print a value."""

    name: str
    values: Sequence[float | None]
    labels: Sequence[str]  # the printed value per creator ("1.2M", "6.4%", "–")


def render_comparison(names: Sequence[str], measures: Sequence[Measure], *, title: str) -> bytes:
    """PNG bytes: a legend of `names`, then one bar panel per measure."""
    from PIL import Image, ImageDraw

    height = HEADER + PANEL * len(measures)
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((LEFT, 30), title, font=_font(48), fill=INK)
    x = LEFT
    for index, name in enumerate(names):
        color = COLORS[index % len(COLORS)]
        draw.rectangle((x, 100, x + 28, 128), fill=color)
        draw.text((x + 40, 96), name, font=_font(32), fill=INK)
        x += 60 + int(draw.textlength(name, font=_font(32)))
    for index, measure in enumerate(measures):
        _panel(draw, measure, HEADER + index * PANEL)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _panel(draw: ImageDraw.ImageDraw, measure: Measure, top: int) -> None:
    draw.line((LEFT, top, WIDTH - RIGHT, top), fill=GRID, width=2)
    draw.text((LEFT, top + 14), measure.name, font=_font(36), fill=INK)
    known = [v for v in measure.values if v is not None]
    highest = max(known) if known and max(known) > 0 else 1.0
    span = WIDTH - LEFT - RIGHT - 220
    for row, (value, label) in enumerate(zip(measure.values, measure.labels, strict=True)):
        y = top + 70 + row * (BAR + 12)
        length = int(span * (value or 0) / highest)
        if value is not None:
            draw.rectangle(
                (LEFT, y, LEFT + max(4, length), y + BAR), fill=COLORS[row % len(COLORS)]
            )
        draw.text(
            (LEFT + max(4, length) + 16, y + BAR // 2),
            label,
            font=_font(34),
            fill=INK if value is not None else MUTED,
            anchor="lm",
        )
