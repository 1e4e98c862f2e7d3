"""The video-list provider's raw JSON -> CreatorVideo / VideoPage, as its documentation says.

The documented rules: timestamps become "YYYY-MM-DD HH:MM:SS" (we use UTC;
the documentation's sample used the server's local time), `duration_sec` is
the duration in seconds to one decimal, hashtags are the `hashtag_name`s of
`text_extra` only, the cover and play URLs are the first of each `url_list`,
and a video without music or hashtags gets empty values instead of missing
keys. Pure functions: no I/O.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.creators.models import (
    AuthorInfo,
    CreatorVideo,
    MusicInfo,
    VideoPage,
    VideoResource,
    VideoStats,
)


class MalformedVideo(ValueError):
    """A raw video without the fields every video has (id, creation time)."""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def first_url(block: Any) -> str:
    """The first entry of a `{"url_list": [...]}` block ("" when there is none)."""
    urls = _dict(block).get("url_list")
    return _str(urls[0]) if isinstance(urls, list) and urls else ""


def publish_time(ts: int) -> str:
    """Unix seconds -> "YYYY-MM-DD HH:MM:SS" in UTC."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def hashtags_of(text_extra: Any) -> tuple[str, ...]:
    """The hashtag names of `text_extra`, in order, without duplicates or mentions."""
    tags: list[str] = []
    for entry in text_extra if isinstance(text_extra, list) else []:
        name = _str(_dict(entry).get("hashtag_name")).strip()
        if name and name not in tags:
            tags.append(name)
    return tuple(tags)


def normalise_video(item: dict[str, Any]) -> CreatorVideo:
    """One raw `aweme_list` entry (or `aweme_detail`) in the standard shape."""
    aweme_id = _str(item.get("aweme_id"))
    if not aweme_id or "create_time" not in item:
        raise MalformedVideo("video without aweme_id or create_time")
    ts = _int(item["create_time"])
    author = _dict(item.get("author"))
    video = _dict(item.get("video"))
    music = _dict(item.get("music"))
    stats = _dict(item.get("statistics"))
    duration = _int(video.get("duration"))
    return CreatorVideo(
        aweme_id=aweme_id,
        video_desc=_str(item.get("desc")),
        publish_ts=ts,
        publish_time=publish_time(ts),
        is_private=bool(item.get("is_private", False)),
        author_info=AuthorInfo(
            uid=_str(author.get("uid")),
            unique_id=_str(author.get("unique_id")),
            nickname=_str(author.get("nickname")),
            avatar=_str(author.get("avatar")),
            signature=_str(author.get("signature")),
            is_verified=bool(author.get("is_verified", False)),
        ),
        video_resource=VideoResource(
            duration_ms=duration,
            duration_sec=round(duration / 1000, 1),
            width=_int(video.get("width")),
            height=_int(video.get("height")),
            cover_img=first_url(video.get("cover")),
            play_url=first_url(video.get("play_addr")),
        ),
        music_info=MusicInfo(
            music_id=_str(music.get("music_id")),
            music_name=_str(music.get("title")),
            music_author=_str(music.get("author")),
            music_cover=_str(music.get("cover")),
        ),
        stats=VideoStats(
            play=_int(stats.get("play_count")),
            like=_int(stats.get("digg_count")),
            comment=_int(stats.get("comment_count")),
            share=_int(stats.get("share_count")),
            collect=_int(stats.get("collect_count")),
        ),
        hashtags=hashtags_of(item.get("text_extra")),
    )


def normalise_video_page(data: dict[str, Any]) -> VideoPage:
    """The `data` of a user post list reply in the standard shape."""
    items = data.get("aweme_list")
    return VideoPage(
        videos=tuple(normalise_video(_dict(i)) for i in (items if isinstance(items, list) else [])),
        next_cursor=_str(data.get("max_cursor", "")),
        has_more=bool(data.get("has_more", False)),
    )
