"""PollSchedule: how many status polls a processing time costs and how late completion is seen."""

from __future__ import annotations

import itertools

import pytest

from bot.publishing.polling import PollSchedule

SCHEDULE = PollSchedule()


def typical_seconds() -> list[float]:
    """Processing times from 30 to 90 s in tenths: every edge between two polls."""
    return [30 + tenth / 10 for tenth in range(601)]


def test_first_polls_fall_at_the_documented_times() -> None:
    times = [SCHEDULE.next_poll(0.0)]
    while len(times) < 6:
        times.append(SCHEDULE.next_poll(times[-1]))
    assert times == [2.0, 18.0, 24.0, 30.0, 36.0, 42.0]


def test_typical_processing_costs_at_most_ten_polls_a_minute() -> None:
    over = [f for f in typical_seconds() if SCHEDULE.polls_until(f)[0] > 10 * f / 60]
    assert over == []


def test_typical_processing_is_noticed_within_six_seconds() -> None:
    late = max(SCHEDULE.polls_until(f)[1] for f in typical_seconds())
    assert late <= 6.0


def test_average_detection_delay_is_about_three_seconds() -> None:
    delays = [SCHEDULE.polls_until(f)[1] for f in typical_seconds()]
    assert 2.5 <= sum(delays) / len(delays) <= 3.5


def test_counts_for_round_processing_times() -> None:
    assert SCHEDULE.polls_until(1.0) == (1, 1.0)
    assert SCHEDULE.polls_until(30.0) == (4, 0.0)
    assert SCHEDULE.polls_until(60.0) == (9, 0.0)
    assert SCHEDULE.polls_until(90.0) == (14, 0.0)


def test_long_processing_backs_off_to_the_longest_interval() -> None:
    assert SCHEDULE.delay(120.0) == 9.0
    assert SCHEDULE.delay(129.0) == 13.5
    assert SCHEDULE.delay(142.5) == 15.0
    assert SCHEDULE.delay(1000.0) == pytest.approx(SCHEDULE.next_poll(1000.0) - 1000.0)
    assert 0 < SCHEDULE.delay(1000.0) <= 15.0


def test_never_faster_than_tiktoks_limit() -> None:
    times = [0.0]
    while times[-1] < 30 * 60:
        times.append(SCHEDULE.next_poll(times[-1]))
    gaps = [b - a for a, b in itertools.pairwise(times[1:])]
    assert min(gaps) >= 2.0  # 30 per minute would be one every 2 s


def test_a_shrunk_schedule_keeps_its_shape() -> None:
    fast = PollSchedule(first=0.05, quiet_until=0.2, steady=0.1, settle_after=1.0, longest=0.2)
    assert fast.delay(0.0) == 0.05
    assert fast.delay(0.05) == pytest.approx(0.15)
    assert fast.delay(0.2) == pytest.approx(0.1)
    assert 0 < fast.delay(500.0) <= 0.2
