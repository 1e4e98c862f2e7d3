"""Tables of /watch: watched creators, their daily snapshots, alerts already sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _watch_fk() -> Column[int]:
    # Unwatching forgets the creator's snapshots and alerts too.
    return Column(
        Integer, ForeignKey("creator_watches.id", ondelete="CASCADE"), nullable=False, index=True
    )


class CreatorWatch(SQLModel, table=True):
    """A creator on one user's watchlist (public data from a provider, not a linked account)."""

    __tablename__ = "creator_watches"
    __table_args__ = (UniqueConstraint("telegram_user_id", "sec_uid", name="uq_creator_watch"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    sec_uid: str = Field(max_length=128)
    username: str = Field(max_length=64)
    nickname: str = ""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )


class CreatorSnapshot(SQLModel, table=True):
    """A watched creator's numbers on one day: at most one row per (watch, day)."""

    __tablename__ = "creator_snapshots"
    # The daily job may run in several processes at once: the second insert loses here.
    __table_args__ = (UniqueConstraint("watch_id", "day", name="uq_creator_snapshot_day"),)

    id: int | None = Field(default=None, primary_key=True)
    watch_id: int = Field(sa_column=_watch_fk())
    day: date = Field(sa_column=Column(Date, nullable=False))
    taken_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    followers: int | None = None
    following: int | None = None
    likes: int | None = None
    videos: int | None = None
    median_views: int | None = None


class CreatorAlert(SQLModel, table=True):
    """A video of a watched creator that reached twice their median views: alerted once."""

    __tablename__ = "creator_alerts"
    __table_args__ = (UniqueConstraint("watch_id", "aweme_id", name="uq_creator_alert_video"),)

    id: int | None = Field(default=None, primary_key=True)
    watch_id: int = Field(sa_column=_watch_fk())
    aweme_id: str = Field(max_length=32)
    views: int
    median_views: int
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
