"""Finding the video a user means: TikTok links in their many shapes, or a bare id.

Accepted (scheme optional, query strings and fragments ignored)::

    https://www.tiktok.com/@user/video/7301234567890123456?is_from_webapp=1
    https://www.tiktok.com/@user/photo/7301234567890123456
    https://m.tiktok.com/v/7301234567890123456.html
    https://www.tiktok.com/embed/v2/7301234567890123456
    https://www.tiktok.com/player/v1/7301234567890123456
    https://www.tiktok.com/share/video/7301234567890123456
    https://www.tiktok.com/...?item_id=7301234567890123456
    7301234567890123456
    https://vm.tiktok.com/ZMabc123/  https://vt.tiktok.com/ZSabc/  https://www.tiktok.com/t/ZTabc/
        (short links: resolved by following the redirect, see short_links.py)

Ids stay strings: they exceed 2**53 and lose digits as floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit, urlunsplit

# TikTok ids are 64-bit snowflakes: 19 digits since 2016, and 2**63 caps them at 19.
_ID = r"\d{19}"
_BARE_ID = re.compile(rf"^{_ID}$")
_ID_IN_PATH = re.compile(rf"(?:^|/)({_ID})(?:\.html)?(?:/|$)")
SHORT_HOSTS = frozenset({"vm.tiktok.com", "vt.tiktok.com"})
_ID_QUERY_KEYS = ("item_id", "share_item_id", "video_id", "aweme_id")


@dataclass(frozen=True, slots=True)
class VideoId:
    """A video id taken straight from the text."""

    value: str


@dataclass(frozen=True, slots=True)
class ShortLink:
    """A short share link whose target is only known after following its redirect."""

    url: str


VideoRef = VideoId | ShortLink


def is_tiktok_host(host: str) -> bool:
    """Whether `host` is tiktok.com or one of its subdomains."""
    host = host.lower().rstrip(".")
    return host == "tiktok.com" or host.endswith(".tiktok.com")


def parse_video_ref(text: str) -> VideoRef | None:
    """The video `text` points at, a short link to resolve, or None."""
    candidate = text.strip().strip("<>()[]\"'").rstrip(".,;!")
    if not candidate:
        return None
    if _BARE_ID.match(candidate):
        return VideoId(candidate)
    if "://" not in candidate:
        if not re.match(r"^(?:[\w-]+\.)*tiktok\.com(?:[/?#]|$)", candidate, re.IGNORECASE):
            return None
        candidate = "https://" + candidate
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not is_tiktok_host(host):
        return None
    match = _ID_IN_PATH.search(parts.path)
    if match:
        return VideoId(match.group(1))
    query = parse_qs(parts.query)
    for key in _ID_QUERY_KEYS:
        for value in query.get(key, ()):
            if _BARE_ID.match(value):
                return VideoId(value)
    if host in SHORT_HOSTS or parts.path.startswith("/t/"):
        if parts.path.strip("/") in {"", "t"}:
            return None
        return ShortLink(urlunsplit(("https", host, parts.path, parts.query, "")))
    return None


def find_video_ref(text: str) -> VideoRef | None:
    """The first word of `text` that points at a video (share texts carry words around it)."""
    for word in text.split():
        ref = parse_video_ref(word)
        if ref is not None:
            return ref
    return None
