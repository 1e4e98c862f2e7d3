"""What a public-data provider offers, as two small protocols.

An adapter implements one or both; the service is built with whichever the
configuration enables. Adapters turn every failure into a `CreatorDataError`
and every reply into `bot.creators.models` objects.
"""

from __future__ import annotations

from typing import Protocol

from bot.creators.models import CreatorProfile, CreatorVideo, FollowingPage, VideoPage


class ProfileProvider(Protocol):
    """Profiles by username, and who an account follows."""

    name: str

    async def profile(self, username: str) -> CreatorProfile:
        """The creator's profile and counters (CreatorNotFound when there is none)."""
        ...

    async def following(self, sec_uid: str, *, cursor: int, count: int) -> FollowingPage:
        """One page of the accounts the creator follows, newest first (cursor 0: the first)."""
        ...


class VideoProvider(Protocol):
    """A creator's public videos and single videos."""

    name: str

    async def videos(self, sec_uid: str, *, cursor: str, limit: int) -> VideoPage:
        """One page of the creator's videos, newest first (cursor "0": the first)."""
        ...

    async def video(self, aweme_id: str) -> CreatorVideo:
        """One public video."""
        ...
