"""From what the user chose (PostSettings) to TikTok's `post_info`, checked first.

Pure functions: the composer enforces these rules while the user edits, and
the pipeline checks them again right before init, so a bad draft fails with a
clear message instead of an `invalid_params` from TikTok.
"""

from __future__ import annotations

from typing import Any

from bot.publishing.requests import PostMode, PostSettings
from bot.publishing.text_limits import (
    PHOTO_DESCRIPTION_LIMIT,
    PHOTO_TITLE_LIMIT,
    VIDEO_CAPTION_LIMIT,
    utf16_len,
)

SELF_ONLY = "SELF_ONLY"
PRIVACY_LEVELS = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", SELF_ONLY)


class PostInfoInvalid(ValueError):
    """The settings break a TikTok rule; `code` names which (see texts.publishing)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def _check_privacy(settings: PostSettings) -> str:
    privacy = settings.privacy_level
    if privacy is None:
        raise PostInfoInvalid("privacy_missing", "a direct post needs a privacy level")
    if privacy not in PRIVACY_LEVELS:
        raise PostInfoInvalid("privacy_unknown", f"unknown privacy level {privacy!r}")
    if settings.brand_content and privacy == SELF_ONLY:
        # TikTok refuses branded content that only the creator can see.
        raise PostInfoInvalid("branded_self_only", "branded content cannot be SELF_ONLY")
    return privacy


def _check_length(text: str, limit: int, code: str) -> None:
    if utf16_len(text) > limit:
        raise PostInfoInvalid(code, f"{utf16_len(text)} UTF-16 units, limit {limit}")


def video_post_info(settings: PostSettings) -> dict[str, Any] | None:
    """post_info of a video init; None in inbox mode (that endpoint takes source_info only)."""
    if settings.mode is PostMode.INBOX:
        return None
    _check_length(settings.title, VIDEO_CAPTION_LIMIT, "title_too_long")
    return {
        "title": settings.title,
        "privacy_level": _check_privacy(settings),
        "disable_comment": not settings.allow_comment,
        "disable_duet": not settings.allow_duet,
        "disable_stitch": not settings.allow_stitch,
        # Always sent, also when off: TikTok audits the disclosure.
        "brand_content_toggle": settings.brand_content,
        "brand_organic_toggle": settings.brand_organic,
        "is_aigc": settings.is_aigc,
    }


def photo_post_info(settings: PostSettings) -> dict[str, Any]:
    """post_info of a photo init; in inbox mode only what TikTok pre-fills in the app."""
    _check_length(settings.title, PHOTO_TITLE_LIMIT, "photo_title_too_long")
    _check_length(settings.description, PHOTO_DESCRIPTION_LIMIT, "description_too_long")
    info: dict[str, Any] = {
        "title": settings.title,
        "description": settings.description,
        "auto_add_music": settings.auto_add_music,
        "brand_content_toggle": settings.brand_content,
        "brand_organic_toggle": settings.brand_organic,
    }
    if settings.mode is PostMode.DIRECT:
        info["privacy_level"] = _check_privacy(settings)
        info["disable_comment"] = not settings.allow_comment
    return info


def photo_post_mode(settings: PostSettings) -> str:
    """TikTok's post_mode for a photo init."""
    return "DIRECT_POST" if settings.mode is PostMode.DIRECT else "MEDIA_UPLOAD"


def photo_source_info(urls: list[str], cover_index: int) -> dict[str, Any]:
    """PULL_FROM_URL source_info; the cover index is clamped into the carousel."""
    return {
        "source": "PULL_FROM_URL",
        "photo_images": urls,
        "photo_cover_index": min(max(cover_index, 0), len(urls) - 1),
    }
