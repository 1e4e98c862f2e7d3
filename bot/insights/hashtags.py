"""Hashtags in titles and descriptions, and which ones bring views.

Unicode-aware: a tag is '#' followed by letters, combining marks, digits or
underscores of any script (#café, #हिंदी, #日本, #東京2024). Python's `\\w`
misses combining marks (Devanagari vowel signs), hence the explicit scan.
Tags are compared case-insensitively, as TikTok does; the first spelling seen
is the one shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.tiktok import Video

_HASH_SIGNS = frozenset("#\uff03")  # '#' and the full-width '＃' of CJK keyboards


def _tag_char(char: str) -> bool:
    return char == "_" or unicodedata.category(char)[0] in "LMN"


def extract_hashtags(text: str) -> list[str]:
    """The distinct hashtags in `text`, in order, without the '#'."""
    found: dict[str, str] = {}
    i, n, tag_end = 0, len(text), -1
    while i < n:
        glued = i == tag_end  # "#fyp#viral": a tag right after a tag
        after_word = i > 0 and (_tag_char(text[i - 1]) or text[i - 1] == "&")
        if text[i] not in _HASH_SIGNS or (after_word and not glued):
            i += 1  # "C#", "abc#def" and HTML entities like "&#39;" are not tags
            continue
        j = i + 1
        while j < n and _tag_char(text[j]):
            j += 1
        tag = text[i + 1 : j]
        # "#1" is a rank, not a tag: require something besides digits and '_'.
        if any(not c.isdigit() and c != "_" for c in tag):
            found.setdefault(tag.casefold(), tag)
            tag_end = j
        i = j
    return list(found.values())


def video_hashtags(video: Video) -> list[str]:
    """A video's distinct tags from its title and description together."""
    return extract_hashtags(f"{video.title}\n{video.description}")


@dataclass(frozen=True, slots=True)
class HashtagStat:
    """How the videos carrying one tag did."""

    tag: str
    videos: int
    total_views: int

    @property
    def average_views(self) -> int:
        """Mean views per video with this tag (whole views)."""
        return self.total_views // self.videos


def top_hashtags(videos: Iterable[Video], *, limit: int = 5) -> list[HashtagStat]:
    """Tags ranked by average views; ties go to the tag used more often, then by name."""
    spelled: dict[str, str] = {}
    counts: dict[str, int] = {}
    views: dict[str, int] = {}
    for video in videos:
        for tag in video_hashtags(video):
            key = tag.casefold()
            spelled.setdefault(key, tag)
            counts[key] = counts.get(key, 0) + 1
            views[key] = views.get(key, 0) + video.view_count
    stats = [HashtagStat(spelled[k], counts[k], views[k]) for k in spelled]
    stats.sort(key=lambda s: (-s.average_views, -s.videos, s.tag.casefold()))
    return stats[:limit]
