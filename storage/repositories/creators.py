"""Watched creators, their daily snapshots and the alerts sent. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.dialect import upsert_insert
from storage.models_creators import CreatorAlert, CreatorSnapshot, CreatorWatch


@dataclass(frozen=True, slots=True)
class WatchRecord:
    """One creator on one user's watchlist."""

    id: int
    telegram_user_id: int
    chat_id: int
    sec_uid: str
    username: str
    nickname: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CreatorSnapshotRecord:
    """A watched creator's numbers on one day."""

    watch_id: int
    day: date
    taken_at: datetime
    followers: int | None
    following: int | None
    likes: int | None
    videos: int | None
    median_views: int | None


def _watch(row: CreatorWatch) -> WatchRecord:
    assert row.id is not None
    return WatchRecord(
        row.id,
        row.telegram_user_id,
        row.chat_id,
        row.sec_uid,
        row.username,
        row.nickname,
        row.created_at,
    )


def _snapshot(row: CreatorSnapshot) -> CreatorSnapshotRecord:
    return CreatorSnapshotRecord(
        row.watch_id,
        row.day,
        row.taken_at,
        row.followers,
        row.following,
        row.likes,
        row.videos,
        row.median_views,
    )


class WatchRepository:
    """Reads and writes the watchlist tables."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(self, user_id: int, sec_uid: str) -> WatchRecord | None:
        """The user's watch of this creator, if any."""
        row = (
            await self._session.exec(
                select(CreatorWatch).where(
                    CreatorWatch.telegram_user_id == user_id, CreatorWatch.sec_uid == sec_uid
                )
            )
        ).first()
        return _watch(row) if row else None

    async def add(
        self,
        user_id: int,
        *,
        chat_id: int,
        sec_uid: str,
        username: str,
        nickname: str,
        now: datetime,
    ) -> WatchRecord:
        """Put a creator on the user's watchlist."""
        row = CreatorWatch(
            telegram_user_id=user_id,
            chat_id=chat_id,
            sec_uid=sec_uid,
            username=username,
            nickname=nickname,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _watch(row)

    async def count(self, user_id: int) -> int:
        """How many creators the user watches."""
        result = await self._session.exec(
            select(func.count())
            .select_from(CreatorWatch)
            .where(CreatorWatch.telegram_user_id == user_id)
        )
        return int(result.one())

    async def remove(self, user_id: int, watch_id: int) -> WatchRecord | None:
        """Take a watch off the list; None when it is not the user's (or gone already)."""
        row = await self._session.get(CreatorWatch, watch_id)
        if row is None or row.telegram_user_id != user_id:
            return None
        record = _watch(row)
        # Children first: SQLite enforces the foreign key only with PRAGMA foreign_keys.
        for table in (CreatorSnapshot, CreatorAlert):
            await self._session.exec(delete(table).where(col(table.watch_id) == watch_id))
        await self._session.delete(row)
        await self._session.flush()
        return record

    async def of_user(self, user_id: int) -> list[WatchRecord]:
        """The user's watchlist, oldest first."""
        rows = await self._session.exec(
            select(CreatorWatch)
            .where(CreatorWatch.telegram_user_id == user_id)
            .order_by(col(CreatorWatch.id))
        )
        return [_watch(r) for r in rows]

    async def due(self, day: date) -> list[WatchRecord]:
        """Every watch without a snapshot for `day`."""
        taken = select(CreatorSnapshot.watch_id).where(CreatorSnapshot.day == day)
        rows = await self._session.exec(
            select(CreatorWatch)
            .where(col(CreatorWatch.id).not_in(taken))
            .order_by(col(CreatorWatch.id))
        )
        return [_watch(r) for r in rows]

    async def add_snapshot(self, snapshot: CreatorSnapshotRecord) -> bool:
        """Store the day's snapshot unless one exists; True when this call stored it.

        INSERT ... ON CONFLICT DO NOTHING on the (watch, day) constraint, so
        two processes running the daily job cannot both store (or both alert).
        """
        values: dict[str, Any] = {
            "watch_id": snapshot.watch_id,
            "day": snapshot.day,
            "taken_at": snapshot.taken_at,
            "followers": snapshot.followers,
            "following": snapshot.following,
            "likes": snapshot.likes,
            "videos": snapshot.videos,
            "median_views": snapshot.median_views,
        }
        return await self._insert_once(CreatorSnapshot, values, ["watch_id", "day"])

    async def claim_alert(
        self, watch_id: int, aweme_id: str, *, views: int, median_views: int, now: datetime
    ) -> bool:
        """Record that a video is being alerted; False when it was already."""
        values: dict[str, Any] = {
            "watch_id": watch_id,
            "aweme_id": aweme_id,
            "views": views,
            "median_views": median_views,
            "created_at": now,
        }
        return await self._insert_once(CreatorAlert, values, ["watch_id", "aweme_id"])

    async def snapshots(self, watch_id: int, *, since: date) -> list[CreatorSnapshotRecord]:
        """The watch's snapshots from `since` on, oldest first."""
        rows = await self._session.exec(
            select(CreatorSnapshot)
            .where(CreatorSnapshot.watch_id == watch_id, col(CreatorSnapshot.day) >= since)
            .order_by(col(CreatorSnapshot.day))
        )
        return [_snapshot(r) for r in rows]

    async def _insert_once(self, table: Any, values: dict[str, Any], keys: list[str]) -> bool:
        connection = await self._session.connection()
        insert = upsert_insert(connection.dialect.name, table)
        statement = insert.values(**values).on_conflict_do_nothing(index_elements=keys)
        result = await self._session.exec(statement)
        return bool(result.rowcount)
