"""What the composer hands to the publishing pipeline once the user taps Post.

This is the seam between the chat side (drafts, composer) and the durable
publish jobs: plain frozen data, no ORM rows, no Telegram objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.publishing.choices import (
    CHOICES_VERSION,
    ChoicesInvalid,
    MediaKind,
    MediaRef,
    PostChoices,
    PostMode,
)

__all__ = ["MediaKind", "MediaRef", "PostChoices", "PostMode", "PublishRequest"]


@dataclass(frozen=True, slots=True)
class PublishRequest:
    """One post to make, submitted exactly once per draft."""

    draft_id: int
    telegram_user_id: int
    chat_id: int
    account_id: int
    media: tuple[MediaRef, ...]
    choices: PostChoices

    @property
    def kind(self) -> MediaKind:
        """What is being posted."""
        return self.choices.kind

    def to_json(self) -> str:
        """The request as stored on its job (versioned with its choices)."""
        return json.dumps(
            {
                "v": CHOICES_VERSION,
                "draft_id": self.draft_id,
                "telegram_user_id": self.telegram_user_id,
                "chat_id": self.chat_id,
                "account_id": self.account_id,
                "media": [m.to_dict() for m in self.media],
                "choices": self.choices.to_dict(),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str) -> PublishRequest:
        """The request stored on a job; ChoicesInvalid when it does not validate."""
        data: dict[str, Any] = json.loads(raw)
        if data.get("v") != CHOICES_VERSION:
            raise ChoicesInvalid(f"unsupported request version {data.get('v')!r}")
        return cls(
            draft_id=int(data["draft_id"]),
            telegram_user_id=int(data["telegram_user_id"]),
            chat_id=int(data["chat_id"]),
            account_id=int(data["account_id"]),
            media=tuple(MediaRef.from_dict(m) for m in data["media"]),
            choices=PostChoices.from_dict(data["choices"]),
        )
