"""SQLModel tables. Only repositories read or write them.

Tokens are stored only as Fernet ciphertext (`*_enc` columns); see crypto.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _utc(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class TelegramUser(SQLModel, table=True):
    """A person who talks to the bot."""

    __tablename__ = "telegram_users"

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    first_name: str = ""
    username: str | None = None
    language_code: str | None = None
    default_account_id: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc())


class TikTokAccount(SQLModel, table=True):
    """A TikTok account linked by a Telegram user, with its encrypted tokens."""

    __tablename__ = "tiktok_accounts"
    __table_args__ = (UniqueConstraint("telegram_user_id", "open_id", name="uq_account_owner"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    open_id: str = Field(index=True)
    display_name: str = ""
    username: str | None = None
    avatar_url: str | None = None
    scopes: str = ""
    access_token_enc: str
    refresh_token_enc: str
    access_expires_at: datetime = Field(sa_column=_utc())
    refresh_expires_at: datetime = Field(sa_column=_utc())
    needs_relink: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc())


class OAuthState(SQLModel, table=True):
    """A pending OAuth link: random state bound to one Telegram user, single use."""

    __tablename__ = "oauth_states"

    state: str = Field(primary_key=True, max_length=64)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    code_verifier_enc: str
    relink_account_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc())
    expires_at: datetime = Field(sa_column=_utc())
    used_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    # A used or expired state tells its owner once, not on every later hit.
    problem_notified_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
