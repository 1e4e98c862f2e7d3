"""User info and creator info."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulators.tiktok.api import Caller, authenticate, read_json_object
from emulators.tiktok.config import SandboxAccount
from emulators.tiktok.errors import ApiError, envelope
from emulators.tiktok.params import parse_fields
from emulators.tiktok.paths import CREATOR_INFO, USER_INFO
from emulators.tiktok.state import SandboxState

# Which scope unlocks which /v2/user/info/ field.
USER_FIELD_SCOPES = {
    "open_id": "user.info.basic",
    "union_id": "user.info.basic",
    "avatar_url": "user.info.basic",
    "avatar_url_100": "user.info.basic",
    "avatar_large_url": "user.info.basic",
    "display_name": "user.info.basic",
    "bio_description": "user.info.profile",
    "profile_deep_link": "user.info.profile",
    "is_verified": "user.info.profile",
    "username": "user.info.profile",
    "follower_count": "user.info.stats",
    "following_count": "user.info.stats",
    "likes_count": "user.info.stats",
    "video_count": "user.info.stats",
}


def blocked(account: SandboxAccount) -> ApiError | None:
    """The HTTP 200 refusal TikTok sends when the creator cannot post now."""
    if account.posting_blocked is None:
        return None
    return ApiError(200, account.posting_blocked, "the creator cannot make more posts right now")


class UserEndpoints:
    """Handlers of /v2/user/info/ and the creator info query."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state

    async def user_info(self, request: web.Request) -> web.Response:
        """Return the requested user fields the token's scopes allow."""
        caller = authenticate(self._state, request, USER_INFO)
        fields = parse_fields(request.query.get("fields"), USER_FIELD_SCOPES)
        missing = sorted({USER_FIELD_SCOPES[f] for f in fields} - set(caller.grant.scopes))
        if missing:
            caller.require_scope(*missing)
        values = self._user_values(caller)
        return envelope({"user": {name: values[name] for name in fields}})

    async def creator_info(self, request: web.Request) -> web.Response:
        """Return what the posting screen must show for this creator."""
        caller = authenticate(self._state, request, CREATOR_INFO)
        caller.require_scope("video.publish")
        await read_json_object(request, required=False)
        account = caller.account
        refusal = blocked(account)
        if refusal is not None:
            raise refusal
        return envelope(
            {
                "creator_avatar_url": account.avatar_url,
                "creator_username": account.username,
                "creator_nickname": account.display_name,
                "privacy_level_options": account.privacy_level_options,
                "comment_disabled": account.comment_disabled,
                "duet_disabled": account.duet_disabled,
                "stitch_disabled": account.stitch_disabled,
                "max_video_post_duration_sec": account.max_video_post_duration_sec,
            }
        )

    def _user_values(self, caller: Caller) -> dict[str, Any]:
        account = caller.account
        return {
            "open_id": account.open_id,
            "union_id": account.union_id,
            "avatar_url": account.avatar_url,
            "avatar_url_100": _sized(account.avatar_url, 100),
            "avatar_large_url": _sized(account.avatar_url, 1080),
            "display_name": account.display_name,
            "bio_description": account.bio_description,
            "profile_deep_link": f"https://www.tiktok.com/@{account.username}",
            "is_verified": account.is_verified,
            "username": account.username,
            "follower_count": account.follower_count,
            "following_count": account.following_count,
            "likes_count": account.likes_count,
            "video_count": len(self._state.posts(account.open_id)),
        }


def _sized(url: str, size: int) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}size={size}"
