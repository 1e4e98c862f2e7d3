"""The transfer lane (its own loop in its own thread) and the per-chunk lease check."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.publishing.lane import InlineLane, LaneTools, ThreadLane
from bot.publishing.run_state import LeaseCheckedSource, LeaseLost
from bot.publishing.sources import LocalFile

MIB = 1024 * 1024


@pytest.fixture
async def lane() -> AsyncIterator[ThreadLane]:
    lane = ThreadLane(buffer_size=MIB)
    yield lane
    await lane.close()


async def test_work_runs_on_another_thread_and_reaches_home(lane: ThreadLane) -> None:
    seen: dict[str, int] = {}

    async def at_home_value() -> int:
        seen["at_home"] = threading.get_ident()
        return 41

    async def work(tools: LaneTools) -> int:
        seen["work"] = threading.get_ident()
        tools.tell_home(lambda: seen.setdefault("told", threading.get_ident()))
        value: int = await tools.at_home(at_home_value)
        return value + 1

    assert await lane.run(work) == 42
    home = threading.get_ident()
    assert seen["work"] != home
    # Told before the awaited call was sent, so it ran first, here.
    assert seen["told"] == home and seen["at_home"] == home


async def test_errors_come_home_as_they_are(lane: ThreadLane) -> None:
    async def work(_tools: LaneTools) -> None:
        raise LeaseLost("7")

    with pytest.raises(LeaseLost):
        await lane.run(work)


async def test_cancelling_the_caller_waits_until_the_lane_work_stopped(lane: ThreadLane) -> None:
    started, stopped = threading.Event(), threading.Event()

    async def work(_tools: LaneTools) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    caller = asyncio.ensure_future(lane.run(work))
    await asyncio.to_thread(started.wait)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    # By the time the caller's cancellation finished, the lane's work was gone:
    # the caller may close files the work was reading.
    assert stopped.is_set()


async def test_inline_lane_runs_here() -> None:
    async def work(tools: LaneTools) -> int:
        assert tools.uploads is None and not tools.dedicated
        return threading.get_ident()

    assert await InlineLane().run(work) == threading.get_ident()


class _Checks:
    def __init__(self) -> None:
        self.offsets: list[int] = []
        self.release = asyncio.Event()
        self.lost = False

    async def __call__(self, offset: int) -> None:
        self.offsets.append(offset)
        await self.release.wait()
        if self.lost:
            raise LeaseLost("taken")


async def test_a_chunk_starts_before_its_lease_check_ends_but_cannot_finish(
    tmp_path: Path,
) -> None:
    path = tmp_path / "video.bin"
    path.write_bytes(bytes(4 * MIB))
    checks = _Checks()
    source = LeaseCheckedSource(LocalFile(path), 2 * MIB, checks)
    # Chunk 2's first buffer goes out while its check still runs ...
    assert len(await source.read_some(2 * MIB, MIB)) == MIB
    # ... but its last buffer waits for the check, which says the lease is gone.
    last = asyncio.ensure_future(source.read_some(3 * MIB, MIB))
    await asyncio.sleep(0)
    assert checks.offsets == [2 * MIB]
    assert not last.done()
    checks.lost = True
    checks.release.set()
    with pytest.raises(LeaseLost):
        await last
    # Every later read knows, a retry of the same chunk included.
    with pytest.raises(LeaseLost):
        await source.read_some(2 * MIB, MIB)
    await source.close()
