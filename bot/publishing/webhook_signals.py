"""In-process wake-ups: a webhook arrived for a publish a run here is waiting on."""

from __future__ import annotations

import asyncio
import contextlib


class PublishSignals:
    """One event per publish_id, set (and replaced) when news about it arrives."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def watch(self, publish_id: str) -> asyncio.Event:
        """The event the next `notify(publish_id)` sets; take it before looking at the DB."""
        event = self._events.get(publish_id)
        if event is None:
            event = self._events[publish_id] = asyncio.Event()
        return event

    def notify(self, publish_id: str) -> None:
        """Wake whoever watches `publish_id`."""
        event = self._events.pop(publish_id, None)
        if event is not None:
            event.set()

    @staticmethod
    async def wait(event: asyncio.Event, seconds: float) -> None:
        """Wait for `event`, at most `seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(seconds, 0.0))
