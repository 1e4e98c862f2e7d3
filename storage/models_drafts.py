"""Composer drafts: the post a user is putting together, kept across restarts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class Draft(SQLModel, table=True):
    """One post being composed in a chat (callback data refers to its id)."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_owner_status", "telegram_user_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    account_id: int | None = None
    kind: str  # MediaKind; also in choices_json, kept here to query by it
    status: str  # DraftStatus
    media_group_id: str | None = Field(default=None, index=True)
    media_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    # What the user chose: the domain's PostChoices as a versioned JSON document.
    # The server default is the migration's, which filled rows older than the column.
    choices_json: str = Field(
        default="{}", sa_column=Column(Text, nullable=False, server_default="{}")
    )
    awaiting: str | None = None  # which text the next message sets
    composer_message_id: int | None = None
    creator_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    job_id: int | None = None
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
