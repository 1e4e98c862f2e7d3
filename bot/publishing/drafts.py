"""Drafts: from the media a user sends to the request handed to publishing.

The composer's state lives in the database (a Draft row), so a restart loses
nothing and callback data stays short. Rules come from `composer.py`; this
module loads and stores drafts, fetches creator info fresh, and submits
exactly once.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from bot.accounts import AccountService, TokenManager
from bot.errors import BotError, NoLinkedAccount
from bot.keyed_locks import KeyedLocks
from bot.publishing.composer import (
    MAX_PHOTOS,
    ComposerView,
    Composition,
    Refused,
    Toggle,
    Why,
    choose_privacy,
    compose,
    flip,
    next_cover,
    switch_mode,
)
from bot.publishing.requests import (
    MediaKind,
    MediaRef,
    PostMode,
    PostSettings,
    PublishRequest,
)
from bot.publishing.text_limits import (
    PHOTO_DESCRIPTION_LIMIT,
    PHOTO_TITLE_LIMIT,
    VIDEO_CAPTION_LIMIT,
    utf16_len,
)
from bot.tiktok import CreatorInfo, PublishingAPI
from storage.db import Database
from storage.repositories import DraftRecord, DraftRepository, LinkedAccount
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

    draft: DraftRecord
    account: LinkedAccount
    accounts_count: int
    creator: CreatorInfo
    view: ComposerView


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """What happened to an incoming media message."""

    draft: DraftRecord
    added: int = 0  # photos added to an existing draft
    truncated: bool = False  # more than 35 photos were sent
    collecting: bool = False  # an album is still arriving


def media_dict(ref: MediaRef) -> dict[str, Any]:
    """A MediaRef as stored in the draft's JSON."""
    return dataclasses.asdict(ref)


def media_refs(draft: DraftRecord) -> tuple[MediaRef, ...]:
    """The draft's media as MediaRefs."""
    return tuple(MediaRef(**item) for item in draft.media)


def composition(draft: DraftRecord) -> Composition:
    """The rule-relevant part of a draft."""
    refs = media_refs(draft)
    duration = refs[0].duration if refs and draft.kind == MediaKind.VIDEO else None
    return Composition(
        kind=MediaKind(draft.kind),
        mode=PostMode(draft.mode),
        media_count=len(refs),
        video_duration=duration,
        title=draft.title,
        description=draft.description,
        privacy_level=draft.privacy_level,
        allow_comment=draft.allow_comment,
        allow_duet=draft.allow_duet,
        allow_stitch=draft.allow_stitch,
        is_aigc=draft.is_aigc,
        disclose=draft.disclose,
        brand_organic=draft.brand_organic,
        brand_content=draft.brand_content,
        cover_index=draft.cover_index,
    )


def _composition_fields(c: Composition) -> dict[str, Any]:
    """The draft columns a composer tap may change."""
    return dict(
        mode=c.mode.value,
        privacy_level=c.privacy_level,
        allow_comment=c.allow_comment,
        allow_duet=c.allow_duet,
        allow_stitch=c.allow_stitch,
        is_aigc=c.is_aigc,
        disclose=c.disclose,
        brand_organic=c.brand_organic,
        brand_content=c.brand_content,
        cover_index=c.cover_index,
    )


def text_limit(draft: DraftRecord, field: TextField) -> int:
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


