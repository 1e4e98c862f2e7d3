"""Albums being collected, one row per (user, media_group_id), one item row per message.

Any process may receive any item. Recording an item and moving the album's
last_item_at are single statements; finishing is one conditional UPDATE
(still collecting, quiet long enough) that exactly one process wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, case, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models_cluster import Album, AlbumItem
from storage.repositories.cluster import insert_ignoring_duplicates

COLLECTING = "collecting"
DONE = "done"


@dataclass(frozen=True, slots=True)
class AlbumRecord:
    """An album as stored."""

    id: int
    telegram_user_id: int
    chat_id: int
    media_group_id: str
    status: str
    last_item_at: datetime
    draft_id: int | None


@dataclass(frozen=True, slots=True)
class AlbumItemRecord:
    """One message of an album."""

    message_id: int
    kind: str
    media_json: str
    caption: str | None


def _album(row: Album) -> AlbumRecord:
    assert row.id is not None
    return AlbumRecord(
        row.id,
        row.telegram_user_id,
        row.chat_id,
        row.media_group_id,
        row.status,
        row.last_item_at,
        row.draft_id,
    )


class AlbumRepository:
    """Reads and writes albums and their items; flushes, never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_item(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        media_group_id: str,
        message_id: int,
        kind: str,
        media_json: str,
        caption: str | None,
        now: datetime,
    ) -> AlbumRecord:
        """File one item (a redelivered message counts once) and mark the album's latest arrival."""
        await insert_ignoring_duplicates(
            self._session,
            Album,
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            media_group_id=media_group_id,
            status=COLLECTING,
            last_item_at=now,
        )
        last = col(Album.last_item_at)
        await self._session.exec(
            update(Album)
            .where(
                col(Album.telegram_user_id) == telegram_user_id,
                col(Album.media_group_id) == media_group_id,
                col(Album.status) == COLLECTING,
            )
            .values(last_item_at=case((last < now, now), else_=last))
        )
        album = await self.get(telegram_user_id, media_group_id)
        assert album is not None
        if album.status == COLLECTING:
            await insert_ignoring_duplicates(
                self._session,
                AlbumItem,
                album_id=album.id,
                message_id=message_id,
                kind=kind,
                media_json=media_json,
                caption=caption,
                arrived_at=now,
            )
        return album

    async def get(self, telegram_user_id: int, media_group_id: str) -> AlbumRecord | None:
        """The album of this user and media group."""
        row = (
            await self._session.exec(
                select(Album).where(
                    col(Album.telegram_user_id) == telegram_user_id,
                    col(Album.media_group_id) == media_group_id,
                )
            )
        ).first()
        return _album(row) if row is not None else None

    async def finish(
        self, telegram_user_id: int, media_group_id: str, *, holder: str, quiet_since: datetime
    ) -> bool:
        """Close the album if it is still collecting and nothing arrived after `quiet_since`."""
        result = await self._session.exec(
            update(Album)
            .where(
                col(Album.telegram_user_id) == telegram_user_id,
                col(Album.media_group_id) == media_group_id,
                col(Album.status) == COLLECTING,
                col(Album.last_item_at) <= quiet_since,
            )
            .values(status=DONE, finished_by=holder)
        )
        return isinstance(result, CursorResult) and result.rowcount == 1

    async def items(self, album_id: int) -> list[AlbumItemRecord]:
        """The album's items in the order the user sent them."""
        rows = await self._session.exec(
            select(AlbumItem)
            .where(col(AlbumItem.album_id) == album_id)
            .order_by(col(AlbumItem.message_id))
        )
        return [AlbumItemRecord(r.message_id, r.kind, r.media_json, r.caption) for r in rows.all()]

    async def set_draft(self, album_id: int, draft_id: int | None) -> None:
        """Remember which draft the album became (None: it was refused)."""
        await self._session.exec(
            update(Album).where(col(Album.id) == album_id).values(draft_id=draft_id)
        )

    async def collecting(self) -> list[AlbumRecord]:
        """Albums still arriving (or whose finishing timer died with a process)."""
        rows = await self._session.exec(select(Album).where(col(Album.status) == COLLECTING))
        return [_album(r) for r in rows.all()]
