"""Listing, choosing and unlinking a user's TikTok accounts."""

from __future__ import annotations

import asyncio
import logging

from bot.accounts.linking import PROFILE_FIELDS
from bot.accounts.tokens import TokenManager
from bot.errors import AccountNeedsRelink, AccountNotFound, NoLinkedAccount
from bot.tiktok import TikTokClient, TikTokError, UserInfo, user_fields_for
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import AccountRepository, LinkedAccount, UserRepository

log = logging.getLogger(__name__)


class AccountService:
    """What /accounts and every feature needing "which account" use."""

    def __init__(
        self, *, db: Database, cipher: TokenCipher, client: TikTokClient, tokens: TokenManager
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._client = client
        self._tokens = tokens

    async def remember_user(
        self, user_id: int, *, first_name: str, username: str | None, language_code: str | None
    ) -> None:
        """Record (or refresh) the Telegram user.

        Committed on its own: an idempotent upsert that must not hold the
        database's write lock while the rest of the update calls TikTok.
        """
        async with self._db.separate_transaction() as session:
            await UserRepository(session).upsert(
                user_id, first_name=first_name, username=username, language_code=language_code
            )

    async def linked(self, user_id: int) -> list[LinkedAccount]:
        """The user's accounts, default first."""
        async with self._db.transaction() as session:
            return await AccountRepository(session, self._cipher).list_for_user(user_id)

    async def refreshed(self, user_id: int) -> list[LinkedAccount]:
        """The user's accounts with profiles fetched fresh from TikTok where possible.

        Uses each account's token (refreshing it if needed), so a dead grant is
        discovered here and the account flagged for re-link; TikTok being down
        just leaves the cached profile.
        """
        accounts = await self.linked(user_id)
        await asyncio.gather(*(self._refresh_profile(a) for a in accounts if not a.needs_relink))
        return await self.linked(user_id)

    async def _refresh_profile(self, account: LinkedAccount) -> None:
        fields = user_fields_for(account.scopes, PROFILE_FIELDS)

        async def fetch(token: str) -> UserInfo:
            return await self._client.user_info(token, fields)

        try:
            profile = await self._tokens.call(account.id, fetch)
        except AccountNeedsRelink:
            return  # the token manager flagged it
        except TikTokError as exc:
            log.info("profile refresh for account %s failed: %s", account.id, exc.code)
            return
        async with self._db.transaction() as session:
            await AccountRepository(session, self._cipher).update_profile(
                account.id,
                display_name=profile.display_name or account.display_name,
                username=profile.username or account.username,
                avatar_url=profile.avatar_url or account.avatar_url,
            )

    async def owned(self, user_id: int, account_id: int) -> LinkedAccount:
        """The account if the user owns it; AccountNotFound otherwise."""
        async with self._db.transaction() as session:
            account = await AccountRepository(session, self._cipher).get_owned(user_id, account_id)
        if account is None:
            raise AccountNotFound(str(account_id))
        return account

    async def default(self, user_id: int) -> LinkedAccount:
        """The account to use when the user did not pick one."""
        accounts = await self.linked(user_id)
        if not accounts:
            raise NoLinkedAccount()
        return accounts[0]

    async def make_default(self, user_id: int, account_id: int) -> LinkedAccount:
        """Make one of the user's accounts the default."""
        await self.owned(user_id, account_id)
        async with self._db.transaction() as session:
            await UserRepository(session).set_default_account(user_id, account_id)
            account = await AccountRepository(session, self._cipher).get(account_id)
        assert account is not None
        return account

    async def unlink(self, user_id: int, account_id: int) -> LinkedAccount:
        """Revoke the grant at TikTok (best effort) and delete the account here."""
        account = await self.owned(user_id, account_id)
        async with self._db.transaction() as session:
            tokens = await AccountRepository(session, self._cipher).tokens(account_id)
        if tokens is not None:
            try:
                await self._client.revoke(tokens.refresh_token)
            except TikTokError as exc:
                # Deleting here still protects the user: we forget the tokens.
                log.warning("revoke for account %s failed: %s", account_id, exc.code)
        async with self._db.transaction() as session:
            await AccountRepository(session, self._cipher).delete(account_id)
            users = UserRepository(session)
            if await users.default_account_id(user_id) == account_id:
                remaining = await AccountRepository(session, self._cipher).list_for_user(user_id)
                await users.set_default_account(user_id, remaining[0].id if remaining else None)
        return account
