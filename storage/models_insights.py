"""Tables of /stats and /comment: account snapshots, comments written, a pending comment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _account_fk() -> Column[int]:
    # Unlinking an account forgets its history here too (ON DELETE CASCADE).
    return Column(
        Integer, ForeignKey("tiktok_accounts.id", ondelete="CASCADE"), nullable=False, index=True
    )


class AccountSnapshot(SQLModel, table=True):
    """An account's public numbers at one moment (a /stats look or the daily job)."""

    __tablename__ = "account_snapshots"
    __table_args__ = (Index("ix_account_snapshots_account_taken", "account_id", "taken_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_account_fk())
    taken_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    follower_count: int | None = None
    following_count: int | None = None
    likes_count: int | None = None
    video_count: int | None = None
    source: str = "look"  # "look" | "daily"


class BotComment(SQLModel, table=True):
    """A comment (or reply) a user wrote on TikTok through this bot."""

    __tablename__ = "bot_comments"
    __table_args__ = (Index("ix_bot_comments_owner_created", "telegram_user_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    account_id: int = Field(sa_column=_account_fk())
    video_id: str = Field(max_length=32)
    video_title: str = Field(default="", sa_column=Column(Text, nullable=False))
    comment_id: str = Field(max_length=32)
    reply_to_comment_id: str | None = Field(default=None, max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    deleted_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )


class PendingComment(SQLModel, table=True):
    """The comment a user is writing: picked video, then the text, then Send.

    One per user. `token` changes whenever the text does, so a Send button
    under an older preview cannot post a text the user no longer sees.
    """

    __tablename__ = "pending_comments"

    telegram_user_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False)
    )
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    account_id: int = Field(sa_column=_account_fk())
    video_id: str = Field(max_length=32)
    video_title: str = Field(default="", sa_column=Column(Text, nullable=False))
    reply_to_comment_id: str | None = Field(default=None, max_length=32)
    reply_to_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    token: str = Field(max_length=16)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
