"""Numbers and times the way a person reads them on a phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.texts.humanize import (
    AgoUnit,
    SinceUnit,
    ago,
    compact_number,
    engagement_rate,
    percent,
    signed_number,
    since,
)
from bot.texts.stats import ago_text, chart_time_label, since_text

# A Sunday, so weekday names below are easy to check by eye.
NOW = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1_000, "1K"),
        (1_050, "1K"),
        (1_099, "1K"),
        (1_200, "1.2K"),
        (12_500, "12.5K"),
        (12_599, "12.5K"),  # truncated: never shows more than the account has
        (99_999, "99.9K"),
        (100_000, "100K"),
        (125_400, "125K"),
        (999_999, "999K"),
        (1_000_000, "1M"),
        (1_234_567, "1.2M"),
        (45_000_000, "45M"),
        (2_500_000_000, "2.5B"),
        (-1_200, "\u22121.2K"),
    ],
)
def test_compact_number(value: int, expected: str) -> None:
    assert compact_number(value) == expected


def test_signed_number() -> None:
    assert signed_number(320) == "+320"
    assert signed_number(1_150) == "+1.1K"
    assert signed_number(0) == "±0"
    assert signed_number(-45) == "\u221245"


def test_engagement_rate_and_percent() -> None:
    rate = engagement_rate(views=10_000, likes=700, comments=90, shares=52)
    assert rate == pytest.approx(0.0842)
    assert percent(rate) == "8.4%"
    assert engagement_rate(views=0, likes=3, comments=0, shares=0) is None
    assert percent(None) == "–"
    assert percent(0.0004) == "<0.1%"
    assert percent(0.0) == "0.0%"
    assert percent(1.5) == "150.0%"  # a tiny video shared a lot: say it as it is


@pytest.mark.parametrize(
    ("delta", "unit", "text"),
    [
        (timedelta(seconds=20), AgoUnit.NOW, "just now"),
        (timedelta(seconds=-30), AgoUnit.NOW, "just now"),  # clock skew: never "in the future"
        (timedelta(minutes=5), AgoUnit.MINUTES, "5 min ago"),
        (timedelta(hours=1), AgoUnit.HOURS, "1 hour ago"),
        (timedelta(hours=23, minutes=59), AgoUnit.HOURS, "23 hours ago"),
        (timedelta(hours=30), AgoUnit.YESTERDAY, "yesterday"),
        (timedelta(days=3, hours=2), AgoUnit.DAYS, "3 days ago"),
        (timedelta(days=7), AgoUnit.WEEKS, "1 week ago"),
        (timedelta(days=20), AgoUnit.WEEKS, "2 weeks ago"),
        (timedelta(days=40), AgoUnit.DATE, "Oct 13"),
        (timedelta(days=400), AgoUnit.DATE_WITH_YEAR, "Oct 18, 2025"),
    ],
)
def test_ago(delta: timedelta, unit: AgoUnit, text: str) -> None:
    value = ago(NOW - delta, NOW)
    assert value.unit is unit
    assert ago_text(value) == text


AFTER_MIDNIGHT = datetime(2026, 11, 23, 0, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("then", "now", "unit", "text"),
    [
        (NOW - timedelta(seconds=10), NOW, SinceUnit.MINUTES, "in the last minute"),
        (NOW - timedelta(minutes=42), NOW, SinceUnit.MINUTES, "in the last 42 minutes"),
        (NOW - timedelta(hours=1, minutes=5), NOW, SinceUnit.HOURS, "in the last hour"),
        (NOW - timedelta(hours=9), NOW, SinceUnit.HOURS, "in the last 9 hours"),
        # Calendar days, not 24-hour spans: 16 hours ago was yesterday evening.
        (NOW - timedelta(hours=16), NOW, SinceUnit.YESTERDAY, "since yesterday"),
        (datetime(2026, 11, 17, 23, 0, tzinfo=UTC), NOW, SinceUnit.WEEKDAY, "since Tuesday"),
        (datetime(2026, 11, 16, 8, 0, tzinfo=UTC), NOW, SinceUnit.WEEKDAY, "since Monday"),
        (datetime(2026, 11, 15, 8, 0, tzinfo=UTC), NOW, SinceUnit.DATE, "since Nov 15"),
        (
            datetime(2025, 12, 31, 8, 0, tzinfo=UTC),
            NOW,
            SinceUnit.DATE_WITH_YEAR,
            "since Dec 31, 2025",
        ),
        # A short window reads in hours even when it crosses midnight.
        (AFTER_MIDNIGHT - timedelta(hours=1), AFTER_MIDNIGHT, SinceUnit.HOURS, "in the last hour"),
        (
            AFTER_MIDNIGHT - timedelta(minutes=50),
            AFTER_MIDNIGHT,
            SinceUnit.MINUTES,
            "in the last 50 minutes",
        ),
        (
            AFTER_MIDNIGHT - timedelta(hours=11, minutes=59),
            AFTER_MIDNIGHT,
            SinceUnit.HOURS,
            "in the last 11 hours",
        ),
        (
            AFTER_MIDNIGHT - timedelta(hours=12),
            AFTER_MIDNIGHT,
            SinceUnit.YESTERDAY,
            "since yesterday",
        ),
        (AFTER_MIDNIGHT - timedelta(hours=25), AFTER_MIDNIGHT, SinceUnit.WEEKDAY, "since Saturday"),
    ],
)
def test_since(then: datetime, now: datetime, unit: SinceUnit, text: str) -> None:
    value = since(then, now)
    assert value.unit is unit
    assert since_text(value) == text


def test_chart_time_labels_switch_from_hours_to_dates() -> None:
    first = NOW - timedelta(hours=6)
    assert chart_time_label(first, first, NOW) == "09:30"
    week_ago = NOW - timedelta(days=7)
    assert chart_time_label(week_ago, week_ago, NOW) == "Nov 15"
