"""Keeping TikTok calls inside its per-token rate limits, across every process.

TikTok counts per access token (one per account): 6 publish inits and 30
status fetches per minute. Several jobs of one account, in one process or in
many, share that budget, so the next free slot per account and endpoint is a
row in the database (storage/repositories/cluster.py): each call books the
slot with one conditional UPDATE and waits for it. Spacing calls evenly
(10 s for inits, 2 s for status) never exceeds the per-minute counts in any
window.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from storage.db import Database
from storage.repositories.cluster import RateBudgetRepository

INIT_PER_MINUTE = 6
STATUS_PER_MINUTE = 30


class SharedPacer:
    """Spaces an account's init and status calls, as one budget for all processes."""

    def __init__(
        self,
        db: Database,
        *,
        status_interval: float = 60.0 / STATUS_PER_MINUTE,
        init_interval: float = 60.0 / INIT_PER_MINUTE,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._status_interval = status_interval
        self._init_interval = init_interval
        # Wall-clock epoch seconds: the only clock every process (and host) shares.
        self._wall = wall

    async def delay(self, key: str, interval: float) -> float:
        """Book the next slot of `key` and return how long to wait for it."""
        now = self._wall()
        # Committed at once, whatever unit of work is open: other processes wait on it.
        async with self._db.separate_transaction() as session:
            slot = await RateBudgetRepository(session).reserve(key, now=now, interval=interval)
        return max(0.0, slot - now)

    async def wait(self, account_id: int) -> None:
        """Wait for the account's next status-fetch slot."""
        await self._sleep(await self.delay(f"status:{account_id}", self._status_interval))

    async def wait_init(self, account_id: int) -> None:
        """Wait for the account's next publish-init slot."""
        await self._sleep(await self.delay(f"init:{account_id}", self._init_interval))

    async def pause(self, account_id: int, seconds: float) -> None:
        """TikTok said 429: no status call for this account for `seconds`, in any process."""
        async with self._db.separate_transaction() as session:
            await RateBudgetRepository(session).hold_until(
                f"status:{account_id}", self._wall() + seconds
            )

    @staticmethod
    async def _sleep(seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds)
