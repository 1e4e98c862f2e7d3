"""A question the bot asked claims the user's next text only for a while."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.scheduling.preferences import ANSWER_WITHIN, AWAITING_TIME_ZONE, UserPreferences
from bot.scheduling.zones import TimeZoneChoice
from storage.db import Database


async def test_an_unanswered_question_expires(tmp_path: Path) -> None:
    now = [datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    await db.upgrade()
    prefs = UserPreferences(db, lambda: now[0])
    try:
        await prefs.expect(7, "queue_caption:3")
        assert await prefs.awaiting(7) == "queue_caption:3"
        now[0] += ANSWER_WITHIN + timedelta(seconds=1)
        assert await prefs.awaiting(7) is None

        await prefs.expect(7, AWAITING_TIME_ZONE)
        await prefs.set_time_zone(7, TimeZoneChoice("Europe/Lisbon"))  # answered
        assert await prefs.awaiting(7) is None
        assert await prefs.time_zone(7) == TimeZoneChoice("Europe/Lisbon")
        assert await prefs.awaiting(8) is None  # never asked
    finally:
        await db.dispose()
