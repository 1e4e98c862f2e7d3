"""Public creator data in one shape, whichever provider it came from.

The video fields follow the video-list provider's documented "standard"
model (docs/providers.md); `as_standard()` gives that JSON back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuthorInfo:
    """The creator as a listed video names them."""

    uid: str = ""
    unique_id: str = ""
    nickname: str = ""
    avatar: str = ""
    signature: str = ""
    is_verified: bool = False


@dataclass(frozen=True, slots=True)
class VideoResource:
    """Duration, size and the first cover and play URL."""

    duration_ms: int = 0
    duration_sec: float = 0.0
    width: int = 0
    height: int = 0
    cover_img: str = ""
    play_url: str = ""


@dataclass(frozen=True, slots=True)
class MusicInfo:
    """The sound of a video; every field empty when it has none."""

    music_id: str = ""
    music_name: str = ""
    music_author: str = ""
    music_cover: str = ""

    @property
    def empty(self) -> bool:
        """Whether the video has no music."""
        return not (self.music_id or self.music_name or self.music_author or self.music_cover)


@dataclass(frozen=True, slots=True)
class VideoStats:
    """Views ("play"), likes, comments, shares and saves ("collect")."""

    play: int = 0
    like: int = 0
    comment: int = 0
    share: int = 0
    collect: int = 0


@dataclass(frozen=True, slots=True)
class CreatorVideo:
    """One public video, normalised."""

    aweme_id: str
    video_desc: str
    publish_ts: int
    publish_time: str  # "YYYY-MM-DD HH:MM:SS", UTC
    is_private: bool
    author_info: AuthorInfo
    video_resource: VideoResource
    music_info: MusicInfo
    stats: VideoStats
    hashtags: tuple[str, ...]

    @property
    def published_at(self) -> datetime:
        """When it was posted, aware UTC."""
        return datetime.fromtimestamp(self.publish_ts, UTC)

    def as_standard(self) -> dict[str, Any]:
        """The provider documentation's standard JSON for this video."""
        author, res, music, st = self.author_info, self.video_resource, self.music_info, self.stats
        return {
            "aweme_id": self.aweme_id,
            "video_desc": self.video_desc,
            "publish_ts": self.publish_ts,
            "publish_time": self.publish_time,
            "is_private": self.is_private,
            "author_info": {
                "uid": author.uid,
                "unique_id": author.unique_id,
                "nickname": author.nickname,
                "avatar": author.avatar,
                "signature": author.signature,
                "is_verified": author.is_verified,
            },
            "video_resource": {
                "duration_ms": res.duration_ms,
                "duration_sec": res.duration_sec,
                "width": res.width,
                "height": res.height,
                "cover_img": res.cover_img,
                "play_url": res.play_url,
            },
            # No music: an empty object, not a missing key (the documented rule).
            "music_info": {}
            if music.empty
            else {
                "music_id": music.music_id,
                "music_name": music.music_name,
                "music_author": music.music_author,
                "music_cover": music.music_cover,
            },
            "stats": {
                "play": st.play,
                "like": st.like,
                "comment": st.comment,
                "share": st.share,
                "collect": st.collect,
            },
            "hashtags": list(self.hashtags),
        }


@dataclass(frozen=True, slots=True)
class VideoPage:
    """One page of a creator's videos and the cursor of the next."""

    videos: tuple[CreatorVideo, ...]
    next_cursor: str
    has_more: bool

    def as_standard(self) -> dict[str, Any]:
        """The provider documentation's standard JSON for this page."""
        return {
            "next_cursor": self.next_cursor,
            "has_more": self.has_more,
            "video_list": [v.as_standard() for v in self.videos],
        }


@dataclass(frozen=True, slots=True)
class CreatorProfile:
    """A creator's profile and public counters (None: the provider did not say)."""

    username: str
    nickname: str
    bio: str = ""
    sec_uid: str | None = None
    followers: int | None = None
    following: int | None = None
    likes: int | None = None
    videos: int | None = None
    verified: bool = False
    private: bool = False
    avatar: str = ""


@dataclass(frozen=True, slots=True)
class FollowedAccount:
    """One account a creator follows, with its numbers."""

    username: str
    nickname: str
    verified: bool
    bio: str
    followers: int
    following: int
    likes: int
    videos: int


@dataclass(frozen=True, slots=True)
class FollowingPage:
    """One page of who a creator follows."""

    accounts: tuple[FollowedAccount, ...]
    total: int | None
    has_more: bool
    next_cursor: int
