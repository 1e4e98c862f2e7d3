"""Scheduled and running posts as /queue shows and changes them.

Reads and conditional writes on publish_jobs for the queue only; the worker's
own reads and writes stay in publish_jobs.py. Every change here applies only
while the job has not reached TikTok (no publish_id) and no worker holds it,
so a tap can never race a running upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import CursorResult
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models_publishing import PublishJob
from storage.types import utcnow

QUEUED = "queued"
HELD = "held"
CANCELLED = "cancelled"
# Kept in step with bot.publishing.jobs (storage does not import the domain).
WAITING_STATES = (QUEUED, HELD)
OPEN_STATES = (QUEUED, HELD, "downloading", "uploading", "processing")


@dataclass(frozen=True, slots=True)
class ScheduledPost:
    """One unfinished job as the queue lists it."""

    id: int
    telegram_user_id: int
    chat_id: int
    account_id: int
    kind: str
    state: str
    not_before: datetime
    request_json: str
    publish_id: str | None
    lease_until: datetime | None
    outcome_code: str | None
    progress_message_id: int | None


def _post(row: PublishJob) -> ScheduledPost:
    assert row.id is not None
    return ScheduledPost(
        id=row.id,
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        account_id=row.account_id,
        kind=row.kind,
        state=row.state,
        not_before=row.not_before,
        request_json=row.request_json,
        publish_id=row.publish_id,
        lease_until=row.lease_until,
        outcome_code=row.outcome_code,
        progress_message_id=row.progress_message_id,
    )


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A waiting job just cancelled, with its chat message id as stored at that moment."""

    progress_message_id: int | None


def _changed(result: object) -> bool:
    return isinstance(result, CursorResult) and result.rowcount == 1


class ScheduledPostRepository:
    """The queue's view of publish_jobs; flushes, never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def open_for_user(self, telegram_user_id: int, *, limit: int = 30) -> list[ScheduledPost]:
        """The user's unfinished posts, soonest first."""
        rows = await self._session.exec(
            select(PublishJob)
            .where(
                PublishJob.telegram_user_id == telegram_user_id,
                col(PublishJob.state).in_(OPEN_STATES),
            )
            .order_by(col(PublishJob.not_before), col(PublishJob.id))
            .limit(limit)
        )
        return [_post(r) for r in rows.all()]

    async def waiting_for_account(self, account_id: int) -> list[ScheduledPost]:
        """An account's posts that have not started (scheduled or on hold)."""
        rows = await self._session.exec(
            select(PublishJob)
            .where(
                PublishJob.account_id == account_id,
                col(PublishJob.state).in_(WAITING_STATES),
                col(PublishJob.publish_id).is_(None),
            )
            .order_by(col(PublishJob.not_before), col(PublishJob.id))
        )
        return [_post(r) for r in rows.all()]

    async def get(self, job_id: int) -> ScheduledPost | None:
        """One job by id."""
        row = await self._session.get(PublishJob, job_id, populate_existing=True)
        return _post(row) if row is not None else None

    def _waiting(self, job_id: int, now: datetime) -> object:
        return and_(
            col(PublishJob.id) == job_id,
            col(PublishJob.state).in_(WAITING_STATES),
            col(PublishJob.publish_id).is_(None),
            or_(col(PublishJob.lease_until).is_(None), col(PublishJob.lease_until) < now),
        )

    async def move(self, job_id: int, *, when: datetime, now: datetime) -> bool:
        """Set a waiting job's due time (and take it off hold); whether it was waiting."""
        result = await self._session.exec(
            update(PublishJob)
            .where(self._waiting(job_id, now))  # type: ignore[arg-type]
            .values(
                state=QUEUED, not_before=when, attempts=0, outcome_code=None, updated_at=utcnow()
            )
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def replace_request(self, job_id: int, *, request_json: str, now: datetime) -> bool:
        """Store an edited request on a waiting job; whether it was waiting."""
        result = await self._session.exec(
            update(PublishJob)
            .where(self._waiting(job_id, now))  # type: ignore[arg-type]
            .values(request_json=request_json, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def cancel(self, job_id: int, *, now: datetime, code: str) -> Cancellation | None:
        """End a waiting job as cancelled (told in the chat already); None if it was not waiting.

        The message id comes from the cancelling write itself, so it is the one
        stored when the job ended, not one read before (see set_progress_message).
        """
        result = await self._session.exec(
            update(PublishJob)
            .where(self._waiting(job_id, now))  # type: ignore[arg-type]
            .values(
                state=CANCELLED,
                outcome_code=code,
                finished_at=now,
                notified_at=now,
                updated_at=utcnow(),
            )
            .returning(col(PublishJob.progress_message_id))
            .execution_options(synchronize_session=False)
        )
        row = result.first()
        return None if row is None else Cancellation(row[0])

    async def hold(self, job_id: int, *, owner: str, code: str) -> bool:
        """Put a job the caller holds the lease of on hold with `code`."""
        result = await self._session.exec(
            update(PublishJob)
            .where(
                col(PublishJob.id) == job_id,
                col(PublishJob.lease_owner) == owner,
                col(PublishJob.publish_id).is_(None),
            )
            .values(state=HELD, outcome_code=code, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return _changed(result)
