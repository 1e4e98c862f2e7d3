"""TikTok errors, classified for the caller.

The tree::

    TikTokError                      anything that went wrong talking to TikTok
    ├── TikTokUnavailable            network error, timeout, 5xx, internal_error  (retry later)
    ├── OAuthError                   token endpoint refusals: {"error": ...}
    │   └── GrantRevoked             invalid_grant: the refresh token/code is dead (re-link)
    └── APIError                     a v2 envelope with error.code != "ok"
        ├── AccessTokenInvalid       refresh the token once and retry
        ├── ScopeMissing             the user did not grant a scope (re-link with it)
        ├── RateLimited              back off (HTTP 429)
        ├── PostingRefused           TikTok will not take this post now (tell the user)
        └── BadRequest               our request was wrong (a bug, or input we did not check)

Each error carries its policy: `action` (what the caller should do),
`retryable`, and `reason` (the code the user's message is chosen by; see
bot/errors.py), plus `log_id` when TikTok gave one, for support requests.
Messages never contain tokens.
"""

from __future__ import annotations

from enum import StrEnum

from bot.ops import metrics


class ErrorAction(StrEnum):
    """What the caller should do about an error."""

    REFRESH_TOKEN = "refresh_token"  # noqa: S105 (an action name)
    LINK = "link"
    RELINK = "relink"
    RETRY_LATER = "retry_later"
    TELL_USER = "tell_user"
    BUG = "bug"


class TikTokError(Exception):
    """Base of every TikTok failure."""

    action: ErrorAction = ErrorAction.BUG
    # Trouble we do not know better is worth another try later.
    retryable: bool = True
    reason: str = "tiktok_unavailable"

    def __init__(self, message: str, *, code: str = "", log_id: str = "", http_status: int = 0):
        super().__init__(message)
        self.code = code
        self.log_id = log_id
        self.http_status = http_status
        metrics.tiktok_error(code or (f"http_{http_status}" if http_status else "network"))

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.code}: {text}" if self.code else text


class TikTokUnavailable(TikTokError):
    """TikTok could not be reached or failed on its side."""

    action = ErrorAction.RETRY_LATER
    retryable = True


class OAuthError(TikTokError):
    """The OAuth token endpoint refused."""

    action = ErrorAction.TELL_USER
    retryable = True


class GrantRevoked(OAuthError):
    """The code or refresh token is no longer valid: the user must link again."""

    action = ErrorAction.RELINK
    retryable = False
    reason = "needs_relink"


class APIError(TikTokError):
    """An Open API envelope with an error code."""


class AccessTokenInvalid(APIError):
    """The access token expired or was revoked."""

    action = ErrorAction.REFRESH_TOKEN
    retryable = False


class ScopeMissing(APIError):
    """The account did not grant a scope this call needs."""

    action = ErrorAction.RELINK
    retryable = False
    reason = "scope_missing"


class RateLimited(APIError):
    """Too many requests for this token and endpoint."""

    action = ErrorAction.RETRY_LATER
    retryable = True
    reason = "rate_limit_exceeded"


class PostingRefused(APIError):
    """TikTok refuses the post for a reason the user can understand."""

    action = ErrorAction.TELL_USER
    retryable = False

    @property
    def reason(self) -> str:  # type: ignore[override]
        """TikTok's own code says why (texts explain each)."""
        return self.code or "spam_risk"


class BadRequest(APIError):
    """TikTok rejected the request's shape or values."""

    action = ErrorAction.BUG
    retryable = False
    reason = "tiktok_rejected"


# Codes seen from TikTok, mapped to the branch that tells callers what to do.
_BY_CODE: dict[str, type[APIError]] = {
    "access_token_invalid": AccessTokenInvalid,
    "scope_not_authorized": ScopeMissing,
    "scope_permission_missed": ScopeMissing,
    "rate_limit_exceeded": RateLimited,
    "spam_risk_too_many_posts": PostingRefused,
    "spam_risk_user_banned_from_posting": PostingRefused,
    "spam_risk_too_many_pending_share": PostingRefused,
    "spam_risk": PostingRefused,
    "reached_active_user_cap": PostingRefused,
    "unaudited_client_can_only_post_to_private_accounts": PostingRefused,
    "privacy_level_option_mismatch": PostingRefused,
    "url_ownership_unverified": PostingRefused,
    "video_not_found": PostingRefused,
    "comment_not_found": PostingRefused,
    "invalid_param": BadRequest,
    "invalid_params": BadRequest,
    "invalid_file_upload": BadRequest,
}


def classify_api_error(
    code: str, message: str, *, log_id: str = "", http_status: int = 0
) -> TikTokError:
    """Turn an envelope error into the typed exception a caller can act on."""
    if code == "internal_error" or http_status >= 500:
        return TikTokUnavailable(message, code=code, log_id=log_id, http_status=http_status)
    if http_status == 429:
        return RateLimited(message, code=code, log_id=log_id, http_status=http_status)
    cls = _BY_CODE.get(code)
    if cls is None:
        cls = AccessTokenInvalid if http_status == 401 else BadRequest
    return cls(message, code=code, log_id=log_id, http_status=http_status)


def classify_oauth_error(
    error: str, description: str, *, log_id: str = "", http_status: int = 0
) -> TikTokError:
    """Turn a token-endpoint refusal into a typed exception."""
    if error in {"server_error", "temporarily_unavailable"} or http_status >= 500:
        return TikTokUnavailable(description, code=error, log_id=log_id, http_status=http_status)
    if error == "invalid_grant":
        return GrantRevoked(description, code=error, log_id=log_id, http_status=http_status)
    return OAuthError(description, code=error, log_id=log_id, http_status=http_status)
