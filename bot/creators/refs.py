"""Which creator a user means: "@name", a profile link, or a sec_user_id. Pure parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass

# TikTok usernames: letters, digits, '_' and '.', at most 24 characters.
_USERNAME = r"[A-Za-z0-9_.]{2,24}"
_AT = re.compile(rf"^@({_USERNAME})$")
_PROFILE_LINK = re.compile(
    rf"^(?:https?://)?(?:www\.|m\.)?tiktok\.com/@({_USERNAME})/?(?:[?#].*)?$", re.IGNORECASE
)
# sec_user_ids are base64url and start with "MS4wLjABAAAA" (a version prefix).
_SEC_UID = re.compile(r"^(MS4wLjAB[A-Za-z0-9_-]{20,120})$")


@dataclass(frozen=True, slots=True)
class CreatorRef:
    """A username or a sec_user_id (exactly one is set)."""

    username: str | None = None
    sec_uid: str | None = None

    @property
    def label(self) -> str:
        """How to name it back to the user."""
        if self.username:
            return f"@{self.username}"
        assert self.sec_uid is not None
        return self.sec_uid[:16] + "…"


def parse_creator_ref(text: str) -> CreatorRef | None:
    """The creator in `text`, or None when it is not a username, profile link or sec_user_id.

    Video links (…/@name/video/123) are not creator references: /stats shows
    the video for those.
    """
    value = text.strip()
    for pattern in (_AT, _PROFILE_LINK):
        match = pattern.match(value)
        if match:
            return CreatorRef(username=match.group(1).lower())
    match = _SEC_UID.match(value)
    if match:
        return CreatorRef(sec_uid=match.group(1))
    return None


def parse_creator_refs(words: list[str]) -> list[CreatorRef | str]:
    """Each word as a CreatorRef, or the word itself when it is not one."""
    return [parse_creator_ref(w) or w for w in words]
