"""Publish jobs: durable rows, claimed by workers with a lease.

Every write a worker makes is conditional on still holding the lease
(`lease_owner = me`), so a worker that lost its claim (it stalled, another
process took over) cannot overwrite what the new owner did. Claiming is one
conditional UPDATE: of two workers racing for a job, exactly one matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import CursorResult
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import TokenCipher
from storage.models_publishing import PublishJob
from storage.types import utcnow

# Kept in step with bot.publishing.jobs.JobState (storage does not import the domain).
FINAL_STATES = ("published", "in_inbox", "failed", "unconfirmed", "cancelled")
# Not final, but no worker picks them up: on hold until the user acts (/queue).
NOT_RUNNABLE = (*FINAL_STATES, "held")


@dataclass(frozen=True, slots=True)
class PublishJobRecord:
    """A publish job as services see it (the upload URL decrypted, never logged)."""

    id: int
    draft_id: int
    telegram_user_id: int
    chat_id: int
    account_id: int
    kind: str
    mode: str
    request_json: str
    state: str
    not_before: datetime
    lease_owner: str | None
    lease_until: datetime | None
    attempts: int
    inits: int
    publish_id: str | None
    upload_url: str | None = field(repr=False)
    upload_expires_at: datetime | None
    video_size: int | None
    chunk_size: int | None
    content_type: str | None
    uploaded_bytes: int
    media_token: str | None
    progress_message_id: int | None
    post_id: str | None
    share_url: str | None
    outcome_code: str | None
    created_at: datetime
    updated_at: datetime
    processing_since: datetime | None
    finished_at: datetime | None
    notified_at: datetime | None

    @property
    def final(self) -> bool:
        """Whether the job is over."""
        return self.state in FINAL_STATES


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


class PublishJobRepository:
    """Reads and writes PublishJob rows; flushes, never commits."""

    def __init__(self, session: AsyncSession, cipher: TokenCipher) -> None:
        self._session = session
        self._cipher = cipher

    def _record(self, row: PublishJob) -> PublishJobRecord:
        assert row.id is not None
        return PublishJobRecord(
            id=row.id,
            draft_id=row.draft_id,
            telegram_user_id=row.telegram_user_id,
            chat_id=row.chat_id,
            account_id=row.account_id,
            kind=row.kind,
            mode=row.mode,
            request_json=row.request_json,
            state=row.state,
            not_before=row.not_before,
            lease_owner=row.lease_owner,
            lease_until=row.lease_until,
            attempts=row.attempts,
            inits=row.inits,
            publish_id=row.publish_id,
            upload_url=self._cipher.decrypt(row.upload_url_enc) if row.upload_url_enc else None,
            upload_expires_at=row.upload_expires_at,
            video_size=row.video_size,
            chunk_size=row.chunk_size,
            content_type=row.content_type,
            uploaded_bytes=row.uploaded_bytes,
            media_token=row.media_token,
            progress_message_id=row.progress_message_id,
            post_id=row.post_id,
            share_url=row.share_url,
            outcome_code=row.outcome_code,
            created_at=row.created_at,
            updated_at=row.updated_at,
            processing_since=row.processing_since,
            finished_at=row.finished_at,
            notified_at=row.notified_at,
        )

    async def add(
        self,
        *,
        draft_id: int,
        telegram_user_id: int,
        chat_id: int,
        account_id: int,
        kind: str,
        mode: str,
        request_json: str,
        state: str,
        not_before: datetime,
    ) -> PublishJobRecord:
        """Insert a new job; a second job for the same draft raises IntegrityError."""
        row = PublishJob(
            draft_id=draft_id,
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            account_id=account_id,
            kind=kind,
            mode=mode,
            request_json=request_json,
            state=state,
            not_before=not_before,
        )
        self._session.add(row)
        await self._session.flush()
        return self._record(row)

    async def get(self, job_id: int) -> PublishJobRecord | None:
        """One job by id (read fresh from the database)."""
        row = (await self._session.exec(select(PublishJob).where(PublishJob.id == job_id))).first()
        return self._record(row) if row is not None else None

    async def by_draft(self, draft_id: int) -> PublishJobRecord | None:
        """The job created for a draft, if any."""
        row = (
            await self._session.exec(select(PublishJob).where(PublishJob.draft_id == draft_id))
        ).first()
        return self._record(row) if row is not None else None

    async def for_user(self, telegram_user_id: int, *, limit: int = 20) -> list[PublishJobRecord]:
        """A user's newest jobs first."""
        rows = await self._session.exec(
            select(PublishJob)
            .where(PublishJob.telegram_user_id == telegram_user_id)
            .order_by(col(PublishJob.id).desc())
            .limit(limit)
        )
        return [self._record(r) for r in rows.all()]

    async def due(self, now: datetime, *, limit: int) -> list[int]:
        """Ids of unfinished jobs that are due and not held by a live lease, oldest first."""
        rows = await self._session.exec(
            select(PublishJob.id)
            .where(
                col(PublishJob.state).not_in(NOT_RUNNABLE),
                col(PublishJob.not_before) <= now,
                or_(col(PublishJob.lease_until).is_(None), col(PublishJob.lease_until) < now),
            )
            .order_by(col(PublishJob.not_before), col(PublishJob.id))
            .limit(limit)
        )
        return [i for i in rows.all() if i is not None]

    async def next_due_at(self, *, owner: str | None = None) -> datetime | None:
        """When the next unfinished job may be claimed: the earliest due unleased job
        (scheduled posts) or the earliest lease not `owner`'s to run out (a crashed
        worker's job)."""
        unleased = await self._session.exec(
            select(PublishJob.not_before)
            .where(
                col(PublishJob.state).not_in(NOT_RUNNABLE),
                col(PublishJob.lease_owner).is_(None),
            )
            .order_by(col(PublishJob.not_before))
            .limit(1)
        )
        leased = await self._session.exec(
            select(PublishJob.lease_until)
            .where(
                col(PublishJob.state).not_in(FINAL_STATES),
                col(PublishJob.lease_until).is_not(None),
                col(PublishJob.lease_owner) != (owner or ""),
            )
            .order_by(col(PublishJob.lease_until))
            .limit(1)
        )
        moments = [m for m in (unleased.first(), leased.first()) if m is not None]
        return min(moments) if moments else None

    async def claim(self, job_id: int, *, owner: str, now: datetime, until: datetime) -> bool:
        """Take the job's lease if it is due and free (or its lease ran out)."""
        result = await self._session.exec(
            update(PublishJob)
            .where(
                and_(
                    col(PublishJob.id) == job_id,
                    col(PublishJob.state).not_in(NOT_RUNNABLE),
                    col(PublishJob.not_before) <= now,
                    or_(
                        col(PublishJob.lease_until).is_(None),
                        col(PublishJob.lease_until) < now,
                    ),
                )
            )
            .values(lease_owner=owner, lease_until=until, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def renew(self, job_id: int, *, owner: str, until: datetime) -> bool:
        """Extend our lease; False means we lost the job to another worker."""
        result = await self._session.exec(
            update(PublishJob)
            .where(col(PublishJob.id) == job_id, col(PublishJob.lease_owner) == owner)
            .values(lease_until=until)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def release(self, job_id: int, *, owner: str) -> bool:
        """Give the lease back so any worker may run the job again at once."""
        result = await self._session.exec(
            update(PublishJob)
            .where(col(PublishJob.id) == job_id, col(PublishJob.lease_owner) == owner)
            .values(lease_owner=None, lease_until=None, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def update_leased(self, job_id: int, *, owner: str, **values: Any) -> bool:
        """Write `values` if we still hold the lease; `upload_url` is encrypted here.

        Returns False (and writes nothing) when the lease was lost.
        """
        if "upload_url" in values:
            url = values.pop("upload_url")
            values["upload_url_enc"] = self._cipher.encrypt(url) if url else None
        values["updated_at"] = utcnow()
        result = await self._session.exec(
            update(PublishJob)
            .where(col(PublishJob.id) == job_id, col(PublishJob.lease_owner) == owner)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def set_progress_message(self, job_id: int, message_id: int) -> str | None:
        """Remember the chat message that shows this job's progress; the job's state then.

        The state comes from the same write, so of this and a cancel
        (ScheduledPostRepository.cancel) the later one sees the other: either
        the cancel finds the message id, or this finds the job cancelled.
        """
        result = await self._session.exec(
            update(PublishJob)
            .where(col(PublishJob.id) == job_id)
            .values(progress_message_id=message_id)
            .returning(col(PublishJob.state))
            .execution_options(synchronize_session=False)
        )
        row = result.first()
        return None if row is None else str(row[0])

    async def mark_notified(self, job_id: int, when: datetime) -> None:
        """The user has been told the final outcome."""
        await self._session.exec(
            update(PublishJob)
            .where(col(PublishJob.id) == job_id)
            .values(notified_at=when)
            .execution_options(synchronize_session=False)
        )

    async def unnotified_final(self, since: datetime, *, limit: int = 50) -> list[PublishJobRecord]:
        """Jobs that ended after `since` whose outcome never reached the user (a crash)."""
        rows = await self._session.exec(
            select(PublishJob)
            .where(
                col(PublishJob.state).in_(FINAL_STATES),
                col(PublishJob.notified_at).is_(None),
                col(PublishJob.finished_at) >= since,
            )
            .order_by(col(PublishJob.id))
            .limit(limit)
        )
        return [self._record(r) for r in rows.all()]

    async def live_media_tokens(self) -> set[str]:
        """Media directories unfinished jobs still need (the rest can be deleted)."""
        rows = await self._session.exec(
            select(PublishJob.media_token).where(
                col(PublishJob.state).not_in(FINAL_STATES),
                col(PublishJob.media_token).is_not(None),
            )
        )
        return {t for t in rows.all() if t}

    async def unfinished_ids(self) -> set[int]:
        """Ids of every unfinished job (their spool files are kept)."""
        rows = await self._session.exec(
            select(PublishJob.id).where(col(PublishJob.state).not_in(FINAL_STATES))
        )
        return {i for i in rows.all() if i is not None}

    async def by_publish_id(self, publish_id: str) -> PublishJobRecord | None:
        """The job that holds TikTok's publish_id, if any."""
        row = (
            await self._session.exec(select(PublishJob).where(PublishJob.publish_id == publish_id))
        ).first()
        return self._record(row) if row is not None else None
