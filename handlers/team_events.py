"""Job events for team posts: when an approved post ends, its group card and editor hear it.

Wraps the chat side of the worker (any JobEvents); the job's own chat (the
owner's) is told as usual first.
"""

from __future__ import annotations

from telegram import Bot

from bot.publishing.events import JobEvent, JobEvents, JobFinished
from bot.publishing.jobs import JobState
from bot.teams import TeamService
from handlers.teams import tell_submitter, update_card


class TeamJobEvents:
    """A JobEvents that also finishes a team request's card."""

    def __init__(self, inner: JobEvents, teams: TeamService, bot: Bot) -> None:
        self._inner = inner
        self._teams = teams
        self._bot = bot

    def emit(self, event: JobEvent) -> None:
        """Show a progress event (the owner's chat only)."""
        self._inner.emit(event)

    async def finish(self, event: JobFinished, *, within: float = 120.0) -> bool:
        """Show the outcome to the owner, then on the card and to the editor."""
        delivered = await self._inner.finish(event, within=within)
        job = event.job
        posted = job.state in (JobState.PUBLISHED, JobState.IN_INBOX)
        card = await self._teams.job_finished(job.id, posted=posted, share_url=job.share_url)
        if card is not None:
            status = "approved" if posted else "failed"
            await update_card(self._bot, card, status)
            await tell_submitter(
                self._bot, card, "posted" if job.share_url else status, job.share_url
            )
        return delivered

    async def release(self, job_id: int) -> None:
        """This process is done with the job."""
        await self._inner.release(job_id)

    async def close(self) -> None:
        """Stop everything (shutdown)."""
        await self._inner.close()
