"""Text limits TikTok counts in UTF-16 code units (emoji count as two)."""

from __future__ import annotations

VIDEO_CAPTION_LIMIT = 2200
PHOTO_TITLE_LIMIT = 90
PHOTO_DESCRIPTION_LIMIT = 4000


def utf16_len(text: str) -> int:
    """Length of `text` as TikTok and Telegram count it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def fits(text: str, limit: int) -> bool:
    """Whether `text` is within `limit` UTF-16 code units."""
    return utf16_len(text) <= limit
