"""Errors -> what happens to the job, and the words the user reads."""

from __future__ import annotations

import pytest

from bot.errors import AccountNeedsRelink, AccountNotFound
from bot.publishing.chunks import VideoSizeError
from bot.publishing.outcomes import JobEnds, Outcome, classify_failure
from bot.publishing.post_info import PostInfoInvalid
from bot.publishing.sources import FileTooBig, FileUnavailable
from bot.publishing.upload import UploadRejected
from bot.texts import publishing as texts
from bot.tiktok import classify_api_error


def verdict(exc: Exception, *, started: bool = False) -> tuple[str, str | None]:
    result = classify_failure(exc, started=started)
    if isinstance(result, JobEnds):
        return ("retry", result.code)
    assert isinstance(result, Outcome)
    return (result.state.value, result.code)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (FileTooBig(), ("failed", "file_too_big")),
        (FileUnavailable("gone"), ("failed", "file_unavailable")),
        (FileUnavailable("dropped", retryable=True), ("retry", "file_unavailable")),
        (AccountNeedsRelink(1, "@a"), ("failed", "needs_relink")),
        (AccountNotFound("1"), ("failed", "account_gone")),
        (
            classify_api_error("scope_not_authorized", "", http_status=401),
            ("failed", "scope_missing"),
        ),
        (
            classify_api_error("spam_risk_too_many_posts", "", http_status=200),
            ("failed", "spam_risk_too_many_posts"),
        ),
        (
            classify_api_error(
                "unaudited_client_can_only_post_to_private_accounts", "", http_status=403
            ),
            ("failed", "unaudited_client_can_only_post_to_private_accounts"),
        ),
        (
            classify_api_error("privacy_level_option_mismatch", "", http_status=400),
            ("failed", "privacy_level_option_mismatch"),
        ),
        (
            classify_api_error("rate_limit_exceeded", "", http_status=429),
            ("retry", "rate_limit_exceeded"),
        ),
        (
            classify_api_error("internal_error", "", http_status=500),
            ("retry", "tiktok_unavailable"),
        ),
        (
            classify_api_error("access_token_invalid", "", http_status=401),
            ("retry", "tiktok_unavailable"),
        ),
        (classify_api_error("invalid_params", "", http_status=400), ("failed", "tiktok_rejected")),
        (UploadRejected(400), ("failed", "tiktok_rejected")),
        (PostInfoInvalid("title_too_long", "x"), ("failed", "title_too_long")),
        (VideoSizeError("big"), ("failed", "video_too_large")),
        (RuntimeError("bug"), ("retry", "internal")),
    ],
)
def test_errors_before_init(exc: Exception, expected: tuple[str, str]) -> None:
    assert verdict(exc) == expected


def test_losing_access_after_init_is_unconfirmed_never_failed() -> None:
    # TikTok may already hold the media: the user must check the app, not re-post.
    assert verdict(AccountNeedsRelink(1, "@a"), started=True) == ("unconfirmed", "needs_relink")
    assert verdict(AccountNotFound("1"), started=True) == ("unconfirmed", "account_gone")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("spam_risk_too_many_posts", "daily posting limit"),
        ("spam_risk_too_many_pending_share", "5 posts waiting"),
        ("spam_risk_something_new", "risky"),
        ("unaudited_client_can_only_post_to_private_accounts", "<b>private</b>"),
        ("privacy_level_option_mismatch", "pick privacy again"),
        ("reached_active_user_cap", "not on you"),
        ("file_too_big", "local Telegram Bot API server"),
        ("photo_unusable:3", "Photo 3 couldn't be read"),
        ("needs_relink", "Re-link it in /accounts"),
        ("frame_rate_check_failed", "23 to 60"),
        ("picture_size_check_failed", "picture size"),
        ("publish_cancelled", "send it again"),
        ("rate_limit_exceeded", "slow down"),
        ("tiktok_unavailable", "stopped trying"),
    ],
)
def test_failure_texts_say_what_to_do(code: str, words: str) -> None:
    text = texts.failed("video", "@ana", code)
    assert text.startswith("❌ Your video wasn't posted.")
    assert words in text


def test_unknown_codes_are_shown_escaped() -> None:
    assert "(weird&lt;code&gt;)" in texts.failure_reason("weird<code>", "@a")


def test_outcome_texts() -> None:
    assert "https://t.co/x" in texts.published("video", "@ana", "https://t.co/x")
    private = texts.published_private("photo", "@ana", texts.profile_url("ana"))
    assert "Only me" in private and "https://www.tiktok.com/@ana" in private
    assert "won't post it a second time" in texts.unconfirmed("video", "@ana", "deadline")
    assert "re-link" in texts.unconfirmed("video", "@ana", "needs_relink")
    assert "few minutes" in texts.processing("video", "@ana")
    assert "in about 2 min" in texts.retrying("x", "tiktok_unavailable", 120)
    assert "<b>&lt;b&gt;</b>" in texts.queued("video", "<b>")


def test_links_are_safe_inside_html_attributes() -> None:
    text = texts.published("video", "@a", 'https://t.co/x?a=1&b="2"')
    assert 'href="https://t.co/x?a=1&amp;b=&quot;2&quot;"' in text
