"""Numbers and moments the way people read them on a phone.

Pure functions, no words: counts become "12.5K", times become a structured
`Ago`/`Since` that `bot.texts.stats` turns into a sentence (so the words stay
in one translatable place). Times are compared in UTC: Telegram does not tell
a bot the user's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# (divisor, suffix), biggest first.
_UNITS = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))
MINUS = "\u2212"  # a real minus sign: a hyphen looks like a dash next to numbers


def compact_number(value: int) -> str:
    """12 -> "12", 12_560 -> "12.5K", 125_400 -> "125K", 1_234_567 -> "1.2M".

    Truncated, never rounded up, like TikTok's own app: 999_999 is "999K",
    not a "1M" the account has not reached yet.
    """
    if value < 0:
        return MINUS + compact_number(-value)
    if value < 1_000:
        return str(value)
    size, suffix = next((s, x) for s, x in _UNITS if value >= s)
    if value >= 100 * size:
        return f"{value // size}{suffix}"
    whole, tenth = divmod(value * 10 // size, 10)
    return f"{whole}.{tenth}{suffix}" if tenth else f"{whole}{suffix}"


def signed_number(value: int) -> str:
    """A change: "+320", "+1.2K", "−45", "±0"."""
    if value > 0:
        return "+" + compact_number(value)
    if value == 0:
        return "±0"
    return compact_number(value)


def engagement_rate(*, views: int, likes: int, comments: int, shares: int) -> float | None:
    """(likes + comments + shares) / views, or None when there are no views yet."""
    if views <= 0:
        return None
    return (likes + comments + shares) / views


def percent(rate: float | None) -> str:
    """0.0842 -> "8.4%", 0.0004 -> "<0.1%", None -> "–"."""
    if rate is None:
        return "–"
    if 0 < rate < 0.001:
        return "<0.1%"
    return f"{rate * 100:.1f}%"


class AgoUnit(StrEnum):
    """How far back a moment is, in the unit a person would say it."""

    NOW = "now"
    MINUTES = "minutes"
    HOURS = "hours"
    YESTERDAY = "yesterday"
    DAYS = "days"
    WEEKS = "weeks"
    DATE = "date"  # older than a month: say the date
    DATE_WITH_YEAR = "date_with_year"


@dataclass(frozen=True, slots=True)
class Ago:
    """`count` `unit` ago; `moment` for the DATE units."""

    unit: AgoUnit
    count: int
    moment: datetime


def ago(then: datetime, now: datetime) -> Ago:
    """How long before `now` the moment `then` was ("3 days ago")."""
    elapsed = now - then
    seconds = int(elapsed.total_seconds())
    if seconds < 60:  # also a moment "in the future" after clock skew
        return Ago(AgoUnit.NOW, 0, then)
    if seconds < 3600:
        return Ago(AgoUnit.MINUTES, seconds // 60, then)
    if elapsed < timedelta(days=1):
        return Ago(AgoUnit.HOURS, seconds // 3600, then)
    if elapsed < timedelta(days=2):
        return Ago(AgoUnit.YESTERDAY, 1, then)
    if elapsed < timedelta(days=7):
        return Ago(AgoUnit.DAYS, elapsed.days, then)
    if elapsed < timedelta(days=30):
        return Ago(AgoUnit.WEEKS, elapsed.days // 7, then)
    unit = AgoUnit.DATE if then.year == now.year else AgoUnit.DATE_WITH_YEAR
    return Ago(unit, 0, then)


class SinceUnit(StrEnum):
    """How a change window is named: "in the last 3 hours", "since Tuesday"..."""

    MINUTES = "minutes"  # the same day, less than an hour ago
    HOURS = "hours"  # the same day
    YESTERDAY = "yesterday"
    WEEKDAY = "weekday"  # within the last week: the day's name
    DATE = "date"
    DATE_WITH_YEAR = "date_with_year"


@dataclass(frozen=True, slots=True)
class Since:
    """The window a change was measured over."""

    unit: SinceUnit
    count: int
    moment: datetime


# Under this, a window reads in hours even across midnight: a look at 23:40
# and one at 00:40 are "in the last hour" apart, not "since yesterday".
HOURS_ACROSS_MIDNIGHT = 12


def since(then: datetime, now: datetime) -> Since:
    """Name the window from `then` to `now`: minutes or hours if short, else calendar days."""
    days = (now.date() - then.date()).days
    seconds = max(0, int((now - then).total_seconds()))
    if days <= 0 or seconds < HOURS_ACROSS_MIDNIGHT * 3600:
        if seconds < 3600:
            return Since(SinceUnit.MINUTES, max(1, seconds // 60), then)
        return Since(SinceUnit.HOURS, seconds // 3600, then)
    if days == 1:
        return Since(SinceUnit.YESTERDAY, 1, then)
    if days < 7:
        return Since(SinceUnit.WEEKDAY, days, then)
    unit = SinceUnit.DATE if then.year == now.year else SinceUnit.DATE_WITH_YEAR
    return Since(unit, days, then)
