"""Drafts: from the media a user sends to the request handed to publishing.

The composer's state lives in the database (a Draft row), so a restart loses
nothing and callback data stays short. Rules come from `composer.py`; this
module loads and stores drafts, fetches creator info fresh, and submits
exactly once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from bot.accounts import AccountService, TokenManager
from bot.errors import BotError, NoLinkedAccount
from bot.publishing.choices import MediaKind, MediaRef, PostChoices, PostMode
from bot.publishing.composer import (
    MAX_PHOTOS,
    ComposerView,
    Refused,
    Toggle,
    Why,
    choose_privacy,
    compose,
    flip,
    next_cover,
    switch_mode,
)
from bot.publishing.requests import PublishRequest
from bot.publishing.text_limits import (
    PHOTO_DESCRIPTION_LIMIT,
    PHOTO_TITLE_LIMIT,
    VIDEO_CAPTION_LIMIT,
    utf16_len,
)
from bot.tiktok import CreatorInfo, PublishingAPI
from storage.db import Database
from storage.repositories import DraftRepository, DraftRow, LinkedAccount
from storage.repositories.drafts import CANCELLED, COLLECTING, OPEN, SUBMITTED

log = logging.getLogger(__name__)


class DraftNotFound(BotError):
    """The draft is gone, finished, or not this user's."""


class NotYourDraft(BotError):
    """A button of someone else's draft."""


class Submitter(Protocol):
    """The publishing pipeline, as the composer needs it."""

    async def submit(self, request: PublishRequest) -> int:
        """Store a durable job for the request (idempotent per draft) and return its id."""
        ...


class TextField(StrEnum):
    """Which typed text a draft is waiting for."""

    TITLE = "title"
    DESCRIPTION = "description"


@dataclass(frozen=True, slots=True)
class ComposerState:
    """Everything needed to render a composer."""

    draft: DraftRow
    choices: PostChoices
    account: LinkedAccount
    accounts_count: int
    creator: CreatorInfo
    view: ComposerView


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """What happened to an incoming media message."""

    draft: DraftRow
    added: int = 0  # photos added to an existing draft
    truncated: bool = False  # more than 35 photos were sent
    collecting: bool = False  # an album is still arriving


def media_refs(draft: DraftRow) -> tuple[MediaRef, ...]:
    """The draft's media as MediaRefs."""
    return tuple(MediaRef.from_dict(item) for item in draft.media)


def choices_of(draft: DraftRow) -> PostChoices:
    """The draft's choices, validated."""
    return PostChoices.from_json(draft.choices_json)


def _video_duration(draft: DraftRow) -> int | None:
    refs = media_refs(draft)
    return refs[0].duration if refs and draft.kind == MediaKind.VIDEO else None


def text_limit(draft: DraftRow, field: TextField) -> int:
    """The UTF-16 limit for a draft's text field."""
    if draft.kind == MediaKind.VIDEO:
        return VIDEO_CAPTION_LIMIT
    return PHOTO_TITLE_LIMIT if field is TextField.TITLE else PHOTO_DESCRIPTION_LIMIT


def initial_text(kind: MediaKind, caption: str | None) -> tuple[str, str]:
    """(title, description) from the caption the media arrived with."""
    caption = (caption or "").strip()
    if kind is MediaKind.VIDEO:
        return caption, ""
    first_line = caption.split("\n", 1)[0].strip()
    title = first_line if first_line and utf16_len(first_line) <= PHOTO_TITLE_LIMIT else ""
    return title, caption


