"""The watchlist tables: one snapshot per (watch, day) and one alert per (watch, video)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.db import Database
from storage.repositories.creators import CreatorSnapshotRecord, WatchRepository

NOW = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


def snapshot(watch_id: int, moment: datetime, followers: int) -> CreatorSnapshotRecord:
    return CreatorSnapshotRecord(watch_id, moment.date(), moment, followers, 10, 100, 5, 900)


async def test_snapshots_and_alerts_are_stored_once_even_from_two_sessions(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await db.upgrade()
    try:
        async with db.transaction() as session:
            watch = await WatchRepository(session).add(
                1, chat_id=1, sec_uid="MS4wLjABAAAAx", username="x", nickname="X", now=NOW
            )

        async def store(followers: int) -> bool:
            async with db.transaction() as session:
                return await WatchRepository(session).add_snapshot(
                    snapshot(watch.id, NOW, followers)
                )

        assert sorted(await asyncio.gather(store(1), store(2))) == [False, True]

        async def claim() -> bool:
            async with db.transaction() as session:
                return await WatchRepository(session).claim_alert(
                    watch.id, "7500", views=2_000, median_views=900, now=NOW
                )

        assert sorted(await asyncio.gather(claim(), claim())) == [False, True]

        async with db.transaction() as session:
            repo = WatchRepository(session)
            assert await repo.due(NOW.date()) == []
            assert [w.id for w in await repo.due((NOW + timedelta(days=1)).date())] == [watch.id]
            assert len(await repo.snapshots(watch.id, since=NOW.date())) == 1
            assert await repo.remove(2, watch.id) is None  # not theirs
            assert (await repo.remove(1, watch.id)) is not None
            assert await repo.of_user(1) == []
            assert await repo.snapshots(watch.id, since=NOW.date()) == []
    finally:
        await db.dispose()
