"""Coordination rows shared by every process: periodic-job leases and rate budgets.

Each method is one or two statements whose outcome the database decides
(a unique key, a conditional UPDATE), so racing processes agree without
talking to each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, case, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.dialect import dialect_of, upsert_insert
from storage.models_cluster import ClusterLease, RateBudget


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


async def insert_ignoring_duplicates(session: AsyncSession, model: Any, **values: Any) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING (PostgreSQL and SQLite); True if the row is new."""
    statement = upsert_insert(dialect_of(session), model)
    result = await session.exec(statement.values(**values).on_conflict_do_nothing())
    return _rowcount(result) == 1


class ClusterLeaseRepository:
    """Who runs a periodic job for a period."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def acquire(
        self, job: str, period: str, *, holder: str, now: datetime, until: datetime
    ) -> bool:
        """Take the (job, period) lease: new, or left unfinished by a holder whose lease ran out."""
        if await insert_ignoring_duplicates(
            self._session,
            ClusterLease,
            job=job,
            period=period,
            holder=holder,
            lease_until=until,
            done=False,
        ):
            return True
        taken = await self._session.exec(
            update(ClusterLease)
            .where(
                col(ClusterLease.job) == job,
                col(ClusterLease.period) == period,
                col(ClusterLease.done).is_(False),
                col(ClusterLease.lease_until) < now,
            )
            .values(holder=holder, lease_until=until)
        )
        return _rowcount(taken) == 1

    async def finish(self, job: str, period: str, *, holder: str) -> None:
        """The holder completed the job for the period: nobody runs it again."""
        await self._session.exec(
            update(ClusterLease)
            .where(
                col(ClusterLease.job) == job,
                col(ClusterLease.period) == period,
                col(ClusterLease.holder) == holder,
            )
            .values(done=True)
        )


class RateBudgetRepository:
    """Call slots of rate-limited endpoints, spaced across every process."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def reserve(self, key: str, *, now: float, interval: float) -> float:
        """Book the next free slot (epoch seconds) and move the key's next slot `interval` on."""
        await insert_ignoring_duplicates(self._session, RateBudget, key=key, next_at=0.0)
        next_at = col(RateBudget.next_at)
        later = case((next_at > now, next_at), else_=now)
        booked = await self._session.exec(
            update(RateBudget)
            .where(col(RateBudget.key) == key)
            .values(next_at=later + interval)
            .returning(next_at)
        )
        return float(booked.scalar_one()) - interval

    async def hold_until(self, key: str, until: float) -> None:
        """No slot for `key` before `until` (TikTok answered 429)."""
        await insert_ignoring_duplicates(self._session, RateBudget, key=key, next_at=until)
        next_at = col(RateBudget.next_at)
        later = case((next_at > until, next_at), else_=until)
        await self._session.exec(
            update(RateBudget).where(col(RateBudget.key) == key).values(next_at=later)
        )
