"""Linking a TikTok account: from /link to the OAuth callback.

The state is random, single use, bound to the Telegram user who asked, and
expires after ten minutes. The PKCE verifier is stored encrypted beside it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

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
    LinkedAccount,
    OAuthStateRepository,
    StateProblem,
    UserRepository,
)

log = logging.getLogger(__name__)

STATE_LIFETIME = timedelta(minutes=10)
PROFILE_FIELDS = ("open_id", "union_id", "avatar_url", "display_name", "username")


class LinkProblem(StrEnum):
    """Why a callback did not link an account."""

    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REUSED = "reused"
    UNKNOWN_STATE = "unknown_state"
    BAD_REQUEST = "bad_request"
    TIKTOK_ERROR = "tiktok_error"


@dataclass(frozen=True, slots=True)
class LinkSucceeded:
    """The account is linked (or re-linked)."""

    chat_id: int
    account: LinkedAccount
    missing_scopes: tuple[str, ...]
    relinked: bool


@dataclass(frozen=True, slots=True)
class LinkFailed:
    """Nothing changed; `chat_id` is whom to tell, when known."""

    problem: LinkProblem
    chat_id: int | None = None
    detail: str = field(default="")


LinkOutcome = LinkSucceeded | LinkFailed


class LinkService:
    """Starts OAuth links and completes them from the web callback."""

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
        """Handle the callback's query string; change nothing unless it all checks out."""
        state = query.get("state", "")
        if not state or len(state) > 64:
            return LinkFailed(LinkProblem.UNKNOWN_STATE)
        async with self._db.transaction() as session:
            pending = await OAuthStateRepository(session, self._cipher).consume(
                state, now=self._clock()
            )
            if isinstance(pending, StateProblem):
                row = await OAuthStateRepository(session, self._cipher).peek(state)
                chat_id = row.chat_id if row else None
                problem = {
                    StateProblem.UNKNOWN: LinkProblem.UNKNOWN_STATE,
                    StateProblem.USED: LinkProblem.REUSED,
                    StateProblem.EXPIRED: LinkProblem.EXPIRED,
                }[pending]
                return LinkFailed(problem, chat_id)
        if query.get("error"):
            return LinkFailed(
                LinkProblem.CANCELLED
                if query["error"] == "access_denied"
                else LinkProblem.TIKTOK_ERROR,
                pending.chat_id,
                query.get("error_description", query["error"])[:200],
            )
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
        account, relinked = await self._store(pending.telegram_user_id, grant, profile)
        missing = tuple(s for s in self._scopes if s not in grant.scopes)
        return LinkSucceeded(pending.chat_id, account, missing, relinked)

    async def _store(
        self, telegram_user_id: int, grant: TokenGrant, profile: UserInfo
    ) -> tuple[LinkedAccount, bool]:
        async with self._db.transaction() as session:
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
        return account, grant.open_id in existing
