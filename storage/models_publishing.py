"""The publish_jobs table: one durable row per post the user asked for.

Only storage/repositories/publish_jobs.py reads or writes it. The upload URL
carries an upload token, so it is stored as Fernet ciphertext like the OAuth
tokens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _utc(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class PublishJob(SQLModel, table=True):
    """A post on its way to TikTok: request, state, lease and TikTok's ids.

    `draft_id` is unique, so tapping Post twice cannot create two jobs.
    `publish_id` is written right after init, in its own transaction; a row
    that has one is never initialised again. `lease_owner`/`lease_until` say
    which worker runs the job and until when its claim holds.
    """

    __tablename__ = "publish_jobs"
    __table_args__ = (
        UniqueConstraint("draft_id", name="uq_publish_jobs_draft"),
        Index("ix_publish_jobs_due", "state", "not_before"),
    )

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    account_id: int = Field(index=True)
    kind: str = Field(max_length=16)
    mode: str = Field(max_length=16)
    request_json: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(max_length=16)
    not_before: datetime = Field(sa_column=_utc())
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    attempts: int = 0
    inits: int = 0
    publish_id: str | None = Field(default=None, max_length=128)
    upload_url_enc: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    upload_expires_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    video_size: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    chunk_size: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    content_type: str | None = Field(default=None, max_length=32)
    uploaded_bytes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    media_token: str | None = Field(default=None, max_length=64)
    progress_message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    post_id: str | None = Field(default=None, max_length=32)
    share_url: str | None = None
    outcome_code: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc())
    processing_since: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    notified_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
