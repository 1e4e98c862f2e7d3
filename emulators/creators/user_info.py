"""The user-info provider: a profile by username, and who an account follows.

GET /tiktok/user-info?uniqueId=
GET /tiktok/user-followings?secUid=&count=&minCursor=&maxCursor=

No authentication (the documented service runs locally, next to the bot).
Strict on parameters: a missing uniqueId/secUid or a count outside 1-50 is a
400, an unknown account a 404, the followings of a private account a 403.
Paging: followings come newest-followed first; `metadata.minCursor` is the
follow time of the last one returned, and passing it back as `minCursor`
gives the next page.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from emulators.creators.serving import EmulatorServer, Handler, Now
from emulators.creators.world import CreatorWorld, SeededCreator

USER_INFO_PATH = "/tiktok/user-info"
FOLLOWINGS_PATH = "/tiktok/user-followings"
DEFAULT_COUNT = 50
MAX_COUNT = 50


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"status": "error", "message": message}, status=status)


def user_info_json(creator: SeededCreator) -> dict[str, Any]:
    """`data.userInfo` of one creator."""
    return {
        "uniqueId": creator.unique_id,
        "secUid": creator.sec_uid,
        "nickname": creator.nickname,
        "bio": creator.signature,
        "followers": creator.followers,
        "following": creator.following_count,
        "likes": creator.likes,
        "videos": len(creator.public_videos()) if not creator.private else len(creator.videos),
        "verified": creator.verified,
        "privateAccount": creator.private,
        "profilePictureUrl": creator.avatar,
    }


class UserInfoEmulator(EmulatorServer):
    """A local, strict stand-in for the user-info provider."""

    def __init__(self, world: CreatorWorld, *, now: Now | None = None) -> None:
        super().__init__(world, **({"now": now} if now else {}))

    @property
    def prefix(self) -> str:
        """The documented base URL ends in /tiktok."""
        return "/tiktok"

    def routes(self) -> list[tuple[str, Handler]]:
        """The two documented endpoints."""
        return [(USER_INFO_PATH, self.user_info), (FOLLOWINGS_PATH, self.user_followings)]

    async def user_info(self, request: web.Request) -> web.Response:
        """A creator's profile and numbers."""
        unique_id = request.query.get("uniqueId", "").strip()
        if not unique_id:
            return _error(400, "uniqueId is required")
        creator = self.world.by_username(unique_id)
        if creator is None:
            return _error(404, "User not found")
        return web.json_response(
            {"status": "success", "data": {"userInfo": user_info_json(creator)}}
        )

    async def user_followings(self, request: web.Request) -> web.Response:
        """One page of the accounts a creator follows, each with its numbers."""
        query = request.query
        sec_uid = query.get("secUid", "")
        if not sec_uid:
            return _error(400, "secUid is required")
        try:
            count = int(query.get("count", str(DEFAULT_COUNT)))
            min_cursor = int(query.get("minCursor", "0"))
            max_cursor = int(query.get("maxCursor", "0"))
        except ValueError:
            return _error(400, "count, minCursor and maxCursor must be integers")
        if not 1 <= count <= MAX_COUNT or min_cursor < 0 or max_cursor < 0:
            return _error(400, f"count must be 1-{MAX_COUNT}; cursors must not be negative")
        creator = self.world.by_sec_uid(sec_uid)
        if creator is None:
            return _error(404, "User not found")
        if creator.private:
            return _error(403, "This account is private")
        entries = creator.followings
        if min_cursor:
            entries = [f for f in entries if f.followed_at < min_cursor]
        page, rest = entries[:count], entries[count:]
        followings = []
        for entry in page:
            followed = self.world.by_username(entry.unique_id)
            if followed is None:
                continue
            followings.append(
                {
                    "username": followed.unique_id,
                    "nickname": followed.nickname,
                    "avatar": followed.avatar,
                    "verified": followed.verified,
                    "bio": followed.signature,
                    "stats": {
                        "followers": followed.followers,
                        "followings": followed.following_count,
                        "likes": followed.likes,
                        "videos": len(followed.videos),
                    },
                }
            )
        return web.json_response(
            {
                "requestDetails": {
                    "secUid": sec_uid,
                    "count": str(count),
                    "minCursor": min_cursor,
                    "maxCursor": max_cursor,
                },
                "metadata": {
                    "totalFollowings": len(creator.followings),
                    "hasMore": bool(rest),
                    "maxCursor": 0,
                    "minCursor": page[-1].followed_at if page else 0,
                    "logId": secrets.token_hex(16).upper(),
                },
                "followings": followings,
            }
        )
