"""A post's caption as lists show it."""

from __future__ import annotations

from bot.publishing.requests import MediaKind, PublishRequest

CAPTION_START = 40


def caption_of(request: PublishRequest) -> str:
    """The caption as the user wrote it (photos: the description)."""
    choices = request.choices
    return choices.description if request.kind is MediaKind.PHOTO else choices.title


def shorten(text: str, limit: int = CAPTION_START) -> str:
    """The first words of a caption, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
