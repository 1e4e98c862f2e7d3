"""From what the user chose (PostChoices) to TikTok's `post_info`, checked first.

Pure functions: the composer enforces these rules while the user edits, and
the pipeline checks them again right before init, so a bad draft fails with a
clear message instead of an `invalid_params` from TikTok. What TikTok ignores
in inbox mode is not sent (docs/tiktok-api.md, "Posting").
"""

from __future__ import annotations

from typing import Any

from bot.errors import ErrorAction
from bot.publishing.choices import PostChoices, PostMode, PrivacyLevel
from bot.publishing.text_limits import (
    PHOTO_DESCRIPTION_LIMIT,
    PHOTO_TITLE_LIMIT,
    VIDEO_CAPTION_LIMIT,
    utf16_len,
)


class PostInfoInvalid(ValueError):
    """The choices break a TikTok rule; `code` names which (see texts.publishing)."""

    action = ErrorAction.TELL_USER
    retryable = False

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code

    @property
    def reason(self) -> str:
        """Which rule was broken (texts explain each)."""
        return self.code


def _check_privacy(choices: PostChoices) -> str:
    privacy = choices.privacy_level
    if privacy is None:
        raise PostInfoInvalid("privacy_missing", "a direct post needs a privacy level")
    try:
        level = PrivacyLevel(privacy)
    except ValueError:
        raise PostInfoInvalid("privacy_unknown", f"unknown privacy level {privacy!r}") from None
    if choices.sends_brand_content and level is PrivacyLevel.SELF_ONLY:
        # TikTok refuses branded content that only the creator can see.
        raise PostInfoInvalid("branded_self_only", "branded content cannot be SELF_ONLY")
    return level.value


def _check_length(text: str, limit: int, code: str) -> None:
    if utf16_len(text) > limit:
        raise PostInfoInvalid(code, f"{utf16_len(text)} UTF-16 units, limit {limit}")


def video_post_info(choices: PostChoices) -> dict[str, Any] | None:
    """post_info of a video init; None in inbox mode (that endpoint takes source_info only)."""
    if choices.mode is PostMode.INBOX:
        return None
    _check_length(choices.title, VIDEO_CAPTION_LIMIT, "title_too_long")
    info: dict[str, Any] = {
        "title": choices.title,
        "privacy_level": _check_privacy(choices),
        "disable_comment": not choices.allow_comment,
        "disable_duet": not choices.allow_duet,
        "disable_stitch": not choices.allow_stitch,
        # Always sent, also when off: TikTok audits the disclosure.
        "brand_content_toggle": choices.sends_brand_content,
        "brand_organic_toggle": choices.sends_brand_organic,
        "is_aigc": choices.is_aigc,
    }
    if choices.cover_timestamp_ms is not None:
        info["video_cover_timestamp_ms"] = choices.cover_timestamp_ms
    return info


def photo_post_info(choices: PostChoices) -> dict[str, Any]:
    """post_info of a photo init; in inbox mode only what TikTok pre-fills in the app."""
    _check_length(choices.title, PHOTO_TITLE_LIMIT, "photo_title_too_long")
    _check_length(choices.description, PHOTO_DESCRIPTION_LIMIT, "description_too_long")
    info: dict[str, Any] = {
        "title": choices.title,
        "description": choices.description,
        "auto_add_music": choices.auto_add_music,
        "brand_content_toggle": choices.sends_brand_content,
        "brand_organic_toggle": choices.sends_brand_organic,
    }
    if choices.mode is PostMode.DIRECT:
        info["privacy_level"] = _check_privacy(choices)
        info["disable_comment"] = not choices.allow_comment
    return info


def photo_post_mode(choices: PostChoices) -> str:
    """TikTok's post_mode for a photo init."""
    return "DIRECT_POST" if choices.mode is PostMode.DIRECT else "MEDIA_UPLOAD"


def photo_source_info(urls: list[str], cover_index: int) -> dict[str, Any]:
    """PULL_FROM_URL source_info; the cover index is clamped into the carousel."""
    return {
        "source": "PULL_FROM_URL",
        "photo_images": urls,
        "photo_cover_index": min(max(cover_index, 0), len(urls) - 1),
    }
