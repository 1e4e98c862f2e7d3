"""One run of one publish job, under a lease held by the worker.

A run picks the job up where its row says it is and goes as far as it can:

- no publish_id yet: get the media, check it, init, and save the publish_id
  at once in its own committed transaction;
- a publish_id and an unfinished upload: ask TikTok how many bytes it holds
  and continue from there with the stored upload URL; only when TikTok says
  the upload was cancelled (FAILED/publish_cancelled, after the URL expired)
  is a fresh init made — the one case where TikTok confirms nothing can be
  posted from the old one;
- then poll status until TikTok gives the outcome or the deadline passes.

Temporary trouble (TikTok down, rate limits, a dropped download) ends the run
with the job rescheduled (`not_before`), the lease given back; the next run
resumes from the stored state. Every write checks the lease, so a worker that
lost its claim stops instead of fighting the new owner.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from bot.errors import AccountNeedsRelink, ErrorAction, policy_of
from bot.publishing.choices import MediaKind, PrivacyLevel
from bot.publishing.events import (
    JobFinished,
    JobStateShown,
    Processing,
    RetryScheduled,
)
from bot.publishing.jobs import JobState
from bot.publishing.outcomes import JobEnds, Outcome, classify_failure
from bot.publishing.photo_steps import PhotoSteps
from bot.publishing.run_state import (
    FAILED,
    PUBLISH_COMPLETE,
    SEND_TO_USER_INBOX,
    LeaseLost,
    RunContext,
)
from bot.publishing.sources import (
    remove_spool,
)
from bot.publishing.video_steps import VideoSteps
from bot.scheduling.due_gate import SCHEDULED_AFTER, JobHeld
from bot.scheduling.events import PostHeld
from bot.tiktok import (
    AccessTokenInvalid,
    PublishStatus,
    RateLimited,
    TikTokError,
    TikTokUnavailable,
)
from storage.repositories.publish_jobs import PublishJobRepository
from storage.repositories.scheduled_posts import ScheduledPostRepository

__all__ = ["JobRun", "LeaseLost", "RunContext"]

log = logging.getLogger(__name__)


class JobRun(VideoSteps, PhotoSteps):
    """Runs one job once, from wherever it stands."""

    # -- entry -----------------------------------------------------------------

    async def run(self) -> None:
        """Advance the job as far as possible; raises only LeaseLost and cancellation."""
        try:
            outcome = await self._advance()
        except (LeaseLost, asyncio.CancelledError):
            raise
        except JobHeld as held:
            await self._hold(held.code)
            return
        except Exception as exc:
            verdict = classify_failure(exc, started=self.job.publish_id is not None)
            if not policy_of(exc).expected:
                log.exception("job %s: unexpected error", self.job.id, exc_info=exc)
            elif policy_of(exc).action is ErrorAction.BUG:
                log.error("job %s: TikTok rejected our request: %s", self.job.id, exc)
            if isinstance(verdict, JobEnds):
                await self._retry_later(verdict.code)
                return
            outcome = verdict
        await self._end(outcome)

    async def _advance(self) -> Outcome:
        if self._account is None:
            raise JobEnds.failed("account_gone")
        state = JobState(self.job.state)
        self._events.emit(JobStateShown(self.job, self._label))
        if state is not JobState.PROCESSING:
            await self._check_due()
            if self._request.kind is MediaKind.VIDEO:
                await self._video()
            else:
                await self._photos()
        return await self._await_outcome()

    # -- outcome ---------------------------------------------------------------

    async def _await_outcome(self) -> Outcome:
        """Poll status with backoff until TikTok gives a final answer."""
        tuning = self._ctx.tuning
        since = self.job.processing_since or self._ctx.clock()
        interval = tuning.poll_min_interval
        trouble = 0
        complete_at = None
        self._events.emit(Processing(self.job, self._label))
        assert self.job.publish_id is not None
        self._ctx.on_waiting(self.job.id)
        watch = self._ctx.webhooks.watch(self.job.publish_id) if self._ctx.webhooks else None
        while True:
            if (self._ctx.clock() - since).total_seconds() > tuning.processing_deadline:
                return Outcome(JobState.UNCONFIRMED, "deadline")
            try:
                status = await (watch.next_status(self._status) if watch else self._status())
            except (RateLimited, TikTokUnavailable, AccessTokenInvalid):
                # Keep polling slower; say so only when it persists.
                trouble += 1
                if trouble == tuning.tell_after_attempts:
                    self._events.emit(Processing(self.job, self._label, slow=True))
                interval = min(interval * 2, tuning.poll_max_interval * 2)
                await asyncio.sleep(interval)
                continue
            if trouble >= tuning.tell_after_attempts:
                self._events.emit(Processing(self.job, self._label))
            trouble = 0
            if status.status == PUBLISH_COMPLETE:
                complete_at = complete_at or self._ctx.clock()
                outcome = await self._published(status, complete_at)
                if outcome is not None:
                    return outcome
            elif status.status == SEND_TO_USER_INBOX:
                return Outcome(JobState.IN_INBOX)
            elif status.status == FAILED:
                return Outcome(JobState.FAILED, status.fail_reason or "internal")
            interval = tuning.poll_min_interval
            if watch is None:  # a watch does its own waiting
                elapsed = (self._ctx.clock() - since).total_seconds()
                await asyncio.sleep(self._ctx.poll_schedule.delay(elapsed))

    async def _published(self, status: PublishStatus, complete_at: Any) -> Outcome | None:
        """The outcome of a completed post, or None to wait for a late post id."""
        if status.share_url:
            post_id = status.post_ids[0] if status.post_ids else None
            return Outcome(JobState.PUBLISHED, post_id=post_id, share_url=status.share_url)
        if status.post_ids:
            post_id = status.post_ids[0]
            share_url = await self._share_url(post_id)
            code = None if share_url else "no_link"
            return Outcome(JobState.PUBLISHED, code, post_id=post_id, share_url=share_url)
        if self._request.choices.privacy_level is PrivacyLevel.SELF_ONLY:
            return Outcome(JobState.PUBLISHED, "private")  # TikTok never gives these an id
        waited = (self._ctx.clock() - complete_at).total_seconds()
        if waited >= self._ctx.tuning.post_id_grace:
            return Outcome(JobState.PUBLISHED, "no_link")
        return None  # public ids "may arrive minutes late"

    async def _share_url(self, post_id: str) -> str | None:
        """The post's link from /v2/video/query/ (needs the video.list scope)."""
        if self._account is None or "video.list" not in self._account.scopes:
            return None
        try:
            videos = await self._tiktok(lambda token: self._ctx.videos.query(token, [post_id]))
        except (TikTokError, AccountNeedsRelink) as exc:
            log.info("job %s: no share_url from video/query: %s", self.job.id, exc)
            return None
        return next((v.share_url for v in videos if v.id == post_id and v.share_url), None)

    async def _check_due(self) -> None:
        """A scheduled post that has not reached TikTok: is it still allowed as chosen?"""
        gate, job = self._ctx.due_gate, self.job
        if gate is None or job.publish_id is not None:
            return
        if job.not_before - job.created_at < SCHEDULED_AFTER:
            return
        refusal = await gate.refusal(job.account_id, self._request)
        if refusal is not None:
            raise JobHeld(refusal)

    # -- endings ---------------------------------------------------------------

    async def _hold(self, code: str) -> None:
        """Keep a scheduled post TikTok would refuse in the queue, and say why."""
        async with self._ctx.db.transaction() as session:
            held = await ScheduledPostRepository(session).hold(
                self.job.id, owner=self._ctx.owner, code=code
            )
        if not held:
            raise LeaseLost(str(self.job.id))
        self.job = replace(self.job, state=JobState.HELD.value, outcome_code=code)
        self._ctx.on_change(self.job.id)
        log.info("job %s held: %s", self.job.id, code)
        self._events.emit(PostHeld(self.job, self._label, code=code))

    async def _retry_later(self, code: str) -> None:
        tuning = self._ctx.tuning
        attempts = self.job.attempts + 1
        if attempts >= tuning.job_max_attempts:
            state = JobState.UNCONFIRMED if self.job.publish_id else JobState.FAILED
            await self._end(Outcome(state, code))
            return
        delay = min(tuning.job_retry_base * 2 ** (attempts - 1), tuning.job_retry_max)
        log.info("job %s: %s, retrying in %.0f s (attempt %s)", self.job.id, code, delay, attempts)
        await self._save(attempts=attempts, not_before=self._now_plus(delay), outcome_code=code)
        if attempts >= tuning.tell_after_attempts:
            self._events.emit(RetryScheduled(self.job, self._label, code=code, delay=delay))

    async def _end(self, outcome: Outcome) -> None:
        await self._save(
            state=outcome.state.value,
            outcome_code=outcome.code,
            post_id=outcome.post_id,
            share_url=outcome.share_url,
            finished_at=self._ctx.clock(),
            upload_url=None,
        )
        log.info("job %s ended %s (%s)", self.job.id, outcome.state.value, outcome.code or "-")
        remove_spool(self._spool_path)
        await self._remove_media()
        privacy = self._request.choices.privacy_level
        finished = JobFinished(
            self.job,
            self._label,
            username=self._account.username if self._account else None,
            privacy_level=privacy.value if privacy else None,
        )
        if await self._events.finish(finished):
            async with self._ctx.db.transaction() as session:
                await PublishJobRepository(session, self._ctx.cipher).mark_notified(
                    self.job.id, self._ctx.clock()
                )
