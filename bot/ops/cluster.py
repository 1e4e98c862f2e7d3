"""Periodic jobs that must run once across all processes (a database lease per job and period).

Every process schedules the same jobs; when one fires, the process first
takes the (job, period) lease: one INSERT that only one process can win.
The winner runs the job and marks the period done; the others skip it. A
winner that dies mid-job leaves the lease unfinished, and once it runs out
the next process to fire the job for that period takes over.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.clock import Clock
from storage.db import Database
from storage.repositories.cluster import ClusterLeaseRepository

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=30)


class ClusterOnce:
    """Runs a periodic job at most once per period across every process sharing the database."""

    def __init__(
        self, db: Database, *, holder: str, clock: Clock, lease: timedelta = DEFAULT_LEASE
    ) -> None:
        self._db = db
        self._holder = holder
        self._clock = clock
        self._lease = lease

    async def run(self, job: str, period: str, work: Callable[[], Awaitable[object]]) -> bool:
        """Run `work` if this process wins (job, period); False when another process has it."""
        now = self._clock()
        # Leases commit on their own: the other processes decide by them.
        async with self._db.separate_transaction() as session:
            won = await ClusterLeaseRepository(session).acquire(
                job, period, holder=self._holder, now=now, until=now + self._lease
            )
        if not won:
            log.info("%s for %s: another process has it", job, period)
            return False
        await work()
        async with self._db.separate_transaction() as session:
            await ClusterLeaseRepository(session).finish(job, period, holder=self._holder)
        return True
