"""How often a transfer on the lane tells the chat's loop how far it got."""

from __future__ import annotations

from typing import Any

from bot.publishing.lane import LaneTools
from bot.publishing.video_steps import PROGRESS_HOME_EVERY, progress_steps


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def tools() -> LaneTools:
    async def at_home(_call: Any) -> Any:
        raise AssertionError("progress is never awaited")

    def tell_home(callback: Any, *args: Any) -> None:
        callback(*args)

    return LaneTools(None, None, at_home, tell_home)


def test_a_fast_upload_tells_home_a_few_times_not_once_per_percent() -> None:
    told: list[int] = []
    clock = Clock()
    size = 1000
    step = progress_steps(size, tools(), told.append, clock=clock)
    for sent in range(0, size + 1, 5):  # 200 buffers in no time at all
        step(sent)
    # The first step and the end; nothing in between came PROGRESS_HOME_EVERY later.
    assert told == [0, size]


def test_a_slow_upload_tells_every_percent_that_comes_late_enough() -> None:
    told: list[int] = []
    clock = Clock()
    size = 100
    step = progress_steps(size, tools(), told.append, clock=clock)
    for sent in range(size + 1):
        step(sent)
        step(sent)  # the same percent again: never told twice
        clock.now += PROGRESS_HOME_EVERY
    assert told == list(range(size + 1))


def test_steps_inside_the_interval_wait_for_the_next_one_after_it() -> None:
    told: list[int] = []
    clock = Clock()
    step = progress_steps(100, tools(), told.append, clock=clock)
    step(10)
    clock.now += PROGRESS_HOME_EVERY / 2
    step(20)  # too soon
    clock.now += PROGRESS_HOME_EVERY / 2
    step(30)
    assert told == [10, 30]
