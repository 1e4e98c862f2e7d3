"""The video-list provider: user posts with cursor paging and single video details.

GET /api/v1/tiktok/user/post/listjson?sec_user_id=&max_cursor=&limit=&region=
GET /api/v1/tiktok/video/detailjson?aweme_id=

Strict like the documented service: `Authorization: Bearer <ApiKey>` or 401,
`limit` 1-35 or 400, unknown sec_user_id 400, and at most 3 requests per
second per key: the 4th within a second earns a 429 "wait 15s" and the key
stays blocked for those 15 seconds (measured on the injected clock).
"""

from __future__ import annotations

import math
import re
import secrets
from collections import deque
from typing import Any

from aiohttp import web

from emulators.creators.serving import EmulatorServer, Handler, Now
from emulators.creators.world import CreatorWorld, raw_video

LIST_PATH = "/api/v1/tiktok/user/post/listjson"
DETAIL_PATH = "/api/v1/tiktok/video/detailjson"
PER_SECOND = 3
PENALTY_SECONDS = 15
MAX_LIMIT = 35
_REGION = re.compile(r"^[A-Z]{2}$")


def _reply(code: int, msg: str, data: dict[str, Any] | None = None) -> web.Response:
    body = {"code": code, "msg": msg, "request_id": f"tk_req_{secrets.randbelow(10**8):08d}"}
    body["data"] = data if data is not None else {}
    return web.json_response(body, status=200 if code == 0 else code)


class VideoListEmulator(EmulatorServer):
    """A local, strict stand-in for the video-list provider."""

    def __init__(self, world: CreatorWorld, *, api_keys: set[str], now: Now | None = None) -> None:
        super().__init__(world, **({"now": now} if now else {}))
        self.api_keys = set(api_keys)
        self._recent: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}

    def routes(self) -> list[tuple[str, Handler]]:
        """The two documented endpoints."""
        return [(LIST_PATH, self.list_posts), (DETAIL_PATH, self.video_detail)]

    def _admit(self, request: web.Request) -> web.Response | None:
        """Auth and the rate limit; None when the request may proceed."""
        header = request.headers.get("Authorization", "")
        key = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        if key not in self.api_keys:
            return _reply(401, "ApiKey invalid or expired")
        now = self.now()
        blocked = self._blocked_until.get(key, 0.0)
        if now < blocked:
            return _reply(429, f"Request frequency limit, wait {math.ceil(blocked - now)}s")
        recent = self._recent.setdefault(key, deque())
        while recent and recent[0] <= now - 1.0:
            recent.popleft()
        if len(recent) >= PER_SECOND:
            self._blocked_until[key] = now + PENALTY_SECONDS
            return _reply(429, f"Request frequency limit, wait {PENALTY_SECONDS}s")
        recent.append(now)
        return None

    async def list_posts(self, request: web.Request) -> web.Response:
        """One page of a creator's public posts, newest first."""
        refused = self._admit(request)
        if refused is not None:
            return refused
        query = request.query
        sec_user_id = query.get("sec_user_id", "")
        if not sec_user_id:
            return _reply(400, "sec_user_id is required")
        try:
            limit = int(query.get("limit", "20"))
            max_cursor = int(query.get("max_cursor", "0"))
        except ValueError:
            return _reply(400, "limit and max_cursor must be integers")
        if not 1 <= limit <= MAX_LIMIT:
            return _reply(400, f"limit must be between 1 and {MAX_LIMIT}")
        if max_cursor < 0:
            return _reply(400, "max_cursor must not be negative")
        region = query.get("region")
        if region is not None and not _REGION.match(region):
            return _reply(400, "region must be a two-letter code like US")
        creator = self.world.by_sec_uid(sec_user_id)
        if creator is None:
            return _reply(400, "sec_user_id not found")
        videos = creator.public_videos()
        if max_cursor:
            videos = [v for v in videos if v.create_ms < max_cursor]
        page, rest = videos[:limit], videos[limit:]
        data = {
            "has_more": bool(rest),
            "max_cursor": str(page[-1].create_ms) if page else "0",
            "min_cursor": str(page[0].create_ms) if page else "0",
            "aweme_list": [raw_video(creator, v) for v in page],
        }
        return _reply(0, "success", data)

    async def video_detail(self, request: web.Request) -> web.Response:
        """One public video's details."""
        refused = self._admit(request)
        if refused is not None:
            return refused
        aweme_id = request.query.get("aweme_id", "")
        if not aweme_id.isdigit():
            return _reply(400, "aweme_id is required")
        found = self.world.video(aweme_id)
        if found is None:
            return _reply(400, "aweme_id not found")
        creator, video = found
        item = raw_video(creator, video)
        author = item["author"]
        item["author"] = {k: author[k] for k in ("unique_id", "nickname", "is_verified")}
        return _reply(0, "success", {"aweme_detail": item})
