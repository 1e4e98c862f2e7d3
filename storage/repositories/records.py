"""Plain data objects the repositories hand to services (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class LinkedAccount:
    """A linked TikTok account as the rest of the bot sees it: no tokens."""

    id: int
    telegram_user_id: int
    open_id: str
    display_name: str
    username: str | None
    avatar_url: str | None
    scopes: frozenset[str]
    access_expires_at: datetime
    refresh_expires_at: datetime
    needs_relink: bool
    is_default: bool = False

    @property
    def label(self) -> str:
        """How the account is named in messages: '@username' or the display name."""
        return f"@{self.username}" if self.username else self.display_name or self.open_id


@dataclass(frozen=True, slots=True)
class AccountTokens:
    """Decrypted tokens of one account, for the token manager only."""

    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime


@dataclass(frozen=True, slots=True)
class PendingLink:
    """A consumed OAuth state: who asked for the link and the PKCE verifier."""

    telegram_user_id: int
    chat_id: int
    code_verifier: str
    relink_account_id: int | None
