"""Telegram users."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import TelegramUser


class UserRepository:
    """Reads and writes TelegramUser rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(
        self, user_id: int, *, first_name: str, username: str | None, language_code: str | None
    ) -> None:
        """Create the user or refresh their public profile fields."""
        row = await self._session.get(TelegramUser, user_id)
        if row is None:
            row = TelegramUser(id=user_id)
        row.first_name = first_name
        row.username = username
        row.language_code = language_code
        self._session.add(row)
        await self._session.flush()

    async def profile(self, user_id: int) -> tuple[str, str | None] | None:
        """(first name, username) as Telegram last told us, if we know the user."""
        row = await self._session.get(TelegramUser, user_id)
        return (row.first_name, row.username) if row else None

    async def default_account_id(self, user_id: int) -> int | None:
        """The account the user posts to unless they pick another."""
        row = await self._session.get(TelegramUser, user_id)
        return row.default_account_id if row else None

    async def set_default_account(self, user_id: int, account_id: int | None) -> None:
        """Make `account_id` the user's default (None clears it)."""
        row = await self._session.get(TelegramUser, user_id)
        if row is None:
            row = TelegramUser(id=user_id)
        row.default_account_id = account_id
        self._session.add(row)
        await self._session.flush()
