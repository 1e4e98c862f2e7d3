"""Linking a TikTok account: from /link through the OAuth callback to both ends agreeing.

The state is random, single use, bound to the Telegram user who asked, and
expires after ten minutes. The PKCE verifier is stored encrypted beside it.

A sign-in link can be sent to someone else (phishing), or forwarded by its
owner, so a finished sign-in links nothing by itself: the callback page names
the Telegram user who asked and shows a short code, and only when that user
picks the same code in the chat is the account stored. One wrong pick
cancels the sign-in and revokes what TikTok granted.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.accounts.confirm_codes import choices_for, is_code, new_code
from bot.accounts.tokens import tokens_from_grant
from bot.clock import Clock
from bot.tiktok import (
    TikTokClient,
    TikTokError,
    TokenGrant,
    UserInfo,
    code_challenge,
    new_code_verifier,
    user_fields_for,
)
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import (
    AccountRepository,
    ConfirmationRecord,
    LinkConfirmationRepository,
    LinkedAccount,
    OAuthStateRepository,
    StateProblem,
    UserRepository,
)

log = logging.getLogger(__name__)

STATE_LIFETIME = timedelta(minutes=10)
CONFIRM_LIFETIME = timedelta(minutes=10)
PROFILE_FIELDS = ("open_id", "union_id", "avatar_url", "display_name", "username")


class LinkProblem(StrEnum):
    """Why a callback or a confirmation did not link an account."""

    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REUSED = "reused"
    UNKNOWN_STATE = "unknown_state"
    BAD_REQUEST = "bad_request"
    TIKTOK_ERROR = "tiktok_error"
    WRONG_CODE = "wrong_code"
    DECLINED = "declined"


class ConfirmationStatus(StrEnum):
    """Where a finished sign-in stands."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Requester:
    """The Telegram user who asked for the sign-in link, as Telegram named them."""

    first_name: str
    username: str | None


@dataclass(frozen=True, slots=True)
class LinkAwaitingConfirmation:
    """TikTok said yes; the requester must now pick `code` in the chat."""

    confirmation_id: int
    chat_id: int
    telegram_user_id: int
    account_label: str
    code: str
    choices: tuple[str, ...]
    page_token: str = field(repr=False)
    requester: Requester


@dataclass(frozen=True, slots=True)
class LinkSucceeded:
    """The account is linked (or re-linked)."""

    chat_id: int
    account: LinkedAccount
    missing_scopes: tuple[str, ...]
    relinked: bool


@dataclass(frozen=True, slots=True)
class LinkFailed:
    """Nothing changed; `chat_id` is whom to tell, when they should hear of it."""

    problem: LinkProblem
    chat_id: int | None = None
    detail: str = field(default="")


@dataclass(frozen=True, slots=True)
class ConfirmationView:
    """What the browser page of a finished sign-in shows."""

    status: ConfirmationStatus
    account_label: str
    code: str
    requester: Requester


LinkOutcome = LinkAwaitingConfirmation | LinkSucceeded | LinkFailed


def _label(profile: UserInfo, open_id: str) -> str:
    return f"@{profile.username}" if profile.username else profile.display_name or open_id


def _payload(grant: TokenGrant, profile: UserInfo) -> str:
    return json.dumps(
        {
            "open_id": grant.open_id,
            "scope": ",".join(sorted(grant.scopes)),
            "access_token": grant.access_token,
            "expires_in": grant.expires_in,
            "refresh_token": grant.refresh_token,
            "refresh_expires_in": grant.refresh_expires_in,
            "profile": {
                "display_name": profile.display_name,
                "username": profile.username,
                "avatar_url": profile.avatar_url,
            },
        }
    )


def _unpack(payload: str) -> tuple[TokenGrant, UserInfo]:
    body = json.loads(payload)
    profile = body["profile"]
    grant = TokenGrant.from_json(body)
    return grant, UserInfo(
        open_id=grant.open_id,
        display_name=profile["display_name"],
        username=profile["username"],
        avatar_url=profile["avatar_url"],
    )


