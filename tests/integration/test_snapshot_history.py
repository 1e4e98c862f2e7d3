"""A stats history thinned in the database: each hour's or day's last snapshot (both backends)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import AccountRepository, AccountTokens, SnapshotRepository
from tests.support.databases import isolated_database

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with isolated_database(tmp_path) as url:
        database = Database(url)
        await database.upgrade()
        try:
            yield database
        finally:
            await database.dispose()


async def _account(db: Database) -> int:
    async with db.transaction() as session:
        account = await AccountRepository(
            session, TokenCipher([Fernet.generate_key()])
        ).save_linked(
            telegram_user_id=1,
            open_id="often",
            display_name="often",
            username=None,
            avatar_url=None,
            scopes={"user.info.stats"},
            tokens=AccountTokens("a", "r", NOW + timedelta(hours=1), NOW + timedelta(days=1)),
        )
    return account.id


async def test_history_keeps_the_last_snapshot_of_each_hour_or_day(db: Database) -> None:
    account_id = await _account(db)
    midnight = NOW.replace(hour=0)
    # A look every 20 minutes for four days, stored newest first: row order is not time order.
    looks = [midnight + timedelta(minutes=20 * i) for i in range(3 * 24 * 4)]
    async with db.transaction() as session:
        repo = SnapshotRepository(session)
        for n, when in reversed(list(enumerate(looks))):
            await repo.add(
                account_id,
                taken_at=when,
                follower_count=n,
                following_count=1,
                likes_count=1,
                video_count=1,
                source="look",
            )
    async with db.transaction() as session:
        repo = SnapshotRepository(session)
        assert [s.taken_at for s in await repo.history(account_id, since=midnight)] == looks
        hourly = await repo.history(account_id, since=midnight, per="hour")
        assert [s.follower_count for s in hourly] == [3 * h + 2 for h in range(24 * 4)]
        daily = await repo.history(account_id, since=midnight, per="day")
        assert [s.follower_count for s in daily] == [72 * d + 71 for d in range(4)]
        assert [s.taken_at for s in daily] == [
            midnight + timedelta(days=d, hours=23, minutes=40) for d in range(4)
        ]
        later = midnight + timedelta(days=2, minutes=1)
        assert len(await repo.history(account_id, since=later, per="day")) == 2
        assert await repo.oldest(account_id, since=midnight) == midnight
        assert await repo.oldest(account_id, since=later) == later + timedelta(minutes=19)
        assert await repo.oldest(account_id, since=looks[-1] + timedelta(seconds=1)) is None
