"""Albums collected in the database, so one album is one post whichever process gets each item.

Telegram sends an album as separate messages sharing `media_group_id`, with
no count and no "last" marker, and in webhook mode with several processes the
items land on different processes. Each item is a row; the album's
`last_item_at` moves with every arrival. The process that received an item
checks back once the album has been quiet for `settle_seconds` (measured from
the last item's arrival, wherever it arrived); closing the album is one
conditional UPDATE that exactly one process wins, and the winner turns all
the items into one draft in the same transaction (a crash rolls both back,
and another check finishes the album).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.publishing.choices import MediaKind, MediaRef, PostChoices
from bot.publishing.composer import MAX_PHOTOS
from bot.publishing.draft_base import initial_text
from storage.db import Database
from storage.repositories import DraftRepository, DraftRow
from storage.repositories.albums import COLLECTING, AlbumRecord, AlbumRepository
from storage.repositories.drafts import OPEN

Refusal = Literal["mixed", "several_videos"]


@dataclass(frozen=True, slots=True)
class AlbumSettled:
    """What a check found: wait longer, nothing (another process finished it), or the result."""

    wait: float | None = None  # seconds until the album may be quiet
    draft: DraftRow | None = None
    refused: Refusal | None = None
    chat_id: int | None = None
    truncated: bool = False  # more than MAX_PHOTOS photos: the first ones were kept


class AlbumService:
    """Collects album items from any process and finishes each album once."""

    def __init__(
        self, *, db: Database, clock: Clock, holder: str, settle_seconds: float = 1.5
    ) -> None:
        self._db = db
        self._clock = clock
        self._holder = holder
        self.settle_seconds = settle_seconds

    async def add(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        media_group_id: str,
        message_id: int,
        kind: MediaKind,
        ref: MediaRef,
        caption: str | None,
    ) -> bool:
        """File one album item; False if the album was already finished (a straggler)."""
        # Committed at once: another process's check must see this item (or wait for it).
        async with self._db.separate_transaction() as session:
            album = await AlbumRepository(session).record_item(
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                media_group_id=media_group_id,
                message_id=message_id,
                kind=kind.value,
                media_json=json.dumps(ref.to_dict()),
                caption=caption,
                now=self._clock(),
            )
        return album.status == COLLECTING

    async def settle(self, telegram_user_id: int, media_group_id: str) -> AlbumSettled:
        """Finish the album if it has been quiet long enough and no other process did."""
        now = self._clock()
        quiet_since = now - timedelta(seconds=self.settle_seconds)
        async with self._db.transaction() as session:
            albums = AlbumRepository(session)
            # The write comes first: SQLite then takes its write lock before any read.
            won = await albums.finish(
                telegram_user_id, media_group_id, holder=self._holder, quiet_since=quiet_since
            )
            album = await albums.get(telegram_user_id, media_group_id)
            if album is None:
                return AlbumSettled()
            if won:
                return await self._draft_from(session, album)
            if album.status != COLLECTING:
                return AlbumSettled()  # another process finished it
            left = (album.last_item_at - quiet_since).total_seconds()
            return AlbumSettled(wait=max(left, 0.05))

    async def _draft_from(self, session: AsyncSession, album: AlbumRecord) -> AlbumSettled:
        albums = AlbumRepository(session)
        items = await albums.items(album.id)
        kinds = {item.kind for item in items}
        if len(kinds) > 1:
            return AlbumSettled(refused="mixed", chat_id=album.chat_id)
        kind = MediaKind(kinds.pop())
        if kind is MediaKind.VIDEO and len(items) > 1:
            return AlbumSettled(refused="several_videos", chat_id=album.chat_id)
        caption = next((item.caption for item in items if item.caption), None)
        title, description = initial_text(kind, caption)
        drafts = DraftRepository(session)
        draft = await drafts.create(
            telegram_user_id=album.telegram_user_id,
            # The composer lives in the private chat (a team group's album continues there).
            chat_id=album.telegram_user_id,
            kind=kind.value,
            status=OPEN,
            media=[json.loads(item.media_json) for item in items[:MAX_PHOTOS]],
            choices_json=PostChoices(kind=kind, title=title, description=description).to_json(),
            account_id=None,
            media_group_id=album.media_group_id,
        )
        await albums.set_draft(album.id, draft.id)
        return AlbumSettled(draft=draft, chat_id=album.chat_id, truncated=len(items) > MAX_PHOTOS)

    async def collecting(self) -> list[tuple[int, str]]:
        """(user, media_group_id) of albums not finished yet (their timers may have died)."""
        async with self._db.transaction() as session:
            albums = await AlbumRepository(session).collecting()
        return [(a.telegram_user_id, a.media_group_id) for a in albums]

    async def items_of(self, telegram_user_id: int, media_group_id: str) -> int:
        """How many items of an album are stored so far."""
        async with self._db.transaction() as session:
            albums = AlbumRepository(session)
            album = await albums.get(telegram_user_id, media_group_id)
            return 0 if album is None else len(await albums.items(album.id))
