"""The user's time zone, and the typed answer the bot is waiting for."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from bot.scheduling.zones import TimeZoneChoice, stored_choice
from storage.db import Database
from storage.repositories.user_settings import UserSettingsRepository

# What `awaiting` holds while the bot waits for a typed time zone.
AWAITING_TIME_ZONE = "time_zone"
# A question left unanswered this long no longer claims the user's next text
# (they moved on, e.g. to typing a caption in the composer).
ANSWER_WITHIN = timedelta(minutes=15)


class UserPreferences:
    """Reads and changes per-user settings."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self.clock = clock

    async def time_zone(self, telegram_user_id: int) -> TimeZoneChoice | None:
        """The user's zone, or None when never chosen."""
        async with self._db.transaction() as session:
            name = await UserSettingsRepository(session).time_zone(telegram_user_id)
        return stored_choice(name)

    async def set_time_zone(self, telegram_user_id: int, choice: TimeZoneChoice) -> None:
        """Store the user's zone (and stop waiting for a typed one)."""
        async with self._db.transaction() as session:
            repo = UserSettingsRepository(session)
            await repo.set_time_zone(telegram_user_id, choice.name)
            awaiting = await repo.awaiting(telegram_user_id, since=self._since()) or ""
            if awaiting.partition(":")[0] == AWAITING_TIME_ZONE:
                await repo.set_awaiting(telegram_user_id, None, now=self.clock())

    async def awaiting(self, telegram_user_id: int) -> str | None:
        """What typed answer the bot waits for from this user."""
        async with self._db.transaction() as session:
            return await UserSettingsRepository(session).awaiting(
                telegram_user_id, since=self._since()
            )

    def _since(self) -> datetime:
        return self.clock() - ANSWER_WITHIN

    async def expect(self, telegram_user_id: int, awaiting: str | None) -> None:
        """Wait for a typed answer of this kind (None: for nothing)."""
        async with self._db.transaction() as session:
            await UserSettingsRepository(session).set_awaiting(
                telegram_user_id, awaiting, now=self.clock()
            )

    def now_in(self, choice: TimeZoneChoice) -> datetime:
        """Now on the zone's wall clock."""
        return self.clock().astimezone(choice.tz)
