"""Publish job rows on a real (migrated) SQLite database: one job per draft, leases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.exc import IntegrityError

from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import PublishJobRepository

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}")
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture
def cipher() -> TokenCipher:
    return TokenCipher([Fernet.generate_key()])


async def add_job(db: Database, cipher: TokenCipher, draft_id: int, due: datetime = T0) -> int:
    async with db.transaction() as session:
        job = await PublishJobRepository(session, cipher).add(
            draft_id=draft_id,
            telegram_user_id=1,
            chat_id=1,
            account_id=1,
            kind="video",
            mode="direct",
            request_json="{}",
            state="queued",
            not_before=due,
        )
    return job.id


async def claim(db: Database, cipher: TokenCipher, job_id: int, owner: str, now: datetime) -> bool:
    async with db.transaction() as session:
        return await PublishJobRepository(session, cipher).claim(
            job_id, owner=owner, now=now, until=now + LEASE
        )


async def test_one_job_per_draft(db: Database, cipher: TokenCipher) -> None:
    await add_job(db, cipher, draft_id=5)
    with pytest.raises(IntegrityError):
        await add_job(db, cipher, draft_id=5)
    async with db.transaction() as session:
        assert (await PublishJobRepository(session, cipher).by_draft(5)) is not None


async def test_two_workers_racing_for_a_job_one_wins(db: Database, cipher: TokenCipher) -> None:
    job_id = await add_job(db, cipher, draft_id=1)
    results = await asyncio.gather(*(claim(db, cipher, job_id, f"w{i}", T0) for i in range(5)))
    assert sorted(results) == [False, False, False, False, True]


async def test_a_lease_blocks_others_until_it_runs_out(db: Database, cipher: TokenCipher) -> None:
    job_id = await add_job(db, cipher, draft_id=1)
    assert await claim(db, cipher, job_id, "a", T0)
    assert not await claim(db, cipher, job_id, "b", T0 + timedelta(seconds=59))
    async with db.transaction() as session:
        assert await PublishJobRepository(session, cipher).due(T0 + LEASE / 2, limit=5) == []
    # The owner crashed (no renewal): after the lease, another worker takes over ...
    assert await claim(db, cipher, job_id, "b", T0 + timedelta(seconds=61))
    async with db.transaction() as session:
        repo = PublishJobRepository(session, cipher)
        # ... and the old owner can neither renew nor write.
        assert not await repo.renew(job_id, owner="a", until=T0 + 2 * LEASE)
        assert not await repo.update_leased(job_id, owner="a", state="failed")
        assert await repo.update_leased(job_id, owner="b", state="uploading")
        job = await repo.get(job_id)
    assert job is not None and job.lease_owner == "b" and job.state == "uploading"


async def test_release_makes_the_job_claimable_at_once(db: Database, cipher: TokenCipher) -> None:
    job_id = await add_job(db, cipher, draft_id=1)
    assert await claim(db, cipher, job_id, "a", T0)
    async with db.transaction() as session:
        assert await PublishJobRepository(session, cipher).release(job_id, owner="a")
    assert await claim(db, cipher, job_id, "b", T0 + timedelta(seconds=1))


async def test_scheduled_and_finished_jobs_are_not_due(db: Database, cipher: TokenCipher) -> None:
    later = await add_job(db, cipher, draft_id=1, due=T0 + timedelta(hours=1))
    done = await add_job(db, cipher, draft_id=2)
    now_job = await add_job(db, cipher, draft_id=3)
    assert await claim(db, cipher, done, "a", T0)
    async with db.transaction() as session:
        repo = PublishJobRepository(session, cipher)
        await repo.update_leased(done, owner="a", state="published")
        await repo.release(done, owner="a")
        assert await repo.due(T0, limit=10) == [now_job]
        assert await repo.next_due_at() == T0
        assert await repo.due(T0 + timedelta(hours=1), limit=10) == [now_job, later]
    assert not await claim(db, cipher, later, "a", T0)
    assert not await claim(db, cipher, done, "a", T0)


async def test_upload_url_is_encrypted_at_rest(
    db: Database, cipher: TokenCipher, tmp_path: Path
) -> None:
    job_id = await add_job(db, cipher, draft_id=1)
    assert await claim(db, cipher, job_id, "a", T0)
    url = "https://upload.example/upload/?upload_id=1&upload_token=SECRET-TOKEN-123"
    async with db.transaction() as session:
        await PublishJobRepository(session, cipher).update_leased(job_id, owner="a", upload_url=url)
    async with db.transaction() as session:
        job = await PublishJobRepository(session, cipher).get(job_id)
    assert job is not None and job.upload_url == url
    assert "SECRET" not in repr(job)
    await db.dispose()
    assert b"SECRET-TOKEN-123" not in database_bytes(tmp_path)


def database_bytes(folder: Path) -> bytes:
    """Every byte of the SQLite files (main and WAL)."""
    return b"".join(p.read_bytes() for p in folder.glob("jobs.db*"))
