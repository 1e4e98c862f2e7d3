"""What /healthz reports: can this process reach the database, is its worker alive."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text

from storage.db import Database

DB_CHECK_SECONDS = 3.0


class Heartbeat:
    """When the publishing worker last finished a scan of due jobs."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._last: float | None = None

    def beat(self) -> None:
        """The worker finished a scan."""
        self._last = self._monotonic()

    def age(self) -> float | None:
        """Seconds since the last scan, or None before the first."""
        return None if self._last is None else self._monotonic() - self._last


@dataclass(frozen=True, slots=True)
class Health:
    """One /healthz answer."""

    database: bool
    worker_age: float | None
    worker_max_age: float

    @property
    def worker(self) -> bool:
        """Whether the worker scanned recently enough."""
        return self.worker_age is not None and self.worker_age <= self.worker_max_age

    @property
    def ok(self) -> bool:
        """Healthy: the process can do its work."""
        return self.database and self.worker

    def as_json(self) -> dict[str, object]:
        """The JSON body (no secrets, no hostnames)."""
        return {
            "ok": self.ok,
            "database": "reachable" if self.database else "unreachable",
            "worker": {
                "alive": self.worker,
                "last_scan_seconds_ago": (
                    None if self.worker_age is None else round(self.worker_age, 1)
                ),
            },
        }


async def database_reachable(db: Database) -> bool:
    """One `SELECT 1`, bounded in time."""

    async def ping() -> None:
        async with db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(ping(), DB_CHECK_SECONDS)
    except Exception:  # any failure means "not reachable"; the reason goes to the logs elsewhere
        return False
    return True


async def check(db: Database, heartbeat: Heartbeat, *, worker_max_age: float) -> Health:
    """The process's health now."""
    return Health(await database_reachable(db), heartbeat.age(), worker_max_age)
