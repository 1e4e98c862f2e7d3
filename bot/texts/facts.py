"""The shapes of the values texts are rendered from, described structurally.

bot/texts imports no domain module: a handler passes the domain's own
objects, and these protocols name only what the words need from them (any
object with these read-only attributes fits).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol


class AccountFacts(Protocol):
    """A linked account."""

    @property
    def label(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def username(self) -> str | None: ...


class VideoFacts(Protocol):
    """One TikTok video with its numbers."""

    @property
    def create_time(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def share_url(self) -> str | None: ...
    @property
    def like_count(self) -> int: ...
    @property
    def comment_count(self) -> int: ...
    @property
    def share_count(self) -> int: ...
    @property
    def view_count(self) -> int: ...


class ProfileFacts(Protocol):
    """A TikTok profile."""

    @property
    def display_name(self) -> str: ...
    @property
    def username(self) -> str | None: ...
    @property
    def is_verified(self) -> bool | None: ...


class NumbersFacts(Protocol):
    """An account's counts (None where a scope is missing)."""

    @property
    def followers(self) -> int | None: ...
    @property
    def following(self) -> int | None: ...
    @property
    def likes(self) -> int | None: ...
    @property
    def videos(self) -> int | None: ...


class ChangeFacts(Protocol):
    """How the counts moved since a moment."""

    @property
    def since(self) -> datetime: ...
    @property
    def followers(self) -> int: ...
    @property
    def following(self) -> int: ...
    @property
    def likes(self) -> int: ...
    @property
    def videos(self) -> int: ...


class HashtagFacts(Protocol):
    """One hashtag's numbers."""

    @property
    def tag(self) -> str: ...
    @property
    def videos(self) -> int: ...
    @property
    def average_views(self) -> int: ...


class ListingFacts(Protocol):
    """A page of videos."""

    @property
    def videos(self) -> Sequence[VideoFacts]: ...


class OverviewFacts(Protocol):
    """Everything /stats shows for one account."""

    @property
    def account(self) -> AccountFacts: ...
    @property
    def profile(self) -> ProfileFacts: ...
    @property
    def numbers(self) -> NumbersFacts | None: ...
    @property
    def change(self) -> ChangeFacts | None: ...
    @property
    def videos(self) -> ListingFacts | None: ...
    @property
    def hashtags(self) -> Sequence[HashtagFacts]: ...
    @property
    def hashtag_sample(self) -> int: ...
    @property
    def missing_scopes(self) -> tuple[str, ...]: ...
    @property
    def now(self) -> datetime: ...


class FoundVideoFacts(Protocol):
    """A video found on one of the user's accounts."""

    @property
    def account(self) -> AccountFacts: ...
    @property
    def video(self) -> VideoFacts: ...


class BotPostsFacts(Protocol):
    """The account's posts made through the bot."""

    @property
    def account(self) -> AccountFacts: ...
    @property
    def videos(self) -> Sequence[VideoFacts]: ...
    @property
    def not_visible(self) -> tuple[str, ...]: ...
    @property
    def scope_missing(self) -> bool: ...
    @property
    def older(self) -> int: ...


class ProblemFacts(Protocol):
    """Something that failed for a reason named by a string enum."""

    @property
    def problem(self) -> str: ...


class PendingCommentFacts(Protocol):
    """A comment being written."""

    @property
    def video_title(self) -> str: ...
    @property
    def reply_to_comment_id(self) -> str | None: ...
    @property
    def reply_to_text(self) -> str | None: ...
    @property
    def text(self) -> str | None: ...


class CommentFacts(Protocol):
    """A comment written through the bot."""

    @property
    def video_title(self) -> str: ...
    @property
    def reply_to_comment_id(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


class RefusedTextFacts(Protocol):
    """A comment text we will not send (`problem`: "empty" or "too_long")."""

    @property
    def problem(self) -> str: ...
    @property
    def length(self) -> int: ...
    @property
    def limit(self) -> int: ...