class DraftService:
    """Keeps drafts and applies the composer's rules to them."""

    def __init__(
        self,
        *,
        db: Database,
        accounts: AccountService,
        tokens: TokenManager,
        publishing_api: PublishingAPI,
        submitter: Callable[[], Submitter | None],
        audited: Callable[[], bool],
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._tokens = tokens
        self._api = publishing_api
        self._submitter = submitter
        self._audited = audited
        self._intake_locks: dict[int, asyncio.Lock] = {}

    # -- intake ------------------------------------------------------------------

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
        lock = self._intake_locks.setdefault(telegram_user_id, asyncio.Lock())
        # Committed before the lock is released: the next photo of an album
        # (a concurrent update) must read this one's media list.
        async with lock, self._db.separate_transaction() as session:
            drafts = DraftRepository(session)
            if media_group_id is not None:
                album = await drafts.by_media_group(telegram_user_id, media_group_id)
                if album is not None:
                    return await self._append(drafts, album, kind, ref, caption)
            elif kind is MediaKind.PHOTO:
                open_photos = await drafts.latest(
                    telegram_user_id, status=OPEN, kind=MediaKind.PHOTO.value
                )
                if open_photos is not None and open_photos.composer_message_id is not None:
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

    # -- composer -------------------------------------------------------------------

    async def owned_open(self, telegram_user_id: int, draft_id: int) -> DraftRow:
        """The user's OPEN draft, or a polite error."""
        async with self._db.transaction() as session:
            draft = await DraftRepository(session).get(draft_id)
        if draft is None:
            raise DraftNotFound(str(draft_id))
        if draft.telegram_user_id != telegram_user_id:
            raise NotYourDraft(str(draft_id))
        if draft.status != OPEN:
            raise DraftNotFound(str(draft_id))
        return draft

    async def open(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """Load the draft with FRESH creator info (TikTok's rule), choosing an account."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        accounts = await self._accounts.linked(telegram_user_id)
        if not accounts:
            raise NoLinkedAccount()
        account = next((a for a in accounts if a.id == draft.account_id), accounts[0])
        creator = await self._creator_info(account.id)
        creator_json = dataclasses.asdict(creator)
        choices = choices_of(draft)
        if draft.creator is not None and draft.creator.get("privacy_level_options") != list(
            creator.privacy_level_options
        ):
            # The options changed (e.g. the account went private): choose again.
            choices = dataclasses.replace(choices, privacy_level=None)
        draft = await self._update(
            draft.id,
            account_id=account.id,
            creator=creator_json,
            choices_json=choices.to_json(),
        )
        return self._state(draft, account, len(accounts), creator)

    async def _creator_info(self, account_id: int) -> CreatorInfo:
        async def fetch(token: str) -> CreatorInfo:
            return await self._api.creator_info(token)

        return await self._tokens.call(account_id, fetch)

    def _state(
        self, draft: DraftRow, account: LinkedAccount, count: int, creator: CreatorInfo
    ) -> ComposerState:
        choices = choices_of(draft)
        view = compose(
            creator,
            choices,
            audited=self._audited(),
            media_count=len(draft.media),
            video_duration=_video_duration(draft),
        )
        return ComposerState(draft, choices, account, count, creator, view)

    async def _update(self, draft_id: int, **changes: Any) -> DraftRow:
        async with self._db.transaction() as session:
            return await DraftRepository(session).update(draft_id, **changes)

    async def _loaded(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """The composer from stored creator info (no TikTok call for a simple tap)."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        if draft.creator is None or draft.account_id is None:
            return await self.open(telegram_user_id, draft_id)
        accounts = await self._accounts.linked(telegram_user_id)
        account = next((a for a in accounts if a.id == draft.account_id), None)
        if account is None:  # unlinked meanwhile
            return await self.open(telegram_user_id, draft_id)
        creator = CreatorInfo(
            **{
                **draft.creator,
                "privacy_level_options": tuple(draft.creator["privacy_level_options"]),
            }
        )
        return self._state(draft, account, len(accounts), creator)

    async def state(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """The composer as it stands."""
        return await self._loaded(telegram_user_id, draft_id)

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
        return self._state(draft, current.account, current.accounts_count, current.creator)

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

    async def switch_account(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """Post to the user's next linked account (creator info fetched fresh)."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        accounts = await self._accounts.linked(telegram_user_id)
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

    async def submit(
        self, telegram_user_id: int, draft_id: int
    ) -> tuple[ComposerState, int | None]:
        """Hand the draft to publishing exactly once.

        Returns (state, job_id); job_id is None when the rules still block
        posting (the state says why). A second tap finds the draft SUBMITTED
        and raises DraftNotFound.
        """
        state = await self._loaded(telegram_user_id, draft_id)
        if not state.view.can_post:
            return state, None  # blocked by the user's own choices: no TikTok call
        # Creator info fresh once more: privacy options or posting caps may
        # have changed since the composer opened.
        state = await self.open(telegram_user_id, draft_id)
        if not state.view.can_post:
            return state, None
        submitter = self._submitter()
        if submitter is None:
            raise RuntimeError("publishing is not running")
        draft = state.draft
        request = PublishRequest(
            draft_id=draft.id,
            telegram_user_id=draft.telegram_user_id,
            chat_id=draft.chat_id,
            account_id=state.account.id,
            media=media_refs(draft),
            choices=state.choices,
        )
        # One transaction: the draft is SUBMITTED exactly when its job exists.
        async with self._db.transaction() as session:
            drafts = DraftRepository(session)
            if not await drafts.transition(draft_id, from_status=OPEN, to_status=SUBMITTED):
                raise DraftNotFound(str(draft_id))
            job_id = await submitter.submit(request)
            await drafts.update(draft_id, job_id=job_id)
        return state, job_id

    async def set_composer_message(self, draft: DraftRow, message_id: int) -> DraftRow:
        """Remember which message shows this draft's composer."""
        return await self._update(draft.id, composer_message_id=message_id)

    async def waiting_for_account(self, telegram_user_id: int) -> list[DraftRow]:
        """Drafts kept until the user links an account."""
        async with self._db.transaction() as session:
            return await DraftRepository(session).open_without_account(telegram_user_id)
