"""The growth chart: a real PNG a phone can read."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bot.insights import ChartSeries, render_growth_chart
from bot.insights.chart import WIDTH, nice_ticks
from bot.texts.stats import chart_time_label

START = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)


def render(*series: ChartSeries) -> Image.Image:
    png = render_growth_chart(series, title="@ana.makes · growth", x_label=chart_time_label)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 5_000 < len(png) < 1_000_000
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_two_panels_phone_width() -> None:
    followers = [(START + timedelta(days=d), 1_200 + 40 * d) for d in range(30)]
    likes = [(START + timedelta(days=d), 45_000 + 900 * d) for d in range(30)]
    image = render(ChartSeries("Followers", followers), ChartSeries("Likes", likes))
    assert image.format == "PNG"
    assert image.width == WIDTH == 1080
    assert 900 <= image.height <= 1400
    # Something was drawn in the TikTok pink of the followers line.
    colors = image.convert("RGB").getcolors(1_000_000) or []  # a palette PNG
    assert (254, 44, 85) in {color for _, color in colors}


@pytest.mark.parametrize(
    "points",
    [
        [(START, 10), (START + timedelta(minutes=5), 10)],  # flat
        [(START, 0), (START + timedelta(hours=1), 1)],  # tiny numbers
        [(START, 5_000_000), (START + timedelta(days=90), 4_000_000)],  # a drop
    ],
)
def test_edge_series_render(points: list[tuple[datetime, int]]) -> None:
    image = render(ChartSeries("Followers", points))
    assert image.width == 1080


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (1_200, 1_647, [1_200, 1_400, 1_600, 1_800]),
        (0, 10, [0, 5, 10]),
        (45_000, 45_000, [42_000, 44_000, 46_000, 48_000]),
        (3, 3, [2, 3, 4]),
    ],
)
def test_nice_ticks(low: int, high: int, expected: list[int]) -> None:
    assert nice_ticks(low, high) == expected
