"""Errors of the public-data providers, classified for the caller.

The tree::

    CreatorDataError              anything that went wrong getting a creator's public data
    ├── ProviderUnavailable       network error, timeout, 5xx, a reply we cannot read (retry later)
    ├── ProviderRateLimited       the provider said "wait N s" (retry after `retry_after`)
    ├── ProviderKeyInvalid        the operator's API key is wrong or expired (fix the config)
    ├── ProviderRejected          the provider refused our request's shape (a bug)
    ├── ProviderNotConfigured     no provider for what was asked (tell how to enable one)
    ├── CreatorNotFound           no such username / sec_user_id (tell the user)
    ├── CreatorPrivate            the account is private (tell the user)
    ├── QuotaExceeded             this user used today's lookups (tell the user when it resets)
    └── WatchlistFull             this user watches the most creators allowed (tell the user)

Like the TikTok errors, each carries `action` and `retryable`. Messages never
contain the API key.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class ProviderAction(StrEnum):
    """What the caller should do about an error."""

    RETRY_LATER = "retry_later"
    TELL_USER = "tell_user"
    FIX_CONFIG = "fix_config"  # the operator must act (key, base URL)
    BUG = "bug"


class CreatorDataError(Exception):
    """Base of every provider failure."""

    action: ProviderAction = ProviderAction.BUG
    retryable: bool = False

    def __init__(self, message: str, *, provider: str = "", http_status: int = 0) -> None:
        super().__init__(message)
        self.provider = provider
        self.http_status = http_status


class ProviderUnavailable(CreatorDataError):
    """The provider could not be reached or failed on its side."""

    action = ProviderAction.RETRY_LATER
    retryable = True


class ProviderRateLimited(CreatorDataError):
    """The provider asks us to wait before the next request."""

    action = ProviderAction.RETRY_LATER
    retryable = True

    def __init__(
        self, message: str, *, retry_after: float, provider: str = "", http_status: int = 429
    ) -> None:
        super().__init__(message, provider=provider, http_status=http_status)
        self.retry_after = retry_after


class ProviderKeyInvalid(CreatorDataError):
    """The provider refuses the operator's API key."""

    action = ProviderAction.FIX_CONFIG


class ProviderRejected(CreatorDataError):
    """The provider rejected a parameter we sent."""

    action = ProviderAction.BUG


class ProviderNotConfigured(CreatorDataError):
    """No provider is configured for this kind of data."""

    action = ProviderAction.FIX_CONFIG

    def __init__(self, needs: str) -> None:
        super().__init__(f"no provider configured for {needs}")
        self.needs = needs  # "profiles" | "videos"


class CreatorNotFound(CreatorDataError):
    """The username or sec_user_id does not exist."""

    action = ProviderAction.TELL_USER

    def __init__(self, reference: str, *, provider: str = "") -> None:
        super().__init__(f"creator not found: {reference}", provider=provider)
        self.reference = reference


class CreatorPrivate(CreatorDataError):
    """The account is private: its videos and followings are not public."""

    action = ProviderAction.TELL_USER

    def __init__(self, username: str, *, provider: str = "") -> None:
        super().__init__(f"private account: {username}", provider=provider)
        self.username = username


class QuotaExceeded(CreatorDataError):
    """The user spent their lookups for the day."""

    action = ProviderAction.TELL_USER

    def __init__(self, limit: int, resets_at: datetime, *, now: datetime) -> None:
        super().__init__(f"quota of {limit} lookups used")
        self.limit = limit
        self.resets_at = resets_at
        self.now = now  # when it was refused, to say how long until the next one


class WatchlistFull(CreatorDataError):
    """The user watches as many creators as one user may."""

    action = ProviderAction.TELL_USER

    def __init__(self, limit: int) -> None:
        super().__init__(f"watchlist full ({limit})")
        self.limit = limit
