"""The checks TikTok applies to post_info and source_info at init time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from emulators.tiktok.api import Caller
from emulators.tiktok.chunks import ChunkPlan, check_file_upload
from emulators.tiktok.config import PRIVACY_LEVELS, SELF_ONLY, SandboxAccount, SandboxApp
from emulators.tiktok.errors import ApiError, invalid_params
from emulators.tiktok.params import (
    as_object,
    check_text,
    get_bool,
    get_int,
    get_str,
    require_enum,
    require_int,
    require_str,
)

VIDEO_TITLE_LIMIT = 2200
PHOTO_TITLE_LIMIT = 90
PHOTO_DESCRIPTION_LIMIT = 4000
MAX_PHOTOS = 35
FILE_UPLOAD = "FILE_UPLOAD"
PULL_FROM_URL = "PULL_FROM_URL"


@dataclass(frozen=True)
class VideoSource:
    """Where a video comes from: a chunk plan (FILE_UPLOAD) or a URL to pull."""

    plan: ChunkPlan | None = None
    url: str | None = None


def check_video_post_info(post_info: dict[str, Any], account: SandboxAccount) -> str:
    """Validate a video post_info and return its privacy level."""
    where = "post_info"
    check_text(get_str(post_info, "title", where), "post_info.title", VIDEO_TITLE_LIMIT)
    privacy = require_enum(post_info, "privacy_level", where, PRIVACY_LEVELS)
    for key in ("brand_organic_toggle", "is_aigc"):
        get_bool(post_info, key, where)
    branded = get_bool(post_info, "brand_content_toggle", where, required=True)
    cover_ms = get_int(post_info, "video_cover_timestamp_ms", where)
    if cover_ms is not None and cover_ms < 0:
        raise invalid_params("post_info.video_cover_timestamp_ms must not be negative")
    _check_branded_privacy(bool(branded), privacy)
    _check_interactions(
        post_info,
        {
            "disable_comment": account.comment_disabled,
            "disable_duet": account.duet_disabled,
            "disable_stitch": account.stitch_disabled,
        },
    )
    return privacy


def check_photo_post_info(
    post_info: dict[str, Any], account: SandboxAccount, *, direct: bool
) -> str | None:
    """Validate a photo post_info and return its privacy level (required if direct)."""
    where = "post_info"
    check_text(get_str(post_info, "title", where), "post_info.title", PHOTO_TITLE_LIMIT)
    check_text(
        get_str(post_info, "description", where), "post_info.description", PHOTO_DESCRIPTION_LIMIT
    )
    for key in ("auto_add_music", "brand_organic_toggle"):
        get_bool(post_info, key, where)
    branded = get_bool(post_info, "brand_content_toggle", where)
    if not direct:
        get_bool(post_info, "disable_comment", where)
        if "privacy_level" in post_info:
            require_enum(post_info, "privacy_level", where, PRIVACY_LEVELS)
        return None
    privacy = require_enum(post_info, "privacy_level", where, PRIVACY_LEVELS)
    _check_branded_privacy(bool(branded), privacy)
    _check_interactions(post_info, {"disable_comment": account.comment_disabled})
    return privacy


def check_privacy_option(account: SandboxAccount, privacy: str) -> None:
    """Refuse a privacy level the creator is not offered."""
    if privacy not in account.privacy_level_options:
        raise ApiError(
            400,
            "privacy_level_option_mismatch",
            f"privacy_level {privacy} is not one of the creator's options "
            f"{account.privacy_level_options}",
        )


def check_unaudited_direct_post(
    caller: Caller, privacy: str, posting_users: dict[str, float], now: float
) -> None:
    """Apply the unaudited-app rules to a direct post.

    ``posting_users`` maps open_id to its last direct-post init through this app.
    """
    if caller.app.audited:
        return
    if not caller.account.private_account or privacy != SELF_ONLY:
        raise ApiError(
            403,
            "unaudited_client_can_only_post_to_private_accounts",
            "an unaudited app may only post SELF_ONLY content to private accounts",
        )
    active = {open_id for open_id, at in posting_users.items() if now - at < 86400}
    if caller.account.open_id not in active and len(active) >= 5:
        raise ApiError(
            403,
            "reached_active_user_cap",
            "an unaudited app may have at most 5 posting users in 24 hours",
        )


def check_video_source(source_info: dict[str, Any], app: SandboxApp) -> VideoSource:
    """Validate a video source_info (FILE_UPLOAD arithmetic or a pull URL)."""
    source = require_enum(source_info, "source", "source_info", (FILE_UPLOAD, PULL_FROM_URL))
    if source == FILE_UPLOAD:
        return VideoSource(plan=check_file_upload(source_info))
    url = require_str(source_info, "video_url", "source_info")
    check_media_url(app, url, "source_info.video_url")
    return VideoSource(url=url)


def check_photo_source(source_info: dict[str, Any], app: SandboxApp) -> list[str]:
    """Validate a photo source_info and return its image URLs."""
    require_enum(source_info, "source", "source_info", (PULL_FROM_URL,))
    images = source_info.get("photo_images")
    if not isinstance(images, list) or not 1 <= len(images) <= MAX_PHOTOS:
        raise invalid_params(f"source_info.photo_images must be a list of 1 to {MAX_PHOTOS} URLs")
    if not all(isinstance(url, str) for url in images):
        raise invalid_params("source_info.photo_images must contain URL strings")
    cover = require_int(source_info, "photo_cover_index", "source_info")
    if not 0 <= cover < len(images):
        raise invalid_params("source_info.photo_cover_index is out of range")
    for index, url in enumerate(images):
        check_media_url(app, url, f"source_info.photo_images[{index}]")
    return list(images)


def check_media_url(app: SandboxApp, url: str, where: str) -> None:
    """Refuse non-https URLs (unless allowed) and URLs outside a verified prefix."""
    parts = urlsplit(url)
    schemes = ("https", "http") if app.allow_http_media else ("https",)
    if parts.scheme not in schemes or not parts.netloc:
        raise invalid_params(f"{where} must be an {' or '.join(schemes)} URL")
    if not any(url.startswith(prefix) for prefix in app.verified_url_prefixes):
        raise ApiError(
            403,
            "url_ownership_unverified",
            f"{where} is not on a domain or URL prefix verified for this app",
        )


def optional_object(body: dict[str, Any], key: str) -> dict[str, Any] | None:
    """Read an optional JSON object member."""
    value = body.get(key)
    return None if value is None else as_object(value, key)


def required_object(body: dict[str, Any], key: str) -> dict[str, Any]:
    """Read a required JSON object member."""
    if body.get(key) is None:
        raise invalid_params(f"{key} is required")
    return as_object(body[key], key)


def _check_branded_privacy(branded: bool, privacy: str) -> None:
    if branded and privacy == SELF_ONLY:
        raise invalid_params("branded content cannot be posted with privacy_level SELF_ONLY")


def _check_interactions(post_info: dict[str, Any], disabled_by_creator: dict[str, bool]) -> None:
    for key, disabled in disabled_by_creator.items():
        value = get_bool(post_info, key, "post_info")
        # Absent counts as false: TikTok's default is to allow the interaction.
        if disabled and value is not True:
            raise invalid_params(
                f"the creator disabled this interaction in the app: post_info.{key} must be true"
            )
