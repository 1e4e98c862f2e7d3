"""Job events that need scheduling's words: a scheduled post's time in the user's zone, a hold.

Wraps the chat side of the worker (handlers/job_events.py): a post queued for
later is shown with its time on the user's clock (the zone is read from the
user's settings), and a post held at its due time says why and what to do.
Every other event is shown as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Bot

from bot.publishing.events import JobEvent, JobQueued
from bot.publishing.progress import ProgressReporter
from bot.publishing.worker import PublishService
from bot.scheduling.events import PostHeld
from bot.scheduling.times import local
from bot.scheduling.zones import TimeZoneChoice
from bot.texts import scheduling as t
from handlers.job_events import ChatJobEvents, MessageIdStore
from handlers.progress import TelegramProgress

ZoneOf = Callable[[int], Awaitable[TimeZoneChoice | None]]
UTC_ZONE = TimeZoneChoice("UTC")


class ScheduleAwareJobEvents(ChatJobEvents):
    """ChatJobEvents that words scheduled and held posts itself."""

    def __init__(
        self,
        reporter: ProgressReporter,
        *,
        interval: float,
        remember: MessageIdStore,
        zone_of: ZoneOf,
    ) -> None:
        super().__init__(reporter, interval=interval, remember=remember)
        self._zone_of = zone_of
        self._pending: set[asyncio.Task[None]] = set()

    def emit(self, event: JobEvent) -> None:
        """Show a progress event (delivery in the background)."""
        if isinstance(event, PostHeld):
            self._channel(event).show(t.held(event.job.kind, event.label, event.code))
            return
        if isinstance(event, JobQueued) and event.due is not None:
            task = asyncio.get_running_loop().create_task(self._scheduled(event))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
            return
        super().emit(event)

    async def _scheduled(self, event: JobQueued) -> None:
        assert event.due is not None
        zone = await self._zone_of(event.job.telegram_user_id) or UTC_ZONE
        when = t.moment(local(event.due, zone), zone.name)
        self._channel(event).show(t.scheduled_for(event.job.kind, event.label, when))

    async def close(self) -> None:
        """Stop every delivery (shutdown)."""
        for task in list(self._pending):
            task.cancel()
        await asyncio.gather(*self._pending, return_exceptions=True)
        await super().close()


def schedule_aware_job_events(
    bot: Bot, publishing: PublishService, zone_of: ZoneOf
) -> ScheduleAwareJobEvents:
    """The chat side for a publishing service, with scheduled posts in the user's zone."""
    return ScheduleAwareJobEvents(
        TelegramProgress(bot),
        interval=publishing.tuning.progress_interval,
        remember=publishing.remember_progress_message,
        zone_of=zone_of,
    )
