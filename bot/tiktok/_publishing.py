"""Content Posting API: creator info, init (direct, inbox, photos), chunk upload, status.

TikTok quirks handled here:
- creator_info refuses "cannot post now" with HTTP 200 and an error code;
- the status reply spells `publicaly_available_post_id` and sends 19-digit
  ids as JSON numbers: they are turned into strings at once;
- there is no share_url in the official status reply (the seed lists one):
  it is used when present.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from dataclasses import dataclass, field
from typing import Any, cast

import httpx

from bot.tiktok._client import TikTokClient
from bot.tiktok._errors import TikTokUnavailable

CREATOR_INFO_PATH = "/v2/post/publish/creator_info/query/"
VIDEO_INIT_PATH = "/v2/post/publish/video/init/"
INBOX_VIDEO_INIT_PATH = "/v2/post/publish/inbox/video/init/"
CONTENT_INIT_PATH = "/v2/post/publish/content/init/"
STATUS_PATH = "/v2/post/publish/status/fetch/"


@dataclass(frozen=True, slots=True)
class CreatorInfo:
    """Who we are about to post as, and what TikTok allows them right now."""

    nickname: str
    username: str
    avatar_url: str | None
    privacy_level_options: tuple[str, ...]
    comment_disabled: bool
    duet_disabled: bool
    stitch_disabled: bool
    max_video_post_duration_sec: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CreatorInfo:
        """Parse creator_info `data`."""
        return cls(
            nickname=str(data.get("creator_nickname") or ""),
            username=str(data.get("creator_username") or ""),
            avatar_url=data.get("creator_avatar_url"),
            privacy_level_options=tuple(str(p) for p in data.get("privacy_level_options") or ()),
            comment_disabled=bool(data.get("comment_disabled", False)),
            duet_disabled=bool(data.get("duet_disabled", False)),
            stitch_disabled=bool(data.get("stitch_disabled", False)),
            max_video_post_duration_sec=int(data.get("max_video_post_duration_sec") or 600),
        )


@dataclass(frozen=True, slots=True)
class PublishTicket:
    """What an init returns: the publish id and, for FILE_UPLOAD, where to PUT chunks."""

    publish_id: str
    upload_url: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PublishStatus:
    """One status fetch."""

    status: str
    fail_reason: str | None
    uploaded_bytes: int
    downloaded_bytes: int
    post_ids: tuple[str, ...]
    share_url: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PublishStatus:
        """Parse status/fetch `data`; ids become strings (never floats)."""
        raw_ids = data.get("publicaly_available_post_id") or data.get("publicly_available_post_id")
        ids = tuple(str(i) for i in raw_ids or ())
        return cls(
            status=str(data.get("status") or ""),
            fail_reason=data.get("fail_reason") or None,
            uploaded_bytes=int(data.get("uploaded_bytes") or 0),
            downloaded_bytes=int(data.get("downloaded_bytes") or 0),
            post_ids=ids,
            share_url=data.get("share_url") or None,
        )


def _ticket(data: dict[str, Any]) -> PublishTicket:
    publish_id = data.get("publish_id")
    if not publish_id:
        # A reply without a publish id is not a success, whatever the code said.
        raise TikTokUnavailable("init reply without publish_id", code="malformed_reply")
    return PublishTicket(publish_id=str(publish_id), upload_url=data.get("upload_url"))


class PublishingAPI:
    """The posting endpoints, on top of a TikTokClient."""

    def __init__(self, client: TikTokClient, *, uploads: httpx.AsyncClient | None = None) -> None:
        self._client = client
        # Chunk PUTs may go through their own client (a faster transport for bulk bytes).
        self._uploads = uploads

    async def creator_info(self, access_token: str) -> CreatorInfo:
        """Fresh creator info (call it every time a composer opens)."""
        data = await self._client.call_api(
            "POST", CREATOR_INFO_PATH, access_token=access_token, json={}
        )
        return CreatorInfo.from_json(data)

    async def init_video(
        self, access_token: str, *, post_info: dict[str, Any] | None, source_info: dict[str, Any]
    ) -> PublishTicket:
        """Direct post (post_info given) or inbox draft (post_info None)."""
        if post_info is None:
            body: dict[str, Any] = {"source_info": source_info}
            path = INBOX_VIDEO_INIT_PATH
        else:
            body = {"post_info": post_info, "source_info": source_info}
            path = VIDEO_INIT_PATH
        return _ticket(
            await self._client.call_api("POST", path, access_token=access_token, json=body)
        )

    async def init_photos(
        self,
        access_token: str,
        *,
        post_mode: str,
        post_info: dict[str, Any],
        source_info: dict[str, Any],
    ) -> PublishTicket:
        """A photo post pulled from our URLs (DIRECT_POST or MEDIA_UPLOAD)."""
        body = {
            "media_type": "PHOTO",
            "post_mode": post_mode,
            "post_info": post_info,
            "source_info": source_info,
        }
        return _ticket(
            await self._client.call_api(
                "POST", CONTENT_INIT_PATH, access_token=access_token, json=body
            )
        )

    async def status(self, access_token: str, publish_id: str) -> PublishStatus:
        """Where a publish is now."""
        data = await self._client.call_api(
            "POST", STATUS_PATH, access_token=access_token, json={"publish_id": publish_id}
        )
        return PublishStatus.from_json(data)

    async def upload_chunk(
        self,
        upload_url: str,
        body: AsyncIterable[bytes | bytearray | memoryview],
        *,
        first: int,
        last: int,
        total: int,
        content_type: str,
        read_timeout: float = 600.0,
        http: httpx.AsyncClient | None = None,
    ) -> int:
        """PUT one chunk, streamed; returns the HTTP status (206 more, 201 done).

        `http`: the client to send it with (the transfer lane's), else our own.

        The caller decides what a 4xx/5xx means (416: resync, 403: URL expired).
        Transport failures raise TikTokUnavailable so the caller can retry.
        """
        headers = {
            "Content-Type": content_type,
            "Content-Length": str(last - first + 1),
            "Content-Range": f"bytes {first}-{last}/{total}",
        }
        try:
            http = http or self._uploads or self._client.http
            response = await http.put(
                upload_url,
                # httpx streams any bytes-like piece; its annotation only says bytes.
                content=cast("AsyncIterable[bytes]", body),
                headers=headers,
                timeout=read_timeout,
            )
        except httpx.HTTPError as exc:
            raise TikTokUnavailable(f"chunk upload: {type(exc).__name__}") from exc
        return response.status_code
