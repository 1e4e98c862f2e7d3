"""Per-user preferences (the time zone scheduled posts are shown and typed in).

Only storage/repositories/user_settings.py reads or writes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class UserSettings(SQLModel, table=True):
    """A Telegram user's settings; no row means nothing chosen yet.

    `awaiting` names the typed answer the bot asked for last ("time_zone",
    "post_time:<draft id>", ...); stored, not kept in memory, so any process
    can read the reply.
    """

    __tablename__ = "user_settings"

    telegram_user_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False)
    )
    time_zone: str | None = Field(default=None, max_length=64)
    awaiting: str | None = Field(default=None, max_length=64)
    awaiting_since: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
