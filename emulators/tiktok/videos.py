"""Reading an account's videos: /v2/video/list/ and /v2/video/query/."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulators.tiktok.api import authenticate, read_json_object
from emulators.tiktok.config import SELF_ONLY
from emulators.tiktok.errors import envelope, invalid_params
from emulators.tiktok.params import as_object, get_int, parse_fields
from emulators.tiktok.paths import VIDEO_LIST, VIDEO_QUERY
from emulators.tiktok.records import Video
from emulators.tiktok.state import SandboxState

VIDEO_FIELDS = (
    "id",
    "create_time",
    "cover_image_url",
    "share_url",
    "video_description",
    "title",
    "duration",
    "width",
    "height",
    "like_count",
    "comment_count",
    "share_count",
    "view_count",
)
MAX_COUNT = 20
MAX_QUERY_IDS = 20


def video_fields(video: Video, fields: list[str]) -> dict[str, Any]:
    """The requested fields of a video; ``id`` is a string, as TikTok sends it here."""
    values: dict[str, Any] = {
        "id": video.id,
        "create_time": video.create_time,
        "cover_image_url": video.cover_image_url,
        "share_url": video.share_url,
        "video_description": video.video_description,
        "title": video.title,
        "duration": video.duration,
        "width": video.width,
        "height": video.height,
        "like_count": video.like_count,
        "comment_count": video.comment_count,
        "share_count": video.share_count,
        "view_count": video.view_count,
    }
    return {name: values[name] for name in fields}


class VideoEndpoints:
    """Handlers of video list and video query."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state

    def _listed(self, open_id: str) -> list[Video]:
        # video.list reads what the profile shows others: SELF_ONLY posts are left out.
        return [v for v in self._state.posts(open_id) if v.privacy_level != SELF_ONLY]

    async def list_videos(self, request: web.Request) -> web.Response:
        """Page through the account's videos, newest first, by millisecond cursor."""
        caller = authenticate(self._state, request, VIDEO_LIST)
        caller.require_scope("video.list")
        fields = parse_fields(request.query.get("fields"), VIDEO_FIELDS)
        body = await read_json_object(request, required=False)
        cursor = get_int(body, "cursor", "body")
        max_count = get_int(body, "max_count", "body")
        max_count = 10 if max_count is None else max_count
        if not 1 <= max_count <= MAX_COUNT:
            raise invalid_params(f"max_count must be between 1 and {MAX_COUNT}")
        if cursor is not None and cursor < 0:
            raise invalid_params("cursor must not be negative")
        older = [
            v
            for v in self._listed(caller.account.open_id)
            if cursor is None or v.create_ms < cursor
        ]
        page = older[:max_count]
        next_cursor = page[-1].create_ms if page else (cursor or 0)
        return envelope(
            {
                "videos": [video_fields(v, fields) for v in page],
                "cursor": next_cursor,
                "has_more": len(older) > len(page),
            }
        )

    async def query_videos(self, request: web.Request) -> web.Response:
        """Return the token account's videos among the given ids (others are absent)."""
        caller = authenticate(self._state, request, VIDEO_QUERY)
        caller.require_scope("video.list")
        fields = parse_fields(request.query.get("fields"), VIDEO_FIELDS)
        body = await read_json_object(request)
        filters = body.get("filters")
        if filters is None:
            raise invalid_params("filters is required")
        ids = as_object(filters, "filters").get("video_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_QUERY_IDS:
            raise invalid_params(f"filters.video_ids must be a list of 1 to {MAX_QUERY_IDS} ids")
        if not all(isinstance(video_id, str) for video_id in ids):
            raise invalid_params("filters.video_ids must contain strings")
        mine = {v.id: v for v in self._listed(caller.account.open_id)}
        found = [mine[video_id] for video_id in dict.fromkeys(ids) if video_id in mine]
        return envelope(
            {"videos": [video_fields(v, fields) for v in found], "cursor": 0, "has_more": False}
        )
