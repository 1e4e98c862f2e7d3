"""Per-user settings (the time zone)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models_settings import UserSettings
from storage.types import utcnow


class UserSettingsRepository:
    """Reads and writes UserSettings rows; flushes, never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def time_zone(self, telegram_user_id: int) -> str | None:
        """The user's IANA time zone name, or None when never chosen."""
        row = await self._session.get(UserSettings, telegram_user_id)
        return row.time_zone if row is not None else None

    async def set_time_zone(self, telegram_user_id: int, time_zone: str) -> None:
        """Store the user's time zone (an IANA name such as "Europe/Berlin")."""
        row = await self._session.get(UserSettings, telegram_user_id)
        if row is None:
            row = UserSettings(telegram_user_id=telegram_user_id)
        row.time_zone = time_zone
        row.updated_at = utcnow()
        self._session.add(row)
        await self._session.flush()

    async def awaiting(self, telegram_user_id: int, *, since: datetime) -> str | None:
        """The typed answer the bot waits for from this user, if asked for after `since`."""
        row = await self._session.get(UserSettings, telegram_user_id)
        if row is None or row.awaiting_since is None or row.awaiting_since < since:
            return None
        return row.awaiting

    async def set_awaiting(
        self, telegram_user_id: int, awaiting: str | None, *, now: datetime
    ) -> None:
        """Remember (or clear, with None) which typed answer the bot waits for, asked `now`."""
        row = await self._session.get(UserSettings, telegram_user_id)
        if row is None:
            if awaiting is None:
                return
            row = UserSettings(telegram_user_id=telegram_user_id)
        row.awaiting = awaiting
        row.awaiting_since = now if awaiting is not None else None
        row.updated_at = utcnow()
        self._session.add(row)
        await self._session.flush()
