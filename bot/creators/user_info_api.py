"""Adapter for the user-info provider (profile by username, followings by secUid).

GET {base}/user-info?uniqueId=                               {"status", "data": {"userInfo"}}
GET {base}/user-followings?secUid=&count=&minCursor=&maxCursor=
    {"metadata": {"hasMore", "minCursor", "maxCursor", "totalFollowings"}, "followings": [...]}
The documented base ends in /tiktok (http://localhost:3000/tiktok).
"""

from __future__ import annotations

from typing import Any

import httpx

from bot.creators.errors import (
    CreatorNotFound,
    CreatorPrivate,
    ProviderRateLimited,
    ProviderRejected,
    ProviderUnavailable,
)
from bot.creators.models import CreatorProfile, FollowedAccount, FollowingPage

USER_INFO_PATH = "/user-info"
FOLLOWINGS_PATH = "/user-followings"
DEFAULT_WAIT = 15.0


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def profile_from(info: dict[str, Any]) -> CreatorProfile:
    """`data.userInfo` -> CreatorProfile (fields beyond the documented ones are optional)."""
    username = _str(info.get("uniqueId"))
    if not username:
        raise ProviderUnavailable("userInfo without uniqueId", provider=UserInfoAPI.name)
    return CreatorProfile(
        username=username,
        nickname=_str(info.get("nickname")),
        bio=_str(info.get("bio")),
        sec_uid=_str(info.get("secUid")) or None,
        followers=_int_or_none(info.get("followers")),
        following=_int_or_none(info.get("following")),
        likes=_int_or_none(info.get("likes")),
        videos=_int_or_none(info.get("videos")),
        verified=bool(info.get("verified", False)),
        private=bool(info.get("privateAccount", False)),
        avatar=_str(info.get("profilePictureUrl")),
    )


def followed_from(entry: dict[str, Any]) -> FollowedAccount:
    """One `followings` entry -> FollowedAccount."""
    stats = entry.get("stats") if isinstance(entry.get("stats"), dict) else {}
    assert isinstance(stats, dict)
    return FollowedAccount(
        username=_str(entry.get("username")),
        nickname=_str(entry.get("nickname")),
        verified=bool(entry.get("verified", False)),
        bio=_str(entry.get("bio")),
        followers=_int_or_none(stats.get("followers")) or 0,
        following=_int_or_none(stats.get("followings")) or 0,
        likes=_int_or_none(stats.get("likes")) or 0,
        videos=_int_or_none(stats.get("videos")) or 0,
    )


class UserInfoAPI:
    """Talks to the user-info provider (no authentication: it runs next to the bot)."""

    name = "user-info"

    def __init__(self, *, http: httpx.AsyncClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def profile(self, username: str) -> CreatorProfile:
        """The creator's profile and counters."""
        body = await self._get(USER_INFO_PATH, {"uniqueId": username}, reference=username)
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        assert isinstance(data, dict)
        info = data.get("userInfo")
        if body.get("status") != "success" or not isinstance(info, dict):
            raise ProviderUnavailable("user-info reply without userInfo", provider=self.name)
        return profile_from(info)

    async def following(self, sec_uid: str, *, cursor: int, count: int) -> FollowingPage:
        """One page of who the creator follows (pass the previous page's `next_cursor`)."""
        params = {
            "secUid": sec_uid,
            "count": str(count),
            "minCursor": str(cursor),
            "maxCursor": "0",
        }
        body = await self._get(FOLLOWINGS_PATH, params, reference=sec_uid)
        metadata = body.get("metadata")
        entries = body.get("followings")
        if not isinstance(metadata, dict) or not isinstance(entries, list):
            raise ProviderUnavailable("followings reply without metadata", provider=self.name)
        return FollowingPage(
            accounts=tuple(followed_from(e) for e in entries if isinstance(e, dict)),
            total=_int_or_none(metadata.get("totalFollowings")),
            has_more=bool(metadata.get("hasMore", False)),
            next_cursor=_int_or_none(metadata.get("minCursor")) or 0,
        )

    async def _get(self, path: str, params: dict[str, str], *, reference: str) -> dict[str, Any]:
        try:
            response = await self._http.get(self._base + path, params=params)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(type(exc).__name__, provider=self.name) from None
        status = response.status_code
        if status == 404:
            raise CreatorNotFound(reference, provider=self.name)
        if status == 403:
            raise CreatorPrivate(reference, provider=self.name)
        if status == 429:
            wait = response.headers.get("Retry-After", "")
            retry_after = float(wait) if wait.isdigit() else DEFAULT_WAIT
            raise ProviderRateLimited("rate limited", retry_after=retry_after, provider=self.name)
        if status >= 500:
            raise ProviderUnavailable(f"HTTP {status}", provider=self.name, http_status=status)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ProviderUnavailable(f"HTTP {status}, not JSON", provider=self.name)
        if status >= 400:
            message = _str(body.get("message")) or f"HTTP {status}"
            raise ProviderRejected(message, provider=self.name, http_status=status)
        return body
