"""Linked TikTok accounts and their encrypted tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import TokenCipher
from storage.models import TelegramUser, TikTokAccount
from storage.repositories.records import AccountTokens, LinkedAccount
from storage.types import utcnow


def _record(row: TikTokAccount, default_id: int | None) -> LinkedAccount:
    assert row.id is not None
    return LinkedAccount(
        id=row.id,
        telegram_user_id=row.telegram_user_id,
        open_id=row.open_id,
        display_name=row.display_name,
        username=row.username,
        avatar_url=row.avatar_url,
        scopes=frozenset(s for s in row.scopes.split(",") if s),
        access_expires_at=row.access_expires_at,
        refresh_expires_at=row.refresh_expires_at,
        needs_relink=row.needs_relink,
        is_default=row.id == default_id,
    )


class AccountRepository:
    """Reads and writes TikTokAccount rows; tokens are encrypted here and only here."""

    def __init__(self, session: AsyncSession, cipher: TokenCipher) -> None:
        self._session = session
        self._cipher = cipher

    async def _default_id(self, telegram_user_id: int) -> int | None:
        user = await self._session.get(TelegramUser, telegram_user_id)
        return user.default_account_id if user else None

    async def list_for_user(self, telegram_user_id: int) -> list[LinkedAccount]:
        """The user's accounts, default first, then in linking order."""
        rows = (
            await self._session.exec(
                select(TikTokAccount)
                .where(TikTokAccount.telegram_user_id == telegram_user_id)
                .order_by(col(TikTokAccount.id))
            )
        ).all()
        default_id = await self._default_id(telegram_user_id)
        records = [_record(r, default_id) for r in rows]
        return sorted(records, key=lambda a: not a.is_default)

    async def get(self, account_id: int) -> LinkedAccount | None:
        """One account by id, whoever owns it."""
        row = await self._session.get(TikTokAccount, account_id)
        if row is None:
            return None
        return _record(row, await self._default_id(row.telegram_user_id))

    async def get_owned(self, telegram_user_id: int, account_id: int) -> LinkedAccount | None:
        """The account if `telegram_user_id` owns it, else None."""
        account = await self.get(account_id)
        return account if account and account.telegram_user_id == telegram_user_id else None

    async def save_linked(
        self,
        *,
        telegram_user_id: int,
        open_id: str,
        display_name: str,
        username: str | None,
        avatar_url: str | None,
        scopes: Iterable[str],
        tokens: AccountTokens,
    ) -> LinkedAccount:
        """Insert the account or update it (re-link) with fresh profile and tokens."""
        row = (
            await self._session.exec(
                select(TikTokAccount).where(
                    TikTokAccount.telegram_user_id == telegram_user_id,
                    TikTokAccount.open_id == open_id,
                )
            )
        ).first()
        if row is None:
            row = TikTokAccount(
                telegram_user_id=telegram_user_id,
                open_id=open_id,
                access_token_enc="",
                refresh_token_enc="",
                access_expires_at=tokens.access_expires_at,
                refresh_expires_at=tokens.refresh_expires_at,
            )
        row.display_name = display_name
        row.username = username
        row.avatar_url = avatar_url
        row.scopes = ",".join(sorted(set(scopes)))
        row.needs_relink = False
        self._apply_tokens(row, tokens)
        self._session.add(row)
        await self._session.flush()
        return _record(row, await self._default_id(telegram_user_id))

    def _apply_tokens(self, row: TikTokAccount, tokens: AccountTokens) -> None:
        row.access_token_enc = self._cipher.encrypt(tokens.access_token)
        row.refresh_token_enc = self._cipher.encrypt(tokens.refresh_token)
        row.access_expires_at = tokens.access_expires_at
        row.refresh_expires_at = tokens.refresh_expires_at
        row.updated_at = utcnow()

    async def tokens(self, account_id: int, *, for_update: bool = False) -> AccountTokens | None:
        """Decrypted tokens, or None; `for_update` locks the row (PostgreSQL) until commit."""
        row = await self._session.get(TikTokAccount, account_id, with_for_update=for_update)
        if row is None:
            return None
        return AccountTokens(
            access_token=self._cipher.decrypt(row.access_token_enc),
            refresh_token=self._cipher.decrypt(row.refresh_token_enc),
            access_expires_at=row.access_expires_at,
            refresh_expires_at=row.refresh_expires_at,
        )

    async def save_tokens(self, account_id: int, tokens: AccountTokens) -> None:
        """Persist rotated tokens (the caller's transaction makes it atomic)."""
        row = await self._session.get(TikTokAccount, account_id)
        if row is None:
            return
        self._apply_tokens(row, tokens)
        row.needs_relink = False
        self._session.add(row)
        await self._session.flush()

    async def mark_needs_relink(self, account_id: int) -> None:
        """Flag the account: its refresh token no longer works."""
        row = await self._session.get(TikTokAccount, account_id)
        if row is not None:
            row.needs_relink = True
            row.updated_at = utcnow()
            self._session.add(row)
            await self._session.flush()

    async def update_profile(
        self, account_id: int, *, display_name: str, username: str | None, avatar_url: str | None
    ) -> None:
        """Refresh the cached profile fields."""
        row = await self._session.get(TikTokAccount, account_id)
        if row is not None:
            row.display_name, row.username, row.avatar_url = display_name, username, avatar_url
            self._session.add(row)
            await self._session.flush()

    async def delete(self, account_id: int) -> None:
        """Remove the account and its tokens."""
        row = await self._session.get(TikTokAccount, account_id)
        if row is not None:
            await self._session.delete(row)
            await self._session.flush()

    async def open_ids_with_expiry_before(self, moment: datetime) -> list[int]:
        """Ids of accounts whose access token expires before `moment`."""
        rows = await self._session.exec(
            select(TikTokAccount.id).where(col(TikTokAccount.access_expires_at) < moment)
        )
        return [i for i in rows.all() if i is not None]

    async def with_open_id(self, open_id: str) -> list[LinkedAccount]:
        """Every link of one TikTok account (several Telegram users may have linked it)."""
        rows = (
            await self._session.exec(
                select(TikTokAccount)
                .where(TikTokAccount.open_id == open_id)
                .order_by(col(TikTokAccount.id))
            )
        ).all()
        return [_record(r, await self._default_id(r.telegram_user_id)) for r in rows]
