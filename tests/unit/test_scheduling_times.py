"""Typed times, presets and the horizon, in the user's zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduling.times import (
    Preset,
    TimeProblem,
    TimeRefused,
    local,
    parse_time,
    preset_time,
    presets,
)
from bot.scheduling.zones import TimeZoneChoice

BERLIN = TimeZoneChoice("Europe/Berlin")
NEW_YORK = TimeZoneChoice("America/New_York")
# Tuesday 1 December 2026, 10:30 in Berlin (CET, UTC+1).
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def at(text: str, now: datetime = NOW, zone: TimeZoneChoice = BERLIN) -> datetime:
    return local(parse_time(text, now, zone), zone).replace(tzinfo=None)


def problem(text: str, now: datetime = NOW, zone: TimeZoneChoice = BERLIN) -> TimeProblem:
    with pytest.raises(TimeRefused) as refused:
        parse_time(text, now, zone)
    return refused.value.problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:30", datetime(2026, 12, 1, 18, 30)),
        ("18.30", datetime(2026, 12, 1, 18, 30)),
        ("6pm", datetime(2026, 12, 1, 18, 0)),
        ("6:45 PM", datetime(2026, 12, 1, 18, 45)),
        ("12am", datetime(2026, 12, 2, 0, 0)),
        ("09:00", datetime(2026, 12, 2, 9, 0)),  # passed today: tomorrow
        ("tomorrow 9am", datetime(2026, 12, 2, 9, 0)),
        ("Tomorrow at 21:15", datetime(2026, 12, 2, 21, 15)),
        ("today 23:59", datetime(2026, 12, 1, 23, 59)),
        ("friday 18:00", datetime(2026, 12, 4, 18, 0)),
        ("tue 08:00", datetime(2026, 12, 8, 8, 0)),  # today is Tuesday: next week
        ("2026-12-24 18:00", datetime(2026, 12, 24, 18, 0)),
        ("24.12 18:00", datetime(2026, 12, 24, 18, 0)),
        ("24/12/2026 18:00", datetime(2026, 12, 24, 18, 0)),
        ("in 2 hours", datetime(2026, 12, 1, 12, 30)),
        ("in 45 min", datetime(2026, 12, 1, 11, 15)),
        ("in an hour", datetime(2026, 12, 1, 11, 30)),
    ],
)
def test_typed_times_are_read_in_the_users_zone(text: str, expected: datetime) -> None:
    assert at(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", TimeProblem.UNREADABLE),
        ("soon", TimeProblem.UNREADABLE),
        ("9", TimeProblem.UNREADABLE),
        ("25:00", TimeProblem.UNREADABLE),
        ("13pm", TimeProblem.UNREADABLE),
        ("2026-02-30 10:00", TimeProblem.UNREADABLE),
        ("someday 10:00", TimeProblem.UNREADABLE),
        ("2026-11-30 10:00", TimeProblem.PAST),
        ("today 10:00", TimeProblem.PAST),
        ("2027-01-24 10:00", TimeProblem.TOO_FAR),
        ("in 31 days", TimeProblem.TOO_FAR),
    ],
)
def test_unusable_times_are_refused_with_the_reason(text: str, expected: TimeProblem) -> None:
    assert problem(text) is expected


def test_the_horizon_is_thirty_days() -> None:
    assert parse_time("in 30 days", NOW, BERLIN) == NOW + timedelta(days=30)
    assert problem("2026-12-31 10:31") is TimeProblem.TOO_FAR


def test_presets_in_the_users_zone() -> None:
    found = {p.preset: p.when for p in presets(NOW, BERLIN)}
    assert found[Preset.IN_ONE_HOUR] == NOW + timedelta(hours=1)
    assert local(found[Preset.THIS_EVENING], BERLIN).replace(tzinfo=None) == datetime(
        2026, 12, 1, 19, 0
    )
    assert found[Preset.TOMORROW_MORNING] == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_no_this_evening_once_it_is_evening() -> None:
    evening = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)  # 19:30 in Berlin
    assert [p.preset for p in presets(evening, BERLIN)] == [
        Preset.IN_ONE_HOUR,
        Preset.TOMORROW_MORNING,
    ]
    with pytest.raises(TimeRefused):
        preset_time(Preset.THIS_EVENING, evening, BERLIN)


# Clocks in Berlin go forward on Sunday 28 March 2027 at 02:00 (to 03:00) and
# back on Sunday 25 October 2026 at 03:00 (to 02:00); New York goes forward on
# Sunday 14 March 2027.


def test_tomorrow_morning_across_clocks_going_forward() -> None:
    saturday_noon = datetime(2027, 3, 27, 11, 0, tzinfo=UTC)  # 12:00 CET
    sunday_nine = preset_time(Preset.TOMORROW_MORNING, saturday_noon, BERLIN)
    assert sunday_nine == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)  # 09:00 CEST = UTC+2
    assert sunday_nine - saturday_noon == timedelta(hours=20)  # the night is an hour short
    assert at("tomorrow 9am", saturday_noon) == datetime(2027, 3, 28, 9, 0)


def test_in_one_hour_is_sixty_minutes_across_the_change() -> None:
    before = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # 01:30 CET
    later = preset_time(Preset.IN_ONE_HOUR, before, BERLIN)
    assert later - before == timedelta(hours=1)
    assert local(later, BERLIN).replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)  # CEST


def test_a_skipped_wall_time_is_refused() -> None:
    saturday = datetime(2027, 3, 27, 11, 0, tzinfo=UTC)
    assert problem("2027-03-28 02:30", saturday) is TimeProblem.SKIPPED
    assert problem("tomorrow 02:30", saturday) is TimeProblem.SKIPPED


def test_a_repeated_wall_time_means_its_first_occurrence() -> None:
    week_before = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    first = parse_time("2026-10-25 02:30", week_before, BERLIN)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # still CEST, UTC+2
    after = parse_time("2026-10-25 03:30", week_before, BERLIN)
    assert after - first == timedelta(hours=2)  # 02:30 happens twice in between


def test_new_york_evening_across_its_own_change() -> None:
    saturday = datetime(2027, 3, 13, 17, 0, tzinfo=UTC)  # 12:00 EST
    assert parse_time("tomorrow 19:00", saturday, NEW_YORK) == datetime(
        2027, 3, 14, 23, 0, tzinfo=UTC
    )  # 19:00 EDT = UTC-4; the day before it would be 00:00 UTC


def test_a_fixed_offset_has_no_daylight_saving() -> None:
    plus_two = TimeZoneChoice("UTC+02:00")
    saturday = datetime(2027, 3, 27, 11, 0, tzinfo=UTC)
    assert parse_time("tomorrow 09:00", saturday, plus_two) == datetime(
        2027, 3, 28, 7, 0, tzinfo=UTC
    )
    assert parse_time("2027-03-28 02:30", saturday, plus_two) == datetime(
        2027, 3, 28, 0, 30, tzinfo=UTC
    )
