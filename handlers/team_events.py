"""Job events for team posts: when an approved post ends, its group card and editor hear it.

Wraps the chat side of the worker (any JobEvents); the job's own chat (the
owner's) is told as usual first.
"""

from __future__ import annotations

import asyncio
import functools

from telegram import Bot

from bot.publishing.events import JobEvent, JobEvents, JobFinished, JobQueued
from bot.publishing.jobs import JobState
from bot.teams import TeamService
from handlers.teams import tell_owner, tell_submitter, update_card


class TeamJobEvents:
    """A JobEvents that also finishes a team request's card."""

    def __init__(self, inner: JobEvents, teams: TeamService, bot: Bot) -> None:
        self._inner = inner
        self._teams = teams
        self._bot = bot
        # The "posting…" edit of each queued team job, awaited before its outcome's edit.
        self._queued: dict[int, asyncio.Task[None]] = {}

    def emit(self, event: JobEvent) -> None:
        """Show a progress event in the owner's chat; a queued team post marks its card."""
        self._inner.emit(event)
        if isinstance(event, JobQueued):
            job_id = event.job.id
            task = asyncio.get_running_loop().create_task(self._approved(job_id))
            self._queued[job_id] = task
            task.add_done_callback(functools.partial(self._forget, job_id))

    def _forget(self, job_id: int, task: asyncio.Task[None]) -> None:
        if self._queued.get(job_id) is task:
            del self._queued[job_id]

    async def _approved(self, job_id: int) -> None:
        """One edit of the card: "approved, posting…" (the link comes with the outcome)."""
        card = await self._teams.card_of_job(job_id)
        if card is not None:
            await update_card(self._bot, card, "approved")

    async def finish(self, event: JobFinished, *, within: float = 120.0) -> bool:
        """Show the outcome to the owner, then on the card and to the editor."""
        delivered = await self._inner.finish(event, within=within)
        job = event.job
        queued = self._queued.pop(job.id, None)
        if queued is not None:  # never let "posting…" land after the link
            await asyncio.gather(queued, return_exceptions=True)
        posted = job.state in (JobState.PUBLISHED, JobState.IN_INBOX)
        card = await self._teams.job_finished(job.id, posted=posted, share_url=job.share_url)
        if card is not None:
            status = "approved" if posted else "failed"
            await update_card(self._bot, card, status)
            await tell_submitter(
                self._bot, card, "posted" if job.share_url else status, job.share_url
            )
            await tell_owner(self._bot, card, job.share_url if posted else None)
        return delivered

    async def release(self, job_id: int) -> None:
        """This process is done with the job."""
        await self._inner.release(job_id)

    async def close(self) -> None:
        """Stop everything (shutdown)."""
        for task in self._queued.values():
            task.cancel()
        await asyncio.gather(*self._queued.values(), return_exceptions=True)
        self._queued.clear()
        await self._inner.close()
