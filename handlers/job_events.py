"""The chat side of the publishing worker: its events become one progress message per job.

The worker emits typed events (bot/publishing/events.py); this module words
them with bot/texts (handlers/job_texts.py) and hands the text to the job's
ProgressChannel, which paces edits and survives flood control.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Bot

from bot.publishing.events import JobEvent, JobFinished
from bot.publishing.progress import ProgressChannel, ProgressReporter
from bot.publishing.worker import PublishService
from bot.texts import scheduling as scheduling_texts
from handlers.job_texts import event_text
from handlers.progress import TelegramProgress

# Stores a job's message id; True when the job was cancelled before that.
MessageIdStore = Callable[[int, int], Awaitable[bool]]


class ChatJobEvents:
    """Shows each job's events in its chat (a JobEvents)."""

    def __init__(
        self, reporter: ProgressReporter, *, interval: float, remember: MessageIdStore
    ) -> None:
        self._reporter = reporter
        self._interval = interval
        self._remember = remember
        self._channels: dict[int, ProgressChannel] = {}

    def emit(self, event: JobEvent) -> None:
        """Show a progress event (delivery in the background)."""
        self._channel(event).show(event_text(event))

    async def finish(self, event: JobFinished, *, within: float = 120.0) -> bool:
        """Show the outcome; True once it reached the chat."""
        return await self._channel(event).finish(event_text(event), within=within)

    async def release(self, job_id: int) -> None:
        """Stop delivering for a job this process is done with."""
        channel = self._channels.pop(job_id, None)
        if channel is not None:
            await channel.close()

    async def close(self) -> None:
        """Stop every delivery (shutdown)."""
        for job_id in list(self._channels):
            await self.release(job_id)

    def _channel(self, event: JobEvent) -> ProgressChannel:
        job = event.job
        channel = self._channels.get(job.id)
        if channel is None:
            job_id, kind, label = job.id, job.kind, event.label

            async def remember(message_id: int) -> None:
                if await self._remember(job_id, message_id):
                    # Whoever cancelled it could not edit a message it did not know yet.
                    created.show(scheduling_texts.cancelled(kind, label))

            channel = created = ProgressChannel(
                self._reporter,
                chat_id=job.chat_id,
                message_id=job.progress_message_id,
                interval=self._interval,
                on_message_id=remember,
            )
            self._channels[job.id] = channel
        return channel


def chat_job_events(bot: Bot, publishing: PublishService) -> ChatJobEvents:
    """The chat side for a publishing service, sending through `bot`."""
    return ChatJobEvents(
        TelegramProgress(bot),
        interval=publishing.tuning.progress_interval,
        remember=publishing.remember_progress_message,
    )
