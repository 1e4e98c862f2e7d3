"""Typed results of TikTok calls (plain frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What the token endpoint returns (lifetimes in seconds, as TikTok said)."""

    open_id: str
    scopes: frozenset[str]
    access_token: str = field(repr=False)
    expires_in: int
    refresh_token: str = field(repr=False)
    refresh_expires_in: int

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> TokenGrant:
        """Parse the flat token reply; a missing field raises KeyError."""
        return cls(
            open_id=str(body["open_id"]),
            scopes=frozenset(s for s in str(body.get("scope", "")).split(",") if s),
            access_token=str(body["access_token"]),
            expires_in=int(body["expires_in"]),
            refresh_token=str(body["refresh_token"]),
            refresh_expires_in=int(body["refresh_expires_in"]),
        )


@dataclass(frozen=True, slots=True)
class UserInfo:
    """Profile and numbers of a TikTok user; fields absent without the scope are None."""

    open_id: str
    display_name: str = ""
    avatar_url: str | None = None
    union_id: str | None = None
    username: str | None = None
    bio_description: str | None = None
    profile_deep_link: str | None = None
    is_verified: bool | None = None
    follower_count: int | None = None
    following_count: int | None = None
    likes_count: int | None = None
    video_count: int | None = None

    @classmethod
    def from_json(cls, user: dict[str, Any]) -> UserInfo:
        """Parse `data.user` of /v2/user/info/."""

        def opt_int(name: str) -> int | None:
            value = user.get(name)
            return int(value) if value is not None else None

        return cls(
            open_id=str(user.get("open_id", "")),
            display_name=str(user.get("display_name") or ""),
            avatar_url=user.get("avatar_url"),
            union_id=user.get("union_id"),
            username=user.get("username"),
            bio_description=user.get("bio_description"),
            profile_deep_link=user.get("profile_deep_link"),
            is_verified=user.get("is_verified"),
            follower_count=opt_int("follower_count"),
            following_count=opt_int("following_count"),
            likes_count=opt_int("likes_count"),
            video_count=opt_int("video_count"),
        )


# Which scope each user-info field needs: the caller asks only for fields it may read.
USER_FIELD_SCOPES: dict[str, str] = {
    "open_id": "user.info.basic",
    "union_id": "user.info.basic",
    "avatar_url": "user.info.basic",
    "display_name": "user.info.basic",
    "username": "user.info.profile",
    "bio_description": "user.info.profile",
    "profile_deep_link": "user.info.profile",
    "is_verified": "user.info.profile",
    "follower_count": "user.info.stats",
    "following_count": "user.info.stats",
    "likes_count": "user.info.stats",
    "video_count": "user.info.stats",
}


def user_fields_for(scopes: frozenset[str], wanted: tuple[str, ...]) -> list[str]:
    """The subset of `wanted` user-info fields the granted `scopes` allow."""
    return [f for f in wanted if USER_FIELD_SCOPES.get(f) in scopes]
