"""Drafts: what every draft step shares (types, loading, fresh creator info).

The composer's state lives in the database (a Draft row with its
PostChoices), so a restart loses nothing and callback data stays short.
The steps are split by reason to change: intake (draft_intake.py), composer
actions (draft_composer.py) and submit (draft_submit.py); DraftService
(drafts.py) is all of them.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.accounts import AccountService, TokenManager
from bot.errors import BotError, NoLinkedAccount
from bot.keyed_locks import KeyedLocks
from bot.publishing.choices import MediaKind, MediaRef, PostChoices
from bot.publishing.composer import (
    ComposerView,
    compose,
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
from storage.repositories.drafts import OPEN, SUBMITTED

log = logging.getLogger(__name__)


class DraftNotFound(BotError):
    """The draft is gone, finished, or not this user's."""


class NotYourDraft(BotError):
    """A button of someone else's draft."""


class Submitter(Protocol):
    """The publishing pipeline, as the composer needs it."""

    async def submit(self, request: PublishRequest, *, not_before: datetime | None = None) -> int:
        """Store a durable job for the request (idempotent per draft) and return its id."""
        ...


class SharedAccounts(Protocol):
    """Accounts shared through teams, as the composer needs them (bot/teams)."""

    async def postable(self, telegram_user_id: int) -> list[LinkedAccount]:
        """Accounts of others this person may send posts to for approval."""
        ...

    async def team_title(self, telegram_user_id: int, account_id: int, draft_id: int) -> str | None:
        """The team through which this person may use a shared account (None: they post)."""
        ...

    async def claim(self, session: AsyncSession, draft_id: int) -> None:
        """In the Post transaction: refuse a reviewer's draft whose request is closed."""
        ...

    async def job_started(self, session: AsyncSession, draft_id: int, job_id: int) -> None:
        """In the Post transaction: link the job to the draft's request, if any."""
        ...


class NeedsApproval(BotError):
    """A shared account is posted to by its owner's consent only (bot/teams)."""

    reason = "needs_approval"


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
    # Set when the account is shared with this person by a team: "Send for approval".
    team: str | None = None


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


class DraftBase:
    """Loads and stores drafts; fetches creator info fresh (TikTok's rule)."""

    def __init__(
        self,
        *,
        db: Database,
        accounts: AccountService,
        tokens: TokenManager,
        publishing_api: PublishingAPI,
        submitter: Callable[[], Submitter | None],
        audited: Callable[[], bool],
        shared: Callable[[], SharedAccounts | None] = lambda: None,
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._tokens = tokens
        self._api = publishing_api
        self._submitter = submitter
        self._audited = audited
        self._shared = shared
        self._intake_locks: KeyedLocks[int] = KeyedLocks()  # forgotten when idle

    async def was_submitted(self, telegram_user_id: int, draft_id: int) -> bool:
        """Whether this is the user's draft and it went to TikTok (vs. never existed)."""
        async with self._db.transaction() as session:
            draft = await DraftRepository(session).get(draft_id)
        return (
            draft is not None
            and draft.telegram_user_id == telegram_user_id
            and draft.status == SUBMITTED
        )

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

    async def _postable(self, telegram_user_id: int) -> list[LinkedAccount]:
        """The user's own accounts, then those their teams share with them."""
        accounts = await self._accounts.linked(telegram_user_id)
        shared = self._shared()
        return accounts + (await shared.postable(telegram_user_id) if shared else [])

    async def _team(
        self, telegram_user_id: int, account: LinkedAccount, draft_id: int
    ) -> str | None:
        shared = self._shared()
        if shared is None or account.telegram_user_id == telegram_user_id:
            return None
        return await shared.team_title(telegram_user_id, account.id, draft_id)

    async def open(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """Load the draft with FRESH creator info (TikTok's rule), choosing an account."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        accounts = await self._postable(telegram_user_id)
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
        return self._state(
            draft,
            account,
            len(accounts),
            creator,
            await self._team(telegram_user_id, account, draft.id),
        )

    async def _creator_info(self, account_id: int) -> CreatorInfo:
        async def fetch(token: str) -> CreatorInfo:
            return await self._api.creator_info(token)

        return await self._tokens.call(account_id, fetch)

    def _state(
        self,
        draft: DraftRow,
        account: LinkedAccount,
        count: int,
        creator: CreatorInfo,
        team: str | None = None,
    ) -> ComposerState:
        choices = choices_of(draft)
        view = compose(
            creator,
            choices,
            audited=self._audited(),
            media_count=len(draft.media),
            video_duration=_video_duration(draft),
        )
        return ComposerState(draft, choices, account, count, creator, view, team)

    async def _update(self, draft_id: int, **changes: Any) -> DraftRow:
        async with self._db.transaction() as session:
            return await DraftRepository(session).update(draft_id, **changes)

    async def _loaded(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """The composer from stored creator info (no TikTok call for a simple tap)."""
        draft = await self.owned_open(telegram_user_id, draft_id)
        if draft.creator is None or draft.account_id is None:
            return await self.open(telegram_user_id, draft_id)
        accounts = await self._postable(telegram_user_id)
        account = next((a for a in accounts if a.id == draft.account_id), None)
        if account is None:  # unlinked (or unshared) meanwhile
            return await self.open(telegram_user_id, draft_id)
        creator = CreatorInfo(
            **{
                **draft.creator,
                "privacy_level_options": tuple(draft.creator["privacy_level_options"]),
            }
        )
        return self._state(
            draft,
            account,
            len(accounts),
            creator,
            await self._team(telegram_user_id, account, draft.id),
        )

    async def state(self, telegram_user_id: int, draft_id: int) -> ComposerState:
        """The composer as it stands."""
        return await self._loaded(telegram_user_id, draft_id)

    async def set_composer_message(self, draft: DraftRow, message_id: int) -> DraftRow:
        """Remember which message shows this draft's composer."""
        return await self._update(draft.id, composer_message_id=message_id)

    async def waiting_for_account(self, telegram_user_id: int) -> list[DraftRow]:
        """Drafts kept until the user links an account."""
        async with self._db.transaction() as session:
            return await DraftRepository(session).open_without_account(telegram_user_id)
