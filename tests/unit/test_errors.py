"""TikTok error codes map to what the caller should do."""

from __future__ import annotations

import pytest

from bot.tiktok import (
    AccessTokenInvalid,
    BadRequest,
    ErrorAction,
    GrantRevoked,
    OAuthError,
    PostingRefused,
    RateLimited,
    ScopeMissing,
    TikTokUnavailable,
    classify_api_error,
    classify_oauth_error,
)


@pytest.mark.parametrize(
    ("code", "status", "kind", "action"),
    [
        ("access_token_invalid", 401, AccessTokenInvalid, ErrorAction.REFRESH_TOKEN),
        ("scope_not_authorized", 401, ScopeMissing, ErrorAction.RELINK),
        ("rate_limit_exceeded", 429, RateLimited, ErrorAction.RETRY_LATER),
        ("spam_risk_too_many_posts", 200, PostingRefused, ErrorAction.TELL_USER),
        (
            "unaudited_client_can_only_post_to_private_accounts",
            403,
            PostingRefused,
            ErrorAction.TELL_USER,
        ),
        ("invalid_params", 400, BadRequest, ErrorAction.BUG),
        ("internal_error", 500, TikTokUnavailable, ErrorAction.RETRY_LATER),
        ("whatever", 503, TikTokUnavailable, ErrorAction.RETRY_LATER),
        ("unknown_new_code", 401, AccessTokenInvalid, ErrorAction.REFRESH_TOKEN),
    ],
)
def test_api_codes(code: str, status: int, kind: type, action: ErrorAction) -> None:
    error = classify_api_error(code, "msg", log_id="L1", http_status=status)
    assert isinstance(error, kind)
    assert error.action is action
    assert error.log_id == "L1" and error.code == code
    assert error.retryable is (action is ErrorAction.RETRY_LATER)


def test_oauth_errors() -> None:
    assert isinstance(classify_oauth_error("invalid_grant", "x"), GrantRevoked)
    assert classify_oauth_error("invalid_grant", "x").action is ErrorAction.RELINK
    assert isinstance(classify_oauth_error("temporarily_unavailable", "x"), TikTokUnavailable)
    plain = classify_oauth_error("invalid_client", "x", http_status=401)
    assert type(plain) is OAuthError