def post_settings(draft: DraftRecord) -> PostSettings:
    """What the user chose, for the publishing pipeline."""
    direct = draft.mode == PostMode.DIRECT
    return PostSettings(
        mode=PostMode(draft.mode),
        title=draft.title,
        description=draft.description,
        privacy_level=draft.privacy_level if direct else None,
        allow_comment=draft.allow_comment and direct,
        allow_duet=draft.allow_duet and direct,
        allow_stitch=draft.allow_stitch and direct,
        is_aigc=draft.is_aigc and direct,
        brand_organic=draft.disclose and draft.brand_organic and direct,
        brand_content=draft.disclose and draft.brand_content and direct,
        photo_cover_index=draft.cover_index,
    )


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
        self._intake_locks: KeyedLocks[int] = KeyedLocks()

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
        async with self._intake_locks.hold(telegram_user_id), self._db.transaction() as session:
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
                media=[media_dict(ref)],
                account_id=None,
                media_group_id=media_group_id,
                title=title,
            )
            if description:
                draft = await drafts.update(draft.id, description=description)
            return IntakeResult(draft, collecting=media_group_id is not None)

    async def _append(
        self,
        drafts: DraftRepository,
        draft: DraftRecord,
        kind: MediaKind,
        ref: MediaRef,
        caption: str | None,
    ) -> IntakeResult:
        collecting = draft.status == COLLECTING
        kinds = {draft.kind, kind.value}
        if len(kinds) > 1:
            # A mixed album: remember it so the whole album is refused once.
            draft = await drafts.update(draft.id, kind="mixed")
            return IntakeResult(draft, collecting=collecting)
        if len(draft.media) >= MAX_PHOTOS:
            return IntakeResult(draft, truncated=True, collecting=collecting)
        media = [*draft.media, media_dict(ref)]
        title, description = draft.title, draft.description
        if caption and not (title or description):
            title, description = initial_text(kind, caption)
        draft = await drafts.update(draft.id, media=media, title=title, description=description)
        return IntakeResult(draft, added=1, collecting=collecting)

    async def finish_album(self, draft_id: int) -> DraftRecord | None:
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

    async def collecting(self) -> list[DraftRecord]:
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

    async def owned_open(self, telegram_user_id: int, draft_id: int) -> DraftRecord:
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
        if draft.creator is not None and draft.creator.get("privacy_level_options") != list(
            creator.privacy_level_options
        ):
            # The options changed (e.g. the account went private): choose again.
            draft = dataclasses.replace(draft, privacy_level=None)
        draft = await self._update(
            draft.id,
            account_id=account.id,
            creator=creator_json,
            privacy_level=draft.privacy_level,
        )
        return self._state(draft, account, len(accounts), creator)

    async def _creator_info(self, account_id: int) -> CreatorInfo:
        async def fetch(token: str) -> CreatorInfo:
            return await self._api.creator_info(token)

        return await self._tokens.call(account_id, fetch)

    def _state(
        self, draft: DraftRecord, account: LinkedAccount, count: int, creator: CreatorInfo
    ) -> ComposerState:
        view = compose(creator, composition(draft), audited=self._audited())
        return ComposerState(draft, account, count, creator, view)

    async def _update(self, draft_id: int, **changes: Any) -> DraftRecord:
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
        change: Callable[[ComposerState], Composition | Refused],
    ) -> ComposerState | Refused:
        current = await self._loaded(telegram_user_id, draft_id)
        result = change(current)
        if isinstance(result, Refused):
            return result
        draft = await self._update(current.draft.id, **_composition_fields(result))
        return self._state(draft, current.account, current.accounts_count, current.creator)

    async def choose_privacy(
        self, telegram_user_id: int, draft_id: int, index: int
    ) -> ComposerState | Refused:
        """Select the privacy option at `index` of the creator's options."""

        def change(s: ComposerState) -> Composition | Refused:
            options = s.creator.privacy_level_options
            if not 0 <= index < len(options):
                return Refused(Why.NOT_OFFERED)
            return choose_privacy(
                s.creator, composition(s.draft), options[index], audited=self._audited()
            )

        return await self._apply(telegram_user_id, draft_id, change)

    async def flip(
        self, telegram_user_id: int, draft_id: int, toggle: Toggle
    ) -> ComposerState | Refused:
        """Flip a switch, within the rules."""
        return await self._apply(
            telegram_user_id, draft_id, lambda s: flip(s.creator, composition(s.draft), toggle)
        )

    async def switch_mode(self, telegram_user_id: int, draft_id: int) -> ComposerState | Refused:
        """Post now <-> send to the TikTok inbox."""

        def change(s: ComposerState) -> Composition:
            c = composition(s.draft)
            new = PostMode.INBOX if c.mode is PostMode.DIRECT else PostMode.DIRECT
            return switch_mode(c, new)

        return await self._apply(telegram_user_id, draft_id, change)

    async def next_cover(self, telegram_user_id: int, draft_id: int) -> ComposerState | Refused:
        """Use the next photo as the carousel cover."""
        return await self._apply(
            telegram_user_id, draft_id, lambda s: next_cover(composition(s.draft))
        )

    async def switch_account(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """Post to the user's next linked account (creator info fetched fresh)."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        accounts = await self._accounts.linked(telegram_user_id)
        ids = [a.id for a in accounts]
        if draft.account_id in ids and len(ids) > 1:
            following = ids[(ids.index(draft.account_id) + 1) % len(ids)]
            # Privacy options differ per account: the user chooses again.
            await self._update(draft_id, account_id=following, privacy_level=None, creator=None)
        return await self.open(telegram_user_id, draft_id)

    async def ask_for_text(
        self, telegram_user_id: int, draft_id: int, field: TextField
    ) -> DraftRecord:
        """The next text message sets `field`."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        return await self._update(draft.id, awaiting=field.value)

    async def awaiting_text(self, telegram_user_id: int) -> DraftRecord | None:
        """The draft waiting for typed text, if any."""
        async with self._db.transaction() as session:
            return await DraftRepository(session).awaiting_text(telegram_user_id)

    async def set_text(self, draft: DraftRecord, text: str) -> tuple[DraftRecord, int | None]:
        """Store typed text; returns (draft, None) or (draft, limit) when it is too long."""
        field = TextField(draft.awaiting or TextField.TITLE.value)
        limit = text_limit(draft, field)
        if utf16_len(text) > limit:
            return draft, limit
        return await self._update(draft.id, awaiting=None, **{field.value: text}), None

    async def cancel(self, telegram_user_id: int, draft_id: int) -> DraftRecord:
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
        async with self._db.transaction() as session:
            moved = await DraftRepository(session).transition(
                draft_id, from_status=OPEN, to_status=SUBMITTED
            )
        if not moved:
            raise DraftNotFound(str(draft_id))
        draft = state.draft
        request = PublishRequest(
            draft_id=draft.id,
            telegram_user_id=draft.telegram_user_id,
            chat_id=draft.chat_id,
            account_id=state.account.id,
            kind=MediaKind(draft.kind),
            media=media_refs(draft),
            settings=post_settings(draft),
        )
        try:
            job_id = await submitter.submit(request)
        except BaseException:
            async with self._db.transaction() as session:
                await DraftRepository(session).transition(
                    draft_id, from_status=SUBMITTED, to_status=OPEN
                )
            raise
        async with self._db.transaction() as session:
            drafts = DraftRepository(session)
            stored = await drafts.get(draft_id)
            if stored is not None:
                await drafts.update(stored.id, job_id=job_id)
        return state, job_id

    async def set_composer_message(self, draft: DraftRecord, message_id: int) -> DraftRecord:
        """Remember which message shows this draft's composer."""
        return await self._update(draft.id, composer_message_id=message_id)

    async def waiting_for_account(self, telegram_user_id: int) -> list[DraftRecord]:
        """Drafts kept until the user links an account."""
        async with self._db.transaction() as session:
            return await DraftRepository(session).open_without_account(telegram_user_id)