class LinkService:
    """Starts OAuth links, completes them from the web callback, settles the confirmation."""

    def __init__(
        self,
        *,
        db: Database,
        cipher: TokenCipher,
        client: TikTokClient,
        clock: Clock,
        redirect_uri: str,
        scopes: tuple[str, ...],
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._client = client
        self._clock = clock
        self._redirect_uri = redirect_uri
        self._scopes = scopes

    async def start(
        self, *, telegram_user_id: int, chat_id: int, relink_account_id: int | None = None
    ) -> str:
        """Create a pending link and return the TikTok authorize URL for it."""
        state = secrets.token_urlsafe(32)
        verifier = new_code_verifier()
        now = self._clock()
        async with self._db.transaction() as session:
            states = OAuthStateRepository(session, self._cipher)
            await states.purge_older_than(now - timedelta(days=1))
            await LinkConfirmationRepository(session, self._cipher).purge_older_than(
                now - timedelta(days=1)
            )
            await states.create(
                state=state,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                code_verifier=verifier,
                expires_at=now + STATE_LIFETIME,
                relink_account_id=relink_account_id,
            )
        return self._client.authorize_url(
            state=state,
            code_challenge=code_challenge(verifier),
            scopes=self._scopes,
            redirect_uri=self._redirect_uri,
            # Re-linking often means "use another TikTok account": always ask.
            force_consent=relink_account_id is not None,
        )

    async def complete(self, query: Mapping[str, str]) -> LinkOutcome:
        """Handle the callback's query string; hold the grant until the requester confirms."""
        state = query.get("state", "")
        if not state or len(state) > 64:
            return LinkFailed(LinkProblem.UNKNOWN_STATE)
        now = self._clock()
        async with self._db.transaction() as session:
            states = OAuthStateRepository(session, self._cipher)
            pending = await states.consume(state, now=now)
            if isinstance(pending, StateProblem):
                row = await states.peek(state)
                # The owner hears about a refused hit once, not on every reload.
                told = row is not None and await states.claim_problem_notice(state, now=now)
                problem = {
                    StateProblem.UNKNOWN: LinkProblem.UNKNOWN_STATE,
                    StateProblem.USED: LinkProblem.REUSED,
                    StateProblem.EXPIRED: LinkProblem.EXPIRED,
                }[pending]
                return LinkFailed(problem, row.chat_id if row and told else None)
        if query.get("error"):
            error = query["error"][:64]
            # Whoever holds a live state controls this text: log it, never show it.
            log.info(
                "sign-in for user %s refused at TikTok: %r (%r)",
                pending.telegram_user_id,
                error,
                query.get("error_description", "")[:200],
            )
            problem = (
                LinkProblem.CANCELLED if error == "access_denied" else LinkProblem.TIKTOK_ERROR
            )
            return LinkFailed(problem, pending.chat_id, error)
        code = query.get("code", "")
        if not code:
            return LinkFailed(LinkProblem.BAD_REQUEST, pending.chat_id)
        try:
            grant = await self._client.exchange_code(
                code=code, redirect_uri=self._redirect_uri, code_verifier=pending.code_verifier
            )
            profile = await self._client.user_info(
                grant.access_token, user_fields_for(grant.scopes, PROFILE_FIELDS)
            )
        except TikTokError as exc:
            log.warning("link for user %s failed: %s", pending.telegram_user_id, exc.code)
            return LinkFailed(LinkProblem.TIKTOK_ERROR, pending.chat_id, exc.code)
        confirm_code, page_token = new_code(), secrets.token_urlsafe(24)
        label = _label(profile, grant.open_id)
        async with self._db.transaction() as session:
            confirmation_id = await LinkConfirmationRepository(session, self._cipher).create(
                page_token=page_token,
                telegram_user_id=pending.telegram_user_id,
                chat_id=pending.chat_id,
                code=confirm_code,
                account_label=label,
                payload=_payload(grant, profile),
                relink_account_id=pending.relink_account_id,
                expires_at=self._clock() + CONFIRM_LIFETIME,
            )
            requester = await self._requester(session, pending.telegram_user_id)
        return LinkAwaitingConfirmation(
            confirmation_id=confirmation_id,
            chat_id=pending.chat_id,
            telegram_user_id=pending.telegram_user_id,
            account_label=label,
            code=confirm_code,
            choices=tuple(choices_for(confirm_code)),
            page_token=page_token,
            requester=requester,
        )

    async def confirm(
        self, confirmation_id: int, *, telegram_user_id: int, answer: str
    ) -> LinkOutcome:
        """The requester picked `answer`: link on the right code, cancel on anything else."""
        async with self._db.transaction() as session:
            confirmations = LinkConfirmationRepository(session, self._cipher)
            record = await confirmations.get(confirmation_id)
            if record is None or record.telegram_user_id != telegram_user_id:
                return LinkFailed(LinkProblem.UNKNOWN_STATE)
            if record.status != ConfirmationStatus.PENDING:
                return LinkFailed(LinkProblem.REUSED, record.chat_id)
            if record.expires_at <= self._clock():
                outcome: LinkOutcome = LinkFailed(LinkProblem.EXPIRED, record.chat_id)
                status = ConfirmationStatus.EXPIRED
            elif not is_code(answer) or not secrets.compare_digest(answer, record.code):
                outcome = LinkFailed(LinkProblem.WRONG_CODE, record.chat_id)
                status = ConfirmationStatus.CANCELLED
            else:
                if not await confirmations.settle(record.id, ConfirmationStatus.CONFIRMED):
                    return LinkFailed(LinkProblem.REUSED, record.chat_id)
                return await self._store(session, record)
            if not await confirmations.settle(record.id, status):
                return LinkFailed(LinkProblem.REUSED, record.chat_id)
        await self._revoke(record)
        return outcome

    async def decline(self, confirmation_id: int, *, telegram_user_id: int) -> LinkOutcome:
        """The requester says they did not start this sign-in: cancel it."""
        async with self._db.transaction() as session:
            confirmations = LinkConfirmationRepository(session, self._cipher)
            record = await confirmations.get(confirmation_id)
            if record is None or record.telegram_user_id != telegram_user_id:
                return LinkFailed(LinkProblem.UNKNOWN_STATE)
            if not await confirmations.settle(record.id, ConfirmationStatus.CANCELLED):
                return LinkFailed(LinkProblem.REUSED, record.chat_id)
        await self._revoke(record)
        return LinkFailed(LinkProblem.DECLINED, record.chat_id)

    async def page_view(self, page_token: str) -> ConfirmationView | None:
        """What the browser that finished the sign-in may see about it."""
        if not page_token or len(page_token) > 64:
            return None
        async with self._db.transaction() as session:
            record = await LinkConfirmationRepository(session, self._cipher).by_page_token(
                page_token
            )
            if record is None:
                return None
            requester = await self._requester(session, record.telegram_user_id)
        status = ConfirmationStatus(record.status)
        if status is ConfirmationStatus.PENDING and record.expires_at <= self._clock():
            status = ConfirmationStatus.EXPIRED
        return ConfirmationView(status, record.account_label, record.code, requester)

    async def _requester(self, session: AsyncSession, telegram_user_id: int) -> Requester:
        profile = await UserRepository(session).profile(telegram_user_id)
        first_name, username = profile if profile else ("", None)
        return Requester(first_name or f"Telegram user {telegram_user_id}", username)

    async def _revoke(self, record: ConfirmationRecord) -> None:
        """Give back what TikTok granted for a sign-in that will never be used."""
        grant, _ = _unpack(record.payload)
        try:
            await self._client.revoke(grant.access_token)
        except TikTokError as exc:
            log.warning("could not revoke a cancelled sign-in: %s", exc.code)

    async def _store(self, session: AsyncSession, record: ConfirmationRecord) -> LinkSucceeded:
        grant, profile = _unpack(record.payload)
        telegram_user_id = record.telegram_user_id
        accounts = AccountRepository(session, self._cipher)
        existing = {a.open_id for a in await accounts.list_for_user(telegram_user_id)}
        account = await accounts.save_linked(
            telegram_user_id=telegram_user_id,
            open_id=grant.open_id,
            display_name=profile.display_name,
            username=profile.username,
            avatar_url=profile.avatar_url,
            scopes=grant.scopes,
            tokens=tokens_from_grant(grant, self._clock),
        )
        users = UserRepository(session)
        if await users.default_account_id(telegram_user_id) is None:
            await users.set_default_account(telegram_user_id, account.id)
            account = await accounts.get(account.id) or account
        missing = tuple(s for s in self._scopes if s not in grant.scopes)
        return LinkSucceeded(record.chat_id, account, missing, grant.open_id in existing)
