"""The hourly clean-up: what several processes leave in the shared database.

Photos of jobs that ended while their process died, finished albums, idle
rate budgets and old periodic-job leases. Runs once per hour across all
processes (ClusterOnce); each step is idempotent, so a run cut short is
simply completed by a later one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.clock import Clock
from storage.crypto import TokenCipher
from storage.db import Database
from storage.media_store import MediaStore
from storage.repositories.housekeeping import (
    delete_finished_albums,
    delete_idle_budgets,
    delete_old_leases,
)
from storage.repositories.publish_jobs import PublishJobRepository

log = logging.getLogger(__name__)

CLEANUP_JOB = "cluster-cleanup"
KEEP = timedelta(days=1)
LEASES_KEPT = timedelta(days=7)


class Cleanup:
    """Deletes leftovers nobody needs (safe to run from any process)."""

    def __init__(
        self, *, db: Database, cipher: TokenCipher, media: MediaStore, clock: Clock
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._media = media
        self._clock = clock

    async def run(self) -> None:
        """One pass over every kind of leftover."""
        now = self._clock()
        async with self._db.transaction() as session:
            live = await PublishJobRepository(session, self._cipher).live_media_tokens()
        await self._media.sweep(live)
        async with self._db.transaction() as session:
            albums = await delete_finished_albums(session, before=now - KEEP)
            budgets = await delete_idle_budgets(
                session, before=now.timestamp() - KEEP.total_seconds()
            )
            leases = await delete_old_leases(session, before=now - LEASES_KEPT)
        log.info("clean-up: %s albums, %s rate budgets, %s leases removed", albums, budgets, leases)
