"""Tables that let several bot processes share one database safely.

- cluster_leases: a periodic job runs once per period across all processes.
- rate_budgets: TikTok's per-token rate limits, spent by every process.
- albums / album_items: a Telegram album collected whichever process gets each item.
- media_blobs: prepared photos TikTok pulls, servable by any process.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Float, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class ClusterLease(SQLModel, table=True):
    """Who runs a periodic job for one period (e.g. the daily snapshot of one day)."""

    __tablename__ = "cluster_leases"

    job: str = Field(primary_key=True, max_length=64)
    period: str = Field(primary_key=True, max_length=32)
    holder: str = Field(max_length=64)
    lease_until: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    done: bool = False


class RateBudget(SQLModel, table=True):
    """The next free call slot (epoch seconds) of one rate-limited TikTok endpoint and token."""

    __tablename__ = "rate_budgets"

    key: str = Field(primary_key=True, max_length=64)
    next_at: float = Field(default=0.0, sa_column=Column(Float, nullable=False))


class Album(SQLModel, table=True):
    """A Telegram album (media_group_id) being collected for one user."""

    __tablename__ = "albums"
    __table_args__ = (
        UniqueConstraint("telegram_user_id", "media_group_id", name="uq_albums_user_group"),
        Index("ix_albums_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    media_group_id: str = Field(max_length=64)
    status: str = Field(default="collecting", max_length=16)  # collecting | done
    last_item_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    finished_by: str | None = Field(default=None, max_length=64)
    draft_id: int | None = None


class AlbumItem(SQLModel, table=True):
    """One message of an album; a redelivered message is stored once."""

    __tablename__ = "album_items"
    __table_args__ = (UniqueConstraint("album_id", "message_id", name="uq_album_items_message"),)

    id: int | None = Field(default=None, primary_key=True)
    album_id: int = Field(foreign_key="albums.id", index=True)
    message_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(max_length=16)
    media_json: str = Field(sa_column=Column(Text, nullable=False))
    caption: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    arrived_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )


class MediaBlob(SQLModel, table=True):
    """A prepared photo (a few MB at most), kept only while its publish job needs it."""

    __tablename__ = "media_blobs"

    token: str = Field(primary_key=True, max_length=64)
    name: str = Field(primary_key=True, max_length=16)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
