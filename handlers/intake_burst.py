"""Photos sent one by one in a burst: one "Added" note and one composer, not one each.

Each single photo that joins an open photo post re-arms a short timer (like
an album's); when the burst is quiet, the composer is shown once with the
total. Without this, 40 photos meant 40 creator-info calls to TikTok and 41
messages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from telegram.ext import ContextTypes

from bot.publishing.drafts import DraftNotFound, NotYourDraft
from bot.texts import composer as t
from handlers.boundary import job_in_unit_of_work
from handlers.composer import show_composer
from handlers.context import services

BURST_SETTLE_SECONDS = 1.5


@dataclass(frozen=True, slots=True)
class _Burst:
    draft_id: int
    chat_id: int
    telegram_user_id: int
    added: int
    truncated: bool


def note_added(
    context: ContextTypes.DEFAULT_TYPE,
    *,
    draft_id: int,
    chat_id: int,
    telegram_user_id: int,
    added: int,
    truncated: bool,
) -> None:
    """Count photos into the post's burst and (re)start its quiet timer."""
    queue = context.job_queue
    assert queue is not None, "the job-queue extra is a dependency"
    name = f"burst-{draft_id}"
    burst = _Burst(draft_id, chat_id, telegram_user_id, 0, False)
    for job in queue.get_jobs_by_name(name):
        burst = cast(_Burst, job.data)
        job.schedule_removal()
    burst = replace(burst, added=burst.added + added, truncated=burst.truncated or truncated)
    queue.run_once(job_in_unit_of_work(_settled), BURST_SETTLE_SECONDS, data=burst, name=name)


async def _settled(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The burst is over: say what was added, then show the composer once."""
    job = context.job
    assert job is not None
    burst = cast(_Burst, job.data)
    svc = services(context)
    try:
        draft = await svc.drafts.owned_open(burst.telegram_user_id, burst.draft_id)
    except (DraftNotFound, NotYourDraft):
        return  # posted or cancelled meanwhile: nothing to add to
    if burst.added:
        await context.bot.send_message(
            burst.chat_id,
            t.PHOTOS_ADDED.format(
                added=burst.added, s="" if burst.added == 1 else "s", total=len(draft.media)
            ),
        )
    if burst.truncated:
        await context.bot.send_message(burst.chat_id, t.TOO_MANY_PHOTOS)
    await show_composer(context.bot, svc, burst.telegram_user_id, burst.draft_id)
