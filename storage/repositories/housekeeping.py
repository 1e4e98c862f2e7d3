"""Deleting coordination rows nobody needs any more (run hourly, once across processes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models_cluster import Album, AlbumItem, ClusterLease, RateBudget
from storage.repositories.albums import DONE


def _count(result: object) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


async def delete_finished_albums(session: AsyncSession, *, before: datetime) -> int:
    """Albums finished (and their items) whose last item arrived before `before`."""
    old = select(Album.id).where(col(Album.status) == DONE, col(Album.last_item_at) < before)
    await session.exec(delete(AlbumItem).where(col(AlbumItem.album_id).in_(old)))
    return _count(await session.exec(delete(Album).where(col(Album.id).in_(old))))


async def delete_idle_budgets(session: AsyncSession, *, before: float) -> int:
    """Rate budgets whose next slot is long past (the account has been idle)."""
    return _count(await session.exec(delete(RateBudget).where(col(RateBudget.next_at) < before)))


async def delete_old_leases(session: AsyncSession, *, before: datetime) -> int:
    """Periodic-job leases of periods long over."""
    return _count(
        await session.exec(delete(ClusterLease).where(col(ClusterLease.lease_until) < before))
    )
