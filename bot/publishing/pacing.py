"""Keeping status polls inside TikTok's rate limit (30 per minute per token).

Several jobs of one account share the account's token, so the spacing is per
account, not per job: every status fetch for an account waits its turn.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class StatusPacer:
    """Spaces calls per account at least `min_interval` seconds apart."""

    def __init__(
        self, min_interval: float, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._min_interval = min_interval
        self._monotonic = monotonic
        self._next: dict[int, float] = {}

    def delay(self, account_id: int) -> float:
        """Reserve the account's next slot and return how long to wait for it."""
        now = self._monotonic()
        slot = max(now, self._next.get(account_id, now))
        self._next[account_id] = slot + self._min_interval
        return slot - now

    def pause(self, account_id: int, seconds: float) -> None:
        """TikTok said 429: no status call for this account for `seconds` (all its jobs)."""
        resume = self._monotonic() + seconds
        self._next[account_id] = max(self._next.get(account_id, resume), resume)

    async def wait(self, account_id: int) -> None:
        """Wait for the account's next slot."""
        delay = self.delay(account_id)
        if delay > 0:
            await asyncio.sleep(delay)
