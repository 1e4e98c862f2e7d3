"""When to post: presets and typed times, read in the user's time zone.

Everything is computed on local wall-clock dates and then converted to UTC
through the zone, so "tomorrow 09:00" is 09:00 on the clock the day after a
daylight saving change too. A wall time that does not exist (the hour
skipped when clocks go forward) is refused; one that happens twice (clocks
go back) means its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.scheduling.zones import TimeZoneChoice

HORIZON = timedelta(days=30)
EVENING = time(19, 0)
MORNING = time(9, 0)

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?$")
_RELATIVE = re.compile(
    r"^in\s+(\d{1,4}|an?|one)\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)$"
)


class TimeProblem(StrEnum):
    """Why a time cannot be used (texts.scheduling explains each)."""

    UNREADABLE = "unreadable"
    PAST = "past"
    TOO_FAR = "too_far"
    SKIPPED = "skipped"  # the wall time does not exist that day (clocks go forward)


class TimeRefused(ValueError):
    """The time cannot be used, for `problem`."""

    def __init__(self, problem: TimeProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class Preset(StrEnum):
    """The one-tap choices."""

    IN_ONE_HOUR = "1h"
    THIS_EVENING = "evening"
    TOMORROW_MORNING = "tomorrow"


@dataclass(frozen=True, slots=True)
class PresetTime:
    """A preset and the moment it stands for now."""

    preset: Preset
    when: datetime  # aware, UTC


def to_utc(day: date, at: time, zone: TimeZoneChoice) -> datetime:
    """Wall time `at` on `day` in `zone`, as UTC; refuses a wall time that does not exist."""
    local = datetime.combine(day, at, tzinfo=zone.tz)
    moment = local.astimezone(UTC)
    back = moment.astimezone(zone.tz)
    if (back.date(), back.time()) != (day, at):
        raise TimeRefused(TimeProblem.SKIPPED)
    return moment


def local(moment: datetime, zone: TimeZoneChoice) -> datetime:
    """A UTC moment on the zone's wall clock."""
    return moment.astimezone(zone.tz)


def check_due(when: datetime, now: datetime, horizon: timedelta = HORIZON) -> datetime:
    """`when` if it is ahead of `now` and within the horizon; else TimeRefused."""
    if when <= now:
        raise TimeRefused(TimeProblem.PAST)
    if when - now > horizon:
        raise TimeRefused(TimeProblem.TOO_FAR)
    return when


def presets(now: datetime, zone: TimeZoneChoice) -> list[PresetTime]:
    """The presets that make sense right now (no "this evening" once it is evening)."""
    today = local(now, zone).date()
    found = [PresetTime(Preset.IN_ONE_HOUR, now + timedelta(hours=1))]
    for preset, day, at in (
        (Preset.THIS_EVENING, today, EVENING),
        (Preset.TOMORROW_MORNING, today + timedelta(days=1), MORNING),
    ):
        try:
            when = to_utc(day, at, zone)
        except TimeRefused:
            continue
        if when > now:
            found.append(PresetTime(preset, when))
    return found


def preset_time(preset: Preset, now: datetime, zone: TimeZoneChoice) -> datetime:
    """The moment a preset stands for now; TimeRefused when it no longer applies."""
    for option in presets(now, zone):
        if option.preset is preset:
            return option.when
    raise TimeRefused(TimeProblem.PAST)


def _clock(text: str) -> time:
    match = _CLOCK.match(text)
    if not match:
        raise TimeRefused(TimeProblem.UNREADABLE)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise TimeRefused(TimeProblem.UNREADABLE)
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match.group(2) is None:
        raise TimeRefused(TimeProblem.UNREADABLE)  # a bare "9" is too ambiguous
    if hour > 23 or minute > 59:
        raise TimeRefused(TimeProblem.UNREADABLE)
    return time(hour, minute)


def _day(text: str, today: date) -> date | None:
    """A date word or date; None when `text` is no date at all."""
    if text == "today":
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    if text in _WEEKDAYS:
        ahead = (_WEEKDAYS[text] - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)
    try:
        if match := _ISO_DATE.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _DOTTED_DATE.match(text):
            day, month = int(match.group(1)), int(match.group(2))
            if match.group(3) is None:
                candidate = date(today.year, month, day)
                return candidate if candidate >= today else date(today.year + 1, month, day)
            year = int(match.group(3))
            return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        raise TimeRefused(TimeProblem.UNREADABLE) from None
    return None


def _relative(match: re.Match[str]) -> timedelta:
    count_text, unit = match.group(1), match.group(2)
    count = 1 if count_text in ("a", "an", "one") else int(count_text)
    if unit.startswith("m"):
        return timedelta(minutes=count)
    if unit.startswith("h"):
        return timedelta(hours=count)
    return timedelta(days=count)


def parse_time(text: str, now: datetime, zone: TimeZoneChoice) -> datetime:
    """The UTC moment a typed time means, checked against now and the horizon.

    Understands "18:30", "6pm", "tomorrow 9am", "friday 18:00", "2026-12-24 18:00",
    "24.12 18:00" and "in 2 hours". A bare time is its next occurrence (today,
    or tomorrow when it has passed).
    """
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    cleaned = re.sub(r"\s+(am|pm|a\.m\.|p\.m\.)$", r"\1", cleaned)
    if not cleaned or len(cleaned) > 40:
        raise TimeRefused(TimeProblem.UNREADABLE)
    if match := _RELATIVE.match(cleaned):
        return check_due(now + _relative(match), now)
    words = cleaned.removeprefix("at ").split(" ")
    today = local(now, zone).date()
    if len(words) == 1:
        at = _clock(words[0])
        when = to_utc(today, at, zone)
        if when <= now:
            when = to_utc(today + timedelta(days=1), at, zone)
        return check_due(when, now)
    if len(words) in (2, 3):
        clock_word = words[-1]
        day_words = [w for w in words[:-1] if w != "at"]
        if len(day_words) != 1:
            raise TimeRefused(TimeProblem.UNREADABLE)
        day = _day(day_words[0], today)
        if day is None:
            raise TimeRefused(TimeProblem.UNREADABLE)
        return check_due(to_utc(day, _clock(clock_word), zone), now)
    raise TimeRefused(TimeProblem.UNREADABLE)
