"""What the composer hands to the publishing pipeline once the user taps Post.

This is the seam between the chat side (drafts, composer) and the durable
publish jobs: plain frozen data, no ORM rows, no Telegram objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MediaKind(StrEnum):
    """What is being posted."""

    VIDEO = "video"
    PHOTO = "photo"


class PostMode(StrEnum):
    """Post now, or send to the creator's TikTok inbox to finish in the app."""

    DIRECT = "direct"  # DIRECT_POST
    INBOX = "inbox"  # inbox video init / photo MEDIA_UPLOAD


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A Telegram file to post; sizes and dimensions as Telegram reported them."""

    file_id: str
    file_unique_id: str
    file_size: int | None = None
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    as_document: bool = False  # sent "as a file": previews must re-send it as a document


@dataclass(frozen=True, slots=True)
class PostSettings:
    """Everything the user chose in the composer.

    `privacy_level` is None only in inbox mode (TikTok ignores it there).
    Video posts use `title` as the caption; photo posts use `title` (<= 90)
    and `description` (<= 4000).
    """

    mode: PostMode
    title: str = ""
    description: str = ""
    privacy_level: str | None = None
    allow_comment: bool = False
    allow_duet: bool = False
    allow_stitch: bool = False
    is_aigc: bool = False
    brand_organic: bool = False  # "Your brand"
    brand_content: bool = False  # "Branded content"
    photo_cover_index: int = 0
    auto_add_music: bool = True


@dataclass(frozen=True, slots=True)
class PublishRequest:
    """One post to make, submitted exactly once per draft."""

    draft_id: int
    telegram_user_id: int
    chat_id: int
    account_id: int
    kind: MediaKind
    media: tuple[MediaRef, ...]
    settings: PostSettings
