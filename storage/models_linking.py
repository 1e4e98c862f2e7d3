"""Sign-ins waiting for both ends to confirm (the person at TikTok and the one in Telegram)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class LinkConfirmation(SQLModel, table=True):
    """A finished TikTok sign-in, held until its requester enters the page's code.

    The grant and profile are one Fernet-encrypted JSON document: nothing usable
    is stored in clear, and no account exists until the code matches.
    """

    __tablename__ = "link_confirmations"

    id: int | None = Field(default=None, primary_key=True)
    # The browser sees only this token's page; the chat sees only `id`.
    page_token_hash: str = Field(index=True, unique=True, max_length=64)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    code: str = Field(max_length=2)
    account_label: str = ""
    grant_enc: str
    relink_account_id: int | None = None
    status: str = "pending"
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
