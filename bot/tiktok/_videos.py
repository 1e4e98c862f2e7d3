"""Reading a creator's videos: /v2/video/list/ and /v2/video/query/ (video.list scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.tiktok._client import TikTokClient

VIDEO_LIST_PATH = "/v2/video/list/"
VIDEO_QUERY_PATH = "/v2/video/query/"

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
MAX_PAGE = 20  # TikTok's cap for max_count and for video_ids per query


@dataclass(frozen=True, slots=True)
class Video:
    """One TikTok video with its public numbers. Ids are strings (19 digits)."""

    id: str
    create_time: int
    title: str
    description: str
    share_url: str | None
    cover_image_url: str | None
    duration: int
    like_count: int
    comment_count: int
    share_count: int
    view_count: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Video:
        """Parse one video object."""

        def num(name: str) -> int:
            return int(data.get(name) or 0)

        return cls(
            id=str(data.get("id", "")),
            create_time=num("create_time"),
            title=str(data.get("title") or ""),
            description=str(data.get("video_description") or ""),
            share_url=data.get("share_url") or None,
            cover_image_url=data.get("cover_image_url") or None,
            duration=num("duration"),
            like_count=num("like_count"),
            comment_count=num("comment_count"),
            share_count=num("share_count"),
            view_count=num("view_count"),
        )


@dataclass(frozen=True, slots=True)
class VideoPage:
    """A page of /v2/video/list/."""

    videos: tuple[Video, ...]
    cursor: int | None
    has_more: bool


class VideosAPI:
    """The video.list endpoints, on top of a TikTokClient."""

    def __init__(self, client: TikTokClient) -> None:
        self._client = client

    async def page(
        self, access_token: str, *, cursor: int | None = None, max_count: int = 10
    ) -> VideoPage:
        """Newest videos first; pass the returned cursor to page on."""
        body: dict[str, Any] = {"max_count": max(1, min(max_count, MAX_PAGE))}
        if cursor is not None:
            body["cursor"] = cursor
        data = await self._client.call_api(
            "POST",
            VIDEO_LIST_PATH,
            access_token=access_token,
            params={"fields": ",".join(VIDEO_FIELDS)},
            json=body,
        )
        videos = tuple(Video.from_json(v) for v in data.get("videos") or () if isinstance(v, dict))
        cursor_value = data.get("cursor")
        return VideoPage(
            videos=videos,
            cursor=int(cursor_value) if cursor_value is not None else None,
            has_more=bool(data.get("has_more", False)),
        )

    async def query(self, access_token: str, video_ids: list[str]) -> list[Video]:
        """The given videos of the token's account (unknown ids are simply absent)."""
        if not video_ids:
            return []
        found: list[Video] = []
        for start in range(0, len(video_ids), MAX_PAGE):
            data = await self._client.call_api(
                "POST",
                VIDEO_QUERY_PATH,
                access_token=access_token,
                params={"fields": ",".join(VIDEO_FIELDS)},
                json={
                    "filters": {"video_ids": [str(i) for i in video_ids[start : start + MAX_PAGE]]}
                },
            )
            found.extend(
                Video.from_json(v) for v in data.get("videos") or () if isinstance(v, dict)
            )
        return found
