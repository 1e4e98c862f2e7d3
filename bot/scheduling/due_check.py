"""At the due time: does TikTok still allow what the user chose when scheduling?

Creator info is fetched fresh right before a scheduled post goes out (TikTok
asks for that, and a lot can change in a day: the account went private, a
duet setting was switched off, the daily cap was hit). A refusal holds the
post in the queue with the reason instead of failing it.
"""

from __future__ import annotations

from enum import StrEnum

from bot.publishing.choices import MediaKind, PostChoices, PostMode
from bot.tiktok import CreatorInfo


class HoldReason(StrEnum):
    """Why a scheduled post is on hold (texts.scheduling says what to do about each)."""

    PRIVACY_GONE = "privacy_gone"
    COMMENTS_OFF = "comments_off"
    DUET_OFF = "duet_off"
    STITCH_OFF = "stitch_off"
    TOO_LONG = "too_long"
    NEEDS_RELINK = "needs_relink"
    # TikTok's own refusal codes (daily cap, banned from posting) are kept as they come.


def hold_reason(
    creator: CreatorInfo,
    choices: PostChoices,
    *,
    kind: MediaKind,
    duration: int | None,
) -> HoldReason | None:
    """What no longer fits the creator's current options, or None when it all still does."""
    if choices.mode is PostMode.INBOX:
        return _too_long(creator, kind, duration)
    if choices.privacy_level not in creator.privacy_level_options:
        return HoldReason.PRIVACY_GONE
    if choices.allow_comment and creator.comment_disabled:
        return HoldReason.COMMENTS_OFF
    if kind is MediaKind.VIDEO and choices.allow_duet and creator.duet_disabled:
        return HoldReason.DUET_OFF
    if kind is MediaKind.VIDEO and choices.allow_stitch and creator.stitch_disabled:
        return HoldReason.STITCH_OFF
    return _too_long(creator, kind, duration)


def _too_long(creator: CreatorInfo, kind: MediaKind, duration: int | None) -> HoldReason | None:
    if kind is MediaKind.VIDEO and duration and duration > creator.max_video_post_duration_sec:
        return HoldReason.TOO_LONG
    return None
