"""TikTok webhook tables: deliveries seen (replays) and events received (idempotence).

Only storage/repositories/webhooks.py reads or writes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _utc(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class WebhookDelivery(SQLModel, table=True):
    """A signature already accepted: the same request again is a replay.

    Rows older than the signature tolerance can go: such requests are refused
    as stale anyway.
    """

    __tablename__ = "tiktok_webhook_deliveries"

    signature: str = Field(primary_key=True, max_length=128)
    signed_at: datetime = Field(sa_column=_utc())
    received_at: datetime = Field(default_factory=utcnow, sa_column=_utc())


class WebhookEvent(SQLModel, table=True):
    """One TikTok event, stored once however often TikTok delivers it.

    `event_key` is a digest of what identifies the event (app, name, user,
    create time, content); a retry or duplicate has the same key.
    `processed_at` is set once its effects (messages, unlinking) are done.
    """

    __tablename__ = "tiktok_webhook_events"
    __table_args__ = (UniqueConstraint("event_key", name="uq_tiktok_webhook_events_key"),)

    id: int | None = Field(default=None, primary_key=True)
    event_key: str = Field(max_length=64)
    event: str = Field(max_length=64)
    open_id: str = Field(max_length=128, index=True)
    publish_id: str | None = Field(default=None, max_length=128, index=True)
    post_id: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=_utc())
    received_at: datetime = Field(default_factory=utcnow, sa_column=_utc())
    processed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
