"""Numbers worth knowing about a creator, from a sample of their latest videos. Pure."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bot.creators.models import CreatorVideo

WEEK = 7 * 86_400


@dataclass(frozen=True, slots=True)
class TagStat:
    """How the videos carrying one hashtag did."""

    tag: str
    videos: int
    average_views: int


@dataclass(frozen=True, slots=True)
class Summary:
    """What a creator's latest videos say (None: not enough videos to tell)."""

    sample: int
    median_views: int | None
    engagement: float | None
    posts_per_week: float | None
    top_hashtags: tuple[TagStat, ...]


def video_engagement(video: CreatorVideo) -> float | None:
    """(likes + comments + shares + saves) / views of one video."""
    s = video.stats
    return (s.like + s.comment + s.share + s.collect) / s.play if s.play > 0 else None


def median_views(videos: Sequence[CreatorVideo]) -> int | None:
    """The median view count (whole views), None without videos."""
    if not videos:
        return None
    return int(statistics.median(v.stats.play for v in videos))


def engagement(videos: Sequence[CreatorVideo]) -> float | None:
    """All interactions over all views of the sample (big videos weigh more, as on TikTok)."""
    views = sum(v.stats.play for v in videos)
    if views <= 0:
        return None
    s = [v.stats for v in videos]
    return sum(x.like + x.comment + x.share + x.collect for x in s) / views


def posts_per_week(videos: Sequence[CreatorVideo]) -> float | None:
    """Posting frequency over the span the sample covers (None below two videos)."""
    if len(videos) < 2:
        return None
    times = sorted(v.publish_ts for v in videos)
    span = times[-1] - times[0]
    if span <= 0:
        return None
    return (len(videos) - 1) / (span / WEEK)


def top_hashtags(videos: Sequence[CreatorVideo], *, limit: int = 5) -> list[TagStat]:
    """Hashtags ranked by average views; ties go to the tag used more often, then the name."""
    views: dict[str, list[int]] = {}
    spelled: dict[str, str] = {}
    for video in videos:
        for tag in {t.casefold(): t for t in video.hashtags}.items():
            spelled.setdefault(tag[0], tag[1])
            views.setdefault(tag[0], []).append(video.stats.play)
    stats = [TagStat(spelled[k], len(v), sum(v) // len(v)) for k, v in views.items()]
    stats.sort(key=lambda s: (-s.average_views, -s.videos, s.tag.casefold()))
    return stats[:limit]


def summarise(videos: Sequence[CreatorVideo]) -> Summary:
    """Median views, engagement, posting frequency and top hashtags of a sample."""
    return Summary(
        sample=len(videos),
        median_views=median_views(videos),
        engagement=engagement(videos),
        posts_per_week=posts_per_week(videos),
        top_hashtags=tuple(top_hashtags(videos)),
    )


def breakouts(
    videos: Sequence[CreatorVideo], *, median: int | None, since_ts: int, factor: float = 2.0
) -> list[CreatorVideo]:
    """Videos posted since `since_ts` with at least `factor` x the median views."""
    if not median:
        return []
    return [v for v in videos if v.publish_ts >= since_ts and v.stats.play >= factor * median]
