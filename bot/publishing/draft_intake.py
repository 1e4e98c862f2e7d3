"""Intake: media messages filed into drafts (a new post, an album, the open photo post)."""

from __future__ import annotations

import dataclasses
import logging

from bot.publishing.choices import MediaKind, MediaRef, PostChoices
from bot.publishing.composer import (
    MAX_PHOTOS,
)
from bot.publishing.draft_base import (
    DraftBase,
    IntakeResult,
    choices_of,
    initial_text,
)
from storage.repositories import DraftRepository, DraftRow
from storage.repositories.drafts import CANCELLED, COLLECTING, OPEN

log = logging.getLogger(__name__)


class DraftIntake(DraftBase):
    """Files incoming media into drafts."""

    async def add_media(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        kind: MediaKind,
        ref: MediaRef,
        caption: str | None,
        media_group_id: str | None,
    ) -> IntakeResult:
        """File an incoming video/photo into a draft (new, album, or the open photo post)."""
        # Committed before the lock is released: the next photo of an album
        # (a concurrent update) must read this one's media list.
        async with (
            self._intake_locks.hold(telegram_user_id),
            self._db.separate_transaction() as session,
        ):
            drafts = DraftRepository(session)
            if media_group_id is not None:
                album = await drafts.by_media_group(telegram_user_id, media_group_id)
                if album is not None:
                    return await self._append(drafts, album, kind, ref, caption)
            elif kind is MediaKind.PHOTO:
                open_photos = await drafts.latest(
                    telegram_user_id, status=OPEN, kind=MediaKind.PHOTO.value
                )
                # Also while its composer is still on its way: photos sent in a burst
                # must join one post, not each open a post (and a composer) of its own.
                if open_photos is not None:
                    return await self._append(drafts, open_photos, kind, ref, caption)
            title, description = initial_text(kind, caption)
            draft = await drafts.create(
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                kind=kind.value,
                status=COLLECTING if media_group_id else OPEN,
                media=[ref.to_dict()],
                choices_json=PostChoices(kind=kind, title=title, description=description).to_json(),
                account_id=None,
                media_group_id=media_group_id,
            )
            return IntakeResult(draft, collecting=media_group_id is not None)

    async def _append(
        self,
        drafts: DraftRepository,
        draft: DraftRow,
        kind: MediaKind,
        ref: MediaRef,
        caption: str | None,
    ) -> IntakeResult:
        collecting = draft.status == COLLECTING
        choices = choices_of(draft)
        if draft.kind != kind.value:
            # A mixed album: remember it so the whole album is refused once.
            mixed = dataclasses.replace(choices, kind=MediaKind.MIXED)
            draft = await drafts.update(
                draft.id, kind=MediaKind.MIXED.value, choices_json=mixed.to_json()
            )
            return IntakeResult(draft, collecting=collecting)
        if len(draft.media) >= MAX_PHOTOS:
            return IntakeResult(draft, truncated=True, collecting=collecting)
        media = [*draft.media, ref.to_dict()]
        if caption and not (choices.title or choices.description):
            title, description = initial_text(kind, caption)
            choices = dataclasses.replace(choices, title=title, description=description)
        draft = await drafts.update(draft.id, media=media, choices_json=choices.to_json())
        return IntakeResult(draft, added=1, collecting=collecting)

    async def finish_album(self, draft_id: int) -> DraftRow | None:
        """The album stopped arriving: open its draft (None if it is gone)."""
        async with self._db.transaction() as session:
            drafts = DraftRepository(session)
            draft = await drafts.get(draft_id)
            if draft is None or draft.status != COLLECTING:
                return None
            moved = await drafts.transition(draft_id, from_status=COLLECTING, to_status=OPEN)
            if not moved:
                return None
            draft = await drafts.get(draft_id)
        return draft

    async def collecting(self) -> list[DraftRow]:
        """Albums that were still arriving when the bot last stopped."""
        async with self._db.transaction() as session:
            return await DraftRepository(session).with_status(COLLECTING)

    async def discard(self, draft_id: int) -> None:
        """Drop a draft that cannot be posted (e.g. a mixed album)."""
        async with self._db.transaction() as session:
            drafts = DraftRepository(session)
            for status in (COLLECTING, OPEN):
                if await drafts.transition(draft_id, from_status=status, to_status=CANCELLED):
                    return
