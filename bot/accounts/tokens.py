"""The token manager: one access token per account, always fresh.

- refreshes ahead of expiry, under one lock per account, so two concurrent
  callers never spend the same (rotating) refresh token twice;
- persists the rotated refresh token in the same transaction that read the
  old one (on PostgreSQL that row is locked FOR UPDATE, so several processes
  are safe too);
- retries an operation once after `access_token_invalid`;
- marks the account as needing re-link when TikTok refuses the refresh or
  the refresh token expired, and stores that mark before raising
  AccountNeedsRelink (its own transaction, so the error cannot undo it).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from bot.clock import Clock
from bot.errors import AccountNeedsRelink, AccountNotFound
from bot.keyed_locks import KeyedLocks
from bot.tiktok import AccessTokenInvalid, GrantRevoked, TikTokClient, TokenGrant
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import AccountRepository, AccountTokens, LinkedAccount

log = logging.getLogger(__name__)

T = TypeVar("T")

# Refresh this long before TikTok's expiry so a long upload never starts on a
# token about to die.
REFRESH_MARGIN = timedelta(minutes=10)


def tokens_from_grant(grant: TokenGrant, clock: Clock) -> AccountTokens:
    """Absolute expiries from the lifetimes TikTok gave (never hard-coded)."""
    now = clock()
    return AccountTokens(
        access_token=grant.access_token,
        refresh_token=grant.refresh_token,
        access_expires_at=now + timedelta(seconds=grant.expires_in),
        refresh_expires_at=now + timedelta(seconds=grant.refresh_expires_in),
    )


class TokenManager:
    """Hands out valid access tokens and runs calls with one transparent retry."""

    def __init__(
        self, *, db: Database, cipher: TokenCipher, client: TikTokClient, clock: Clock
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._client = client
        self._clock = clock
        # One lock per account, forgotten when idle (a dict would keep every account).
        self._locks: KeyedLocks[int] = KeyedLocks()

    async def call(self, account_id: int, operation: Callable[[str], Awaitable[T]]) -> T:
        """Run `operation(access_token)`; on access_token_invalid refresh once and retry."""
        token = await self.access_token(account_id)
        try:
            return await operation(token)
        except AccessTokenInvalid:
            log.info("account %s: access token refused, refreshing", account_id)
            token = await self.access_token(account_id, refused=token)
            return await operation(token)

    async def access_token(self, account_id: int, *, refused: str | None = None) -> str:
        """A usable access token; `refused` is one TikTok just rejected.

        Runs in a transaction of its own (never the caller's unit of work): a
        rotated refresh token must be stored even if the caller's step fails,
        and a re-link mark must be stored although the call then raises.
        """
        async with self._locks.hold(account_id):
            async with self._db.separate_transaction() as session:
                repo = AccountRepository(session, self._cipher)
                token, account = await self._usable_token(repo, account_id, refused)
            if token is None:
                raise AccountNeedsRelink(account_id, account.label)
            return token

    async def _usable_token(
        self, repo: AccountRepository, account_id: int, refused: str | None
    ) -> tuple[str | None, LinkedAccount]:
        """A valid token, refreshed if need be (None once the account needs re-linking),
        and the account; the row is read once (locked), then from the session."""
        tokens = await repo.tokens(account_id, for_update=True)
        account = await repo.get(account_id)
        if account is None or tokens is None:
            raise AccountNotFound(str(account_id))
        return await self._refreshed_if_due(repo, account, tokens, refused), account

    async def _refreshed_if_due(
        self,
        repo: AccountRepository,
        account: LinkedAccount,
        tokens: AccountTokens,
        refused: str | None,
    ) -> str | None:
        account_id = account.id
        if account.needs_relink:
            return None
        now = self._clock()
        if refused is not None and tokens.access_token != refused:
            return tokens.access_token  # someone refreshed while we waited
        if refused is None and tokens.access_expires_at - REFRESH_MARGIN > now:
            return tokens.access_token
        if tokens.refresh_expires_at <= now:
            log.warning("account %s: refresh token expired, re-link needed", account_id)
            await repo.mark_needs_relink(account_id)
            return None
        try:
            grant = await self._client.refresh(tokens.refresh_token)
        except GrantRevoked:
            log.warning("account %s: refresh refused, re-link needed", account_id)
            await repo.mark_needs_relink(account_id)
            return None
        fresh = tokens_from_grant(grant, self._clock)
        await repo.save_tokens(account_id, fresh)
        log.info("account %s: token refreshed", account_id)
        return fresh.access_token
