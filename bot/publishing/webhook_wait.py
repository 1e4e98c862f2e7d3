"""Waiting for a publish's outcome when TikTok's webhooks are on.

The event is the news; status/fetch becomes a slow safety net (a lost
webhook, a misconfigured URL): the first poll only after `first_poll`
seconds, then every `poll_every`. Between polls the run waits for a wake-up
from this process's webhook route, and looks at the stored events every
`check_every` seconds in case another process received the webhook.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.publishing.webhooks import WebhookService
from bot.tiktok import PublishStatus


@dataclass(slots=True)
class WebhookTuning:
    """Timings of the safety-net polling (real seconds); tests shrink them."""

    first_poll: float = 60.0
    poll_every: float = 180.0
    check_every: float = 5.0


class OutcomeWatch:
    """One run's wait for one publish: webhook news first, a status poll now and then."""

    def __init__(self, service: WebhookService, tuning: WebhookTuning, publish_id: str) -> None:
        self._service = service
        self._tuning = tuning
        self._publish_id = publish_id
        self._next_poll = time.monotonic() + tuning.first_poll
        self._last: PublishStatus | None = None

    async def next_status(self, poll: Callable[[], Awaitable[PublishStatus]]) -> PublishStatus:
        """The next news about the publish: a new webhook outcome, or a poll when one is due."""
        while True:
            woken = self._service.signals.watch(self._publish_id)
            status = await self._service.publish_status(self._publish_id)
            if status is not None and status != self._last:
                self._last = status
                return status
            now = time.monotonic()
            if now >= self._next_poll:
                self._next_poll = now + self._tuning.poll_every
                return await poll()
            wait = min(self._tuning.check_every, self._next_poll - now)
            await self._service.signals.wait(woken, wait)


class WebhookOutcomes:
    """What the publishing worker holds when webhooks are on: makes one watch per run."""

    def __init__(self, service: WebhookService, tuning: WebhookTuning | None = None) -> None:
        self.service = service
        self.tuning = tuning or WebhookTuning()

    def watch(self, publish_id: str) -> OutcomeWatch:
        """A fresh watch for a run that is about to wait on `publish_id`."""
        return OutcomeWatch(self.service, self.tuning, publish_id)
