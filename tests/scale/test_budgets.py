"""TikTok's per-token budgets and periodic jobs, shared by several processes on one database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ops.cluster import ClusterOnce
from bot.publishing.pacing import SharedPacer
from storage.db import Database
from tests.support.databases import isolated_database

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def databases(tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    """Two processes' views of one database (two engines, two connection pools)."""
    async with isolated_database(tmp_path) as url:
        first, second = Database(url), Database(url)
        await first.upgrade()
        try:
            yield first, second
        finally:
            await first.dispose()
            await second.dispose()


async def test_two_processes_share_one_accounts_status_budget(
    databases: tuple[Database, Database],
) -> None:
    now = [1_000.0]
    one, two = (SharedPacer(db, status_interval=2.0, wall=lambda: now[0]) for db in databases)
    assert await one.delay("status:1", 2.0) == 0.0
    assert await two.delay("status:1", 2.0) == 2.0  # the other process waits its turn
    assert await one.delay("status:1", 2.0) == 4.0
    assert await two.delay("status:2", 2.0) == 0.0  # another account has its own budget
    now[0] = 1_010.0
    assert await two.delay("status:1", 2.0) == 0.0
    await one.pause(1, 30.0)  # a 429 seen by one process holds back the other
    assert await two.delay("status:1", 2.0) == 30.0


async def test_thirty_racing_status_calls_never_exceed_thirty_a_minute(
    databases: tuple[Database, Database],
) -> None:
    now = 5_000.0
    pacers = [SharedPacer(db, wall=lambda: now) for db in databases]
    delays = await asyncio.gather(*(pacers[i % 2].delay("status:7", 60.0 / 30) for i in range(31)))
    # Every slot distinct and 2 s apart: 30 in the first minute, the 31st after it.
    assert sorted(delays) == [2.0 * n for n in range(31)]
    inits = await asyncio.gather(*(pacers[i % 2].delay("init:7", 60.0 / 6) for i in range(7)))
    assert sorted(inits) == [10.0 * n for n in range(7)]


async def test_a_periodic_job_runs_once_per_period_across_processes(
    databases: tuple[Database, Database],
) -> None:
    clock = [NOON]
    runs: list[str] = []
    started = asyncio.Event()
    release = asyncio.Event()

    async def snapshot() -> None:
        runs.append("run")
        started.set()
        await release.wait()

    one, two = (
        ClusterOnce(db, holder=name, clock=lambda: clock[0], lease=timedelta(minutes=30))
        for db, name in zip(databases, ("p1", "p2"), strict=True)
    )
    first = asyncio.create_task(one.run("daily-stats", "2026-12-01", snapshot))
    await started.wait()
    assert await two.run("daily-stats", "2026-12-01", snapshot) is False  # held by p1
    release.set()
    assert await first is True
    assert await two.run("daily-stats", "2026-12-01", snapshot) is False  # done for the day
    assert await two.run("daily-stats", "2026-12-02", snapshot) is True  # the next day's is new
    assert runs == ["run", "run"]


async def test_a_crashed_holders_period_is_taken_over_once_its_lease_ran_out(
    databases: tuple[Database, Database],
) -> None:
    clock = [NOON]
    runs: list[str] = []

    async def crash() -> None:
        raise RuntimeError("process died mid-job")

    async def work() -> None:
        runs.append("p2")

    one, two = (
        ClusterOnce(db, holder=name, clock=lambda: clock[0], lease=timedelta(minutes=30))
        for db, name in zip(databases, ("p1", "p2"), strict=True)
    )
    with pytest.raises(RuntimeError):
        await one.run("cleanup", "2026-12-01T12", crash)
    assert await two.run("cleanup", "2026-12-01T12", work) is False  # lease still running
    clock[0] = NOON + timedelta(minutes=31)
    assert await two.run("cleanup", "2026-12-01T12", work) is True
    assert runs == ["p2"]
