"""Snapshots, the daily job's choice of accounts, and which posts came from the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.insights import PublishJobPosts
from bot.insights.service import Numbers, change_between
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import (
    AccountRepository,
    AccountTokens,
    SnapshotRecord,
    SnapshotRepository,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def snap(when: datetime, followers: int | None = 100, likes: int | None = 5) -> SnapshotRecord:
    return SnapshotRecord(1, when, followers, 10, likes, 3)


def test_change_between_counts_only_known_numbers() -> None:
    change = change_between(snap(NOW - timedelta(days=2)), Numbers(420, 9, None, 4))
    assert (change.followers, change.following, change.likes, change.videos) == (320, -1, 0, 1)
    assert change.since == NOW - timedelta(days=2)
    assert change.any
    assert not change_between(snap(NOW), Numbers(100, 10, 5, 3)).any


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await database.upgrade()
    yield database
    await database.dispose()


async def _account(db: Database, open_id: str, scopes: set[str], *, relink: bool = False) -> int:
    cipher = TokenCipher([Fernet.generate_key()])
    async with db.transaction() as session:
        repo = AccountRepository(session, cipher)
        account = await repo.save_linked(
            telegram_user_id=1,
            open_id=open_id,
            display_name=open_id,
            username=None,
            avatar_url=None,
            scopes=scopes,
            tokens=AccountTokens("a", "r", NOW + timedelta(hours=1), NOW + timedelta(days=1)),
        )
        if relink:
            await repo.mark_needs_relink(account.id)
    return account.id


async def test_accounts_due_for_the_daily_snapshot(db: Database) -> None:
    stats = {"user.info.basic", "user.info.stats"}
    fresh = await _account(db, "fresh", stats)
    stale = await _account(db, "stale", stats)
    never = await _account(db, "never", stats)
    await _account(db, "no-scope", {"user.info.basic"})
    await _account(db, "dead", stats, relink=True)
    async with db.transaction() as session:
        repo = SnapshotRepository(session)
        for account_id, when in (
            (fresh, NOW - timedelta(hours=2)),
            (stale, NOW - timedelta(days=1)),
        ):
            await repo.add(
                account_id,
                taken_at=when,
                follower_count=1,
                following_count=1,
                likes_count=1,
                video_count=1,
                source="look",
            )
        due = await repo.accounts_due(
            scope="user.info.stats", taken_before=NOW - timedelta(hours=20)
        )
        assert due == [stale, never]
        assert (await repo.latest(fresh)) is not None
        assert [s.taken_at for s in await repo.history(stale, since=NOW - timedelta(days=2))] == [
            NOW - timedelta(days=1)
        ]


async def test_unlinking_forgets_the_history(db: Database) -> None:
    account_id = await _account(db, "gone", {"user.info.stats"})
    async with db.transaction() as session:
        await SnapshotRepository(session).add(
            account_id,
            taken_at=NOW,
            follower_count=1,
            following_count=1,
            likes_count=1,
            video_count=1,
            source="look",
        )
    async with db.transaction() as session:
        await AccountRepository(session, TokenCipher([Fernet.generate_key()])).delete(account_id)
    async with db.transaction() as session:
        assert await SnapshotRepository(session).latest(account_id) is None


async def test_published_posts_read_the_publish_jobs_table(db: Database) -> None:
    account_id = await _account(db, "poster", {"video.list"})
    posts = PublishJobPosts(db)
    assert await posts.published_video_ids(account_id) == []
    async with db.engine.begin() as connection:
        for job, post_id, created in (
            (1, "7300000000000000001", "2026-11-20 10:00:00"),
            (2, None, "2026-11-21 10:00:00"),  # still processing: no post id yet
            (3, "7300000000000000003", "2026-11-22 10:00:00"),
        ):
            await connection.execute(
                text(
                    "INSERT INTO publish_jobs (id, draft_id, telegram_user_id, chat_id, "
                    "account_id, kind, mode, request_json, state, not_before, attempts, inits, "
                    "uploaded_bytes, post_id, created_at, updated_at) VALUES (:id, :id, 1, 1, "
                    ":account, 'video', 'direct', '{}', 'PUBLISHED', :created, 0, 0, 0, :post, "
                    ":created, :created)"
                ),
                {"id": job, "account": account_id, "post": post_id, "created": created},
            )
    assert await posts.published_video_ids(account_id) == [
        "7300000000000000003",
        "7300000000000000001",
    ]
    assert await posts.published_video_ids(account_id + 1) == []


async def test_published_posts_are_empty_only_while_the_table_is_missing(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bare.db'}")
    try:
        assert await PublishJobPosts(database).published_video_ids(1) == []
    finally:
        await database.dispose()
