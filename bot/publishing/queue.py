"""The queue side of publishing: a Post tap becomes a durable job row.

The job is a row first (so a crash loses nothing, and the draft's unique key
turns a double tap into one job), written in the caller's unit of work; the
worker is woken once that commits (docs/job-state-machine.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.clock import Clock
from bot.errors import AccountNotFound
from bot.publishing.jobs import JobState
from bot.publishing.requests import PublishRequest
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import AccountRepository, LinkedAccount
from storage.repositories.publish_jobs import PublishJobRecord, PublishJobRepository

log = logging.getLogger(__name__)

Queued = Callable[[PublishJobRecord, LinkedAccount, bool], None]


class JobQueue:
    """Stores publish jobs; `on_queued(job, account, scheduled)` runs after commit."""

    def __init__(
        self, *, db: Database, cipher: TokenCipher, clock: Clock, on_queued: Queued
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._on_queued = on_queued

    async def remember_progress_message(self, job_id: int, message_id: int) -> bool:
        """Store which chat message shows a job's progress; True if the job was cancelled first.

        A job cancelled between its message's send and this write (access
        removed in TikTok at that moment) left a message nobody could edit:
        the caller then shows the cancellation in it.
        """
        async with self._db.transaction() as session:
            state = await PublishJobRepository(session, self._cipher).set_progress_message(
                job_id, message_id
            )
        return state == JobState.CANCELLED.value

    # -- the composer's side ---------------------------------------------------

    async def submit(self, request: PublishRequest, *, not_before: datetime | None = None) -> int:
        """Store a publish job for `request`; returns the job id.

        Runs in the caller's unit of work (the draft's OPEN -> SUBMITTED move
        and the job row commit together); the worker is woken and the user
        shown "queued" only once that commits. Idempotent per draft: a
        second submit of the same draft returns the first job's id.
        `not_before` schedules the post for later.
        """
        if not request.media:
            raise ValueError("a publish request needs media")
        now = self._clock()
        due = not_before if not_before is not None and not_before > now else now
        try:
            job, account, created = await self._insert(request, due)
        except IntegrityError:
            # Two submits of one draft raced for its unique key (only possible
            # without the draft's OPEN -> SUBMITTED guard around the call).
            async with self._db.transaction() as session:
                winner = await PublishJobRepository(session, self._cipher).by_draft(
                    request.draft_id
                )
            assert winner is not None
            return winner.id
        if created:
            self._db.after_commit(lambda: self._on_queued(job, account, due > now))
        return job.id

    async def _insert(
        self, request: PublishRequest, due: datetime
    ) -> tuple[PublishJobRecord, LinkedAccount, bool]:
        """The draft's job, inserted unless it exists; and whether it was inserted."""
        async with self._db.transaction() as session:
            jobs = PublishJobRepository(session, self._cipher)
            existing = await jobs.by_draft(request.draft_id)
            account = await AccountRepository(session, self._cipher).get_owned(
                request.telegram_user_id, request.account_id
            )
            if account is None:
                raise AccountNotFound(str(request.account_id))
            if existing is not None:
                return existing, account, False
            job = await jobs.add(
                draft_id=request.draft_id,
                telegram_user_id=request.telegram_user_id,
                chat_id=request.chat_id,
                account_id=request.account_id,
                kind=request.kind.value,
                mode=request.choices.mode.value,
                request_json=request.to_json(),
                state=JobState.QUEUED.value,
                not_before=due,
            )
        return job, account, True

    async def job(self, job_id: int) -> PublishJobRecord | None:
        """A job as stored now."""
        async with self._db.transaction() as session:
            return await PublishJobRepository(session, self._cipher).get(job_id)
