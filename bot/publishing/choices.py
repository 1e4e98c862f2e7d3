"""What the user chose for one post: one frozen value, from the composer to TikTok.

`PostChoices` is what the composer rules read and return, what a draft
stores, what a publish job carries and what `post_info` is built from. It is
stored as one versioned JSON document (drafts.choices_json and the job's
request) and validated when loaded, so a bad row fails loudly at the edge
instead of deep in the pipeline. See docs/composer-rules.md.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

CHOICES_VERSION = 1


class MediaKind(StrEnum):
    """What a draft holds."""

    VIDEO = "video"
    PHOTO = "photo"
    # An album with videos and photos: TikTok posts one or the other, so the
    # album is refused as a whole once it stops arriving.
    MIXED = "mixed"


class PostMode(StrEnum):
    """Post now, or send to the creator's TikTok inbox to finish in the app."""

    DIRECT = "direct"  # DIRECT_POST
    INBOX = "inbox"  # inbox video init / photo MEDIA_UPLOAD


class PrivacyLevel(StrEnum):
    """Who may see the post, as TikTok names the levels."""

    PUBLIC_TO_EVERYONE = "PUBLIC_TO_EVERYONE"
    MUTUAL_FOLLOW_FRIENDS = "MUTUAL_FOLLOW_FRIENDS"
    FOLLOWER_OF_CREATOR = "FOLLOWER_OF_CREATOR"
    SELF_ONLY = "SELF_ONLY"


class ChoicesInvalid(ValueError):
    """A stored PostChoices document that does not validate."""


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

    def to_dict(self) -> dict[str, Any]:
        """The ref as stored in JSON."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MediaRef:
        """A ref from its stored JSON."""
        return cls(**data)


@dataclass(frozen=True, slots=True)
class PostChoices:
    """Everything the user chose in the composer, and what it is for (`kind`).

    `privacy_level` has no default (TikTok's rule: the user picks one). Video
    posts use `title` as the caption; photo posts use `title` (<= 90) and
    `description` (<= 4000). `disclose` gates the two brand switches: they
    count only while it is on. `cover_timestamp_ms` picks a video's cover
    frame (sent only when set).
    """

    kind: MediaKind = MediaKind.VIDEO
    mode: PostMode = PostMode.DIRECT
    title: str = ""
    description: str = ""
    privacy_level: PrivacyLevel | None = None
    allow_comment: bool = False
    allow_duet: bool = False
    allow_stitch: bool = False
    is_aigc: bool = False
    disclose: bool = False
    brand_organic: bool = False  # "Your brand"
    brand_content: bool = False  # "Branded content"
    cover_index: int = 0  # the photo carousel's cover
    auto_add_music: bool = True
    cover_timestamp_ms: int | None = None

    @property
    def direct(self) -> bool:
        """Whether the post goes live now (not to the inbox)."""
        return self.mode is PostMode.DIRECT

    @property
    def sends_brand_organic(self) -> bool:
        """ "Your brand" as TikTok receives it."""
        return self.direct and self.disclose and self.brand_organic

    @property
    def sends_brand_content(self) -> bool:
        """ "Branded content" as TikTok receives it."""
        return self.direct and self.disclose and self.brand_content

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON document of these choices."""
        data = dataclasses.asdict(self)
        data["kind"] = self.kind.value
        data["mode"] = self.mode.value
        data["privacy_level"] = self.privacy_level.value if self.privacy_level else None
        return {"v": CHOICES_VERSION, **data}

    def to_json(self) -> str:
        """`to_dict` as compact JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PostChoices:
        """Choices from a stored document; ChoicesInvalid when it does not validate."""
        if not isinstance(data, dict) or data.get("v") != CHOICES_VERSION:
            raise ChoicesInvalid(f"unsupported choices version {data.get('v')!r}")
        values = {k: v for k, v in data.items() if k != "v"}
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(values) - set(known)
        if unknown:
            raise ChoicesInvalid(f"unknown choices {sorted(unknown)}")
        try:
            values["kind"] = MediaKind(values.get("kind", MediaKind.VIDEO.value))
            values["mode"] = PostMode(values.get("mode", PostMode.DIRECT.value))
            level = values.get("privacy_level")
            values["privacy_level"] = PrivacyLevel(level) if level is not None else None
        except ValueError as exc:
            raise ChoicesInvalid(str(exc)) from None
        for name, value in values.items():
            _check_type(name, value, known[name].type)
        return cls(**values)

    @classmethod
    def from_json(cls, raw: str) -> PostChoices:
        """`from_dict` of a JSON string."""
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ChoicesInvalid(str(exc)) from None
        return cls.from_dict(data)


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "bool": (bool,),
    "int": (int,),
    "int | None": (int, type(None)),
}


def _check_type(name: str, value: object, annotation: object) -> None:
    expected = _TYPES.get(str(annotation))
    if expected is None:
        return  # enums, parsed above
    # bool is an int in Python: a flag is never a number and a number never a flag.
    if (isinstance(value, bool) and bool not in expected) or not isinstance(value, expected):
        raise ChoicesInvalid(f"{name}: {value!r} is not {annotation}")
