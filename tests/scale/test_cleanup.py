"""The hourly clean-up, as the job queue runs it in every process (once per hour wins)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bot.ops.cleanup import CLEANUP_JOB
from storage.models_cluster import Album, AlbumItem, ClusterLease, RateBudget
from tests.integration.support import publishing
from tests.support.harness import Harness


async def test_cleanup_removes_leftovers_once_per_hour(harness: Harness, tmp_path: Path) -> None:
    application = harness.bot.application
    assert application is not None and application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name(CLEANUP_JOB)
    now = datetime.fromtimestamp(harness.clock.now(), UTC)
    store = publishing(harness).media
    orphan = tmp_path / "orphan.jpg"
    orphan.write_bytes(b"left by a process that died")
    await store.put("orphan-token-0123456789", "0.jpg", orphan)
    async with harness.bot.db.transaction() as session:
        old = Album(
            telegram_user_id=1,
            chat_id=1,
            media_group_id="old",
            status="done",
            last_item_at=now - timedelta(days=2),
        )
        fresh = Album(
            telegram_user_id=1,
            chat_id=1,
            media_group_id="new",
            status="collecting",
            last_item_at=now,
        )
        session.add_all([old, fresh])
        await session.flush()
        assert old.id is not None
        session.add(AlbumItem(album_id=old.id, message_id=1, kind="photo", media_json="{}"))
        session.add(RateBudget(key="status:1", next_at=now.timestamp() - 3 * 86400))
        session.add(RateBudget(key="status:2", next_at=now.timestamp()))

    await job.run(application)  # what the scheduler does every hour

    assert await store.open("orphan-token-0123456789", "0.jpg") is None
    async with harness.bot.db.transaction() as session:
        albums = (await session.exec(select(Album.media_group_id))).all()
        items = (await session.exec(select(AlbumItem))).all()
        budgets = (await session.exec(select(RateBudget.key))).all()
        leases = (await session.exec(select(ClusterLease))).all()
    assert albums == ["new"] and items == [] and budgets == ["status:2"]
    assert [(lease.job, lease.done) for lease in leases] == [(CLEANUP_JOB, True)]

    orphan.write_bytes(b"again")
    await store.put("orphan-token-0123456789", "0.jpg", orphan)
    await job.run(application)  # same hour: another process (or this one) already did it
    assert await store.open("orphan-token-0123456789", "0.jpg") is not None
