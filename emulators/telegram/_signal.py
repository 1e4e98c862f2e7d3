"""A broadcast wake-up for coroutines waiting on "something changed"."""

from __future__ import annotations

import asyncio


class Signal:
    """Wakes every coroutine currently waiting in :meth:`wait`."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake the current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Wait for the next :meth:`notify`, at most ``seconds``."""
        event = self._event
        try:
            async with asyncio.timeout(max(seconds, 0.0)):
                await event.wait()
        except TimeoutError:
            return
