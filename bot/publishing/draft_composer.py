"""Composer actions: each tap applies one rule (bot/publishing/composer.py) to a draft."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from bot.publishing.choices import PostChoices, PostMode
from bot.publishing.composer import (
    Refused,
    Toggle,
    Why,
    choose_privacy,
    choose_video_cover,
    flip,
    next_cover,
    switch_mode,
)
from bot.publishing.draft_base import (
    ComposerState,
    DraftBase,
    DraftNotFound,
    TextField,
    choices_of,
    media_refs,
    text_limit,
)
from bot.publishing.text_limits import (
    utf16_len,
)
from storage.repositories import DraftRepository, DraftRow
from storage.repositories.drafts import CANCELLED, OPEN

log = logging.getLogger(__name__)


class ComposerActions(DraftBase):
    """Privacy, switches, mode, cover, account and texts, within the rules."""

    async def _apply(
        self,
        telegram_user_id: int,
        draft_id: int,
        change: Callable[[ComposerState], PostChoices | Refused],
    ) -> ComposerState | Refused:
        current = await self._loaded(telegram_user_id, draft_id)
        result = change(current)
        if isinstance(result, Refused):
            return result
        draft = await self._update(current.draft.id, choices_json=result.to_json())
        return self._state(
            draft, current.account, current.accounts_count, current.creator, current.team
        )

    async def choose_privacy(
        self, telegram_user_id: int, draft_id: int, index: int
    ) -> ComposerState | Refused:
        """Select the privacy option at `index` of the creator's options."""

        def change(s: ComposerState) -> PostChoices | Refused:
            options = s.creator.privacy_level_options
            if not 0 <= index < len(options):
                return Refused(Why.NOT_OFFERED)
            return choose_privacy(s.creator, s.choices, options[index], audited=self._audited())

        return await self._apply(telegram_user_id, draft_id, change)

    async def flip(
        self, telegram_user_id: int, draft_id: int, toggle: Toggle
    ) -> ComposerState | Refused:
        """Flip a switch, within the rules."""
        return await self._apply(
            telegram_user_id, draft_id, lambda s: flip(s.creator, s.choices, toggle)
        )

    async def switch_mode(self, telegram_user_id: int, draft_id: int) -> ComposerState | Refused:
        """Post now <-> send to the TikTok inbox."""

        def change(s: ComposerState) -> PostChoices:
            new = PostMode.INBOX if s.choices.mode is PostMode.DIRECT else PostMode.DIRECT
            return switch_mode(s.choices, new)

        return await self._apply(telegram_user_id, draft_id, change)

    async def next_cover(self, telegram_user_id: int, draft_id: int) -> ComposerState | Refused:
        """Use the next photo as the carousel cover."""
        return await self._apply(
            telegram_user_id, draft_id, lambda s: next_cover(s.choices, len(s.draft.media))
        )

    async def choose_video_cover(
        self, telegram_user_id: int, draft_id: int, timestamp_ms: int | None
    ) -> ComposerState | Refused:
        """Use the video frame at `timestamp_ms` as the cover (None: TikTok chooses)."""

        def change(s: ComposerState) -> PostChoices | Refused:
            refs = media_refs(s.draft)
            duration = refs[0].duration if refs else None
            return choose_video_cover(s.choices, timestamp_ms, duration)

        return await self._apply(telegram_user_id, draft_id, change)

    async def switch_account(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """Post to the user's next linked account (creator info fetched fresh)."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        accounts = await self._postable(telegram_user_id)
        ids = [a.id for a in accounts]
        if draft.account_id in ids and len(ids) > 1:
            following = ids[(ids.index(draft.account_id) + 1) % len(ids)]
            # Privacy options differ per account: the user chooses again.
            choices = dataclasses.replace(choices_of(draft), privacy_level=None)
            await self._update(
                draft_id, account_id=following, choices_json=choices.to_json(), creator=None
            )
        return await self.open(telegram_user_id, draft_id)

    async def ask_for_text(
        self, telegram_user_id: int, draft_id: int, field: TextField
    ) -> DraftRow:
        """The next text message sets `field`."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        return await self._update(draft.id, awaiting=field.value)

    async def awaiting_text(self, telegram_user_id: int) -> DraftRow | None:
        """The draft waiting for typed text, if any."""
        async with self._db.transaction() as session:
            return await DraftRepository(session).awaiting_text(telegram_user_id)

    async def set_text(self, draft: DraftRow, text: str) -> tuple[DraftRow, int | None]:
        """Store typed text; returns (draft, None) or (draft, limit) when it is too long."""
        field = TextField(draft.awaiting or TextField.TITLE.value)
        limit = text_limit(draft, field)
        if utf16_len(text) > limit:
            return draft, limit
        choices = choices_of(draft)
        if field is TextField.TITLE:
            choices = dataclasses.replace(choices, title=text)
        else:
            choices = dataclasses.replace(choices, description=text)
        return await self._update(draft.id, awaiting=None, choices_json=choices.to_json()), None

    async def cancel(self, telegram_user_id: int, draft_id: int) -> DraftRow:
        """Discard the draft; nothing was sent to TikTok."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        async with self._db.transaction() as session:
            moved = await DraftRepository(session).transition(
                draft_id, from_status=OPEN, to_status=CANCELLED
            )
        if not moved:
            raise DraftNotFound(str(draft_id))
        return draft
