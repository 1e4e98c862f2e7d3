"""TikTok's posting-screen rules as pure functions.

(creator info, PostChoices) -> what to show, what is allowed, what is
missing. Handlers only render the result; every rule of
docs/composer-rules.md is decided here and unit-tested:

- privacy comes from the creator's options and has NO default; Post stays
  disabled until one is chosen;
- Allow Comment / Duet / Stitch start off, and are unavailable when the
  creator disabled them; photos only have Comment;
- commercial content disclosure starts off; when on, "Your brand" and/or
  "Branded content" must be ticked; branded content cannot be "Only me"
  (blocked in both directions);
- the declaration wording switches with branded content;
- inbox mode hides what TikTok ignores there;
- an unaudited app may only post "Only me" from a private account.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from bot.publishing.choices import MediaKind, PostChoices, PostMode, PrivacyLevel
from bot.publishing.text_limits import (
    PHOTO_DESCRIPTION_LIMIT,
    PHOTO_TITLE_LIMIT,
    VIDEO_CAPTION_LIMIT,
    fits,
)
from bot.tiktok import CreatorInfo

SELF_ONLY = PrivacyLevel.SELF_ONLY
MAX_PHOTOS = 35


class Toggle(StrEnum):
    """Switches in the composer."""

    COMMENT = "comment"
    DUET = "duet"
    STITCH = "stitch"
    AIGC = "aigc"
    DISCLOSE = "disclose"
    BRAND_ORGANIC = "brand_organic"  # "Your brand"
    BRAND_CONTENT = "brand_content"  # "Branded content"


class Why(StrEnum):
    """Why something is unavailable or refused (texts map these to words)."""

    CREATOR_DISABLED = "creator_disabled"
    BRANDED_NOT_PRIVATE = "branded_not_private"
    UNAUDITED_ONLY_ME = "unaudited_only_me"
    NOT_OFFERED = "not_offered"
    NOT_FOR_PHOTOS = "not_for_photos"
    DISCLOSE_FIRST = "disclose_first"
    NOT_IN_INBOX = "not_in_inbox"


class Blocker(StrEnum):
    """What stops the Post button."""

    CHOOSE_PRIVACY = "choose_privacy"
    CHOOSE_DISCLOSURE = "choose_disclosure"
    VIDEO_TOO_LONG = "video_too_long"
    TEXT_TOO_LONG = "text_too_long"
    ACCOUNT_MUST_BE_PRIVATE = "account_must_be_private"
    NO_MEDIA = "no_media"


class Declaration(StrEnum):
    """Which consent sentence sits above the Post button."""

    MUSIC = "music"
    BRANDED_AND_MUSIC = "branded_and_music"


class LabelNotice(StrEnum):
    """How TikTok will label a disclosed post."""

    PROMOTIONAL = "promotional"
    PAID_PARTNERSHIP = "paid_partnership"


@dataclass(frozen=True, slots=True)
class PrivacyChoice:
    """One privacy button."""

    level: str
    selected: bool
    why_not: Why | None

    @property
    def allowed(self) -> bool:
        """Whether tapping it can select it."""
        return self.why_not is None


@dataclass(frozen=True, slots=True)
class ToggleView:
    """One switch as shown."""

    toggle: Toggle
    on: bool
    why_not: Why | None

    @property
    def available(self) -> bool:
        """Whether the user may flip it."""
        return self.why_not is None


@dataclass(frozen=True, slots=True)
class ComposerView:
    """Everything the composer message shows, decided by the rules."""

    show_caption: bool
    show_photo_text: bool
    privacy: tuple[PrivacyChoice, ...]
    interactions: tuple[ToggleView, ...]
    aigc: ToggleView | None
    disclose: ToggleView | None
    disclosure_options: tuple[ToggleView, ...]
    label_notice: LabelNotice | None
    declaration: Declaration
    blockers: tuple[Blocker, ...]
    unaudited_notice: bool

    @property
    def can_post(self) -> bool:
        """Post is enabled only when nothing blocks it."""
        return not self.blockers


@dataclass(frozen=True, slots=True)
class Refused:
    """A tap the rules do not allow, and why."""

    why: Why


def _is_private_account(creator: CreatorInfo) -> bool:
    # Private accounts are offered FOLLOWER_OF_CREATOR instead of PUBLIC_TO_EVERYONE.
    return "PUBLIC_TO_EVERYONE" not in creator.privacy_level_options


def privacy_refusal(
    creator: CreatorInfo, c: PostChoices, level: str, *, audited: bool
) -> Why | None:
    """Why `level` cannot be chosen now, or None."""
    if level not in creator.privacy_level_options or level not in set(PrivacyLevel):
        return Why.NOT_OFFERED
    if not audited and level != SELF_ONLY:
        return Why.UNAUDITED_ONLY_ME
    if level == SELF_ONLY and c.brand_content:
        return Why.BRANDED_NOT_PRIVATE
    return None


def _creator_disabled(creator: CreatorInfo, toggle: Toggle) -> bool:
    return {
        Toggle.COMMENT: creator.comment_disabled,
        Toggle.DUET: creator.duet_disabled,
        Toggle.STITCH: creator.stitch_disabled,
    }.get(toggle, False)


def toggle_refusal(creator: CreatorInfo, c: PostChoices, toggle: Toggle) -> Why | None:
    """Why `toggle` cannot be switched ON now, or None (switching off is always fine)."""
    if c.mode is PostMode.INBOX:
        # Inbox drafts are finished in the TikTok app, which asks for these there.
        return Why.NOT_IN_INBOX
    if c.kind is MediaKind.PHOTO and toggle in {Toggle.DUET, Toggle.STITCH, Toggle.AIGC}:
        return Why.NOT_FOR_PHOTOS
    if _creator_disabled(creator, toggle):
        return Why.CREATOR_DISABLED
    if toggle in {Toggle.BRAND_ORGANIC, Toggle.BRAND_CONTENT} and not c.disclose:
        return Why.DISCLOSE_FIRST
    if toggle is Toggle.BRAND_CONTENT and c.privacy_level == SELF_ONLY:
        return Why.BRANDED_NOT_PRIVATE
    return None


def _current(c: PostChoices, toggle: Toggle) -> bool:
    return {
        Toggle.COMMENT: c.allow_comment,
        Toggle.DUET: c.allow_duet,
        Toggle.STITCH: c.allow_stitch,
        Toggle.AIGC: c.is_aigc,
        Toggle.DISCLOSE: c.disclose,
        Toggle.BRAND_ORGANIC: c.brand_organic,
        Toggle.BRAND_CONTENT: c.brand_content,
    }[toggle]


def _set(c: PostChoices, toggle: Toggle, value: bool) -> PostChoices:
    if toggle is Toggle.COMMENT:
        return replace(c, allow_comment=value)
    if toggle is Toggle.DUET:
        return replace(c, allow_duet=value)
    if toggle is Toggle.STITCH:
        return replace(c, allow_stitch=value)
    if toggle is Toggle.AIGC:
        return replace(c, is_aigc=value)
    if toggle is Toggle.DISCLOSE:
        return replace(c, disclose=value)
    if toggle is Toggle.BRAND_ORGANIC:
        return replace(c, brand_organic=value)
    return replace(c, brand_content=value)


def _toggle_view(creator: CreatorInfo, c: PostChoices, toggle: Toggle) -> ToggleView:
    on = _current(c, toggle)
    return ToggleView(toggle, on, None if on else toggle_refusal(creator, c, toggle))


def text_fits(c: PostChoices) -> bool:
    """Whether caption/title/description are within TikTok's UTF-16 limits."""
    if c.kind is MediaKind.VIDEO:
        return fits(c.title, VIDEO_CAPTION_LIMIT)
    return fits(c.title, PHOTO_TITLE_LIMIT) and fits(c.description, PHOTO_DESCRIPTION_LIMIT)


def compose(
    creator: CreatorInfo,
    c: PostChoices,
    *,
    audited: bool,
    media_count: int = 1,
    video_duration: int | None = None,
) -> ComposerView:
    """Decide what the composer shows for this creator and these choices."""
    direct = c.mode is PostMode.DIRECT
    video = c.kind is MediaKind.VIDEO
    privacy: tuple[PrivacyChoice, ...] = ()
    interactions: tuple[ToggleView, ...] = ()
    if direct:
        privacy = tuple(
            PrivacyChoice(
                level,
                level == c.privacy_level,
                None
                if level == c.privacy_level
                else privacy_refusal(creator, c, level, audited=audited),
            )
            for level in creator.privacy_level_options
        )
    if direct:
        names = (Toggle.COMMENT, Toggle.DUET, Toggle.STITCH) if video else (Toggle.COMMENT,)
        interactions = tuple(_toggle_view(creator, c, t) for t in names)
    show_commercial = direct
    disclosure_options: tuple[ToggleView, ...] = ()
    if show_commercial and c.disclose:
        disclosure_options = (
            _toggle_view(creator, c, Toggle.BRAND_ORGANIC),
            _toggle_view(creator, c, Toggle.BRAND_CONTENT),
        )
    notice = None
    if c.disclose and c.brand_content:
        notice = LabelNotice.PAID_PARTNERSHIP
    elif c.disclose and c.brand_organic:
        notice = LabelNotice.PROMOTIONAL

    blockers: list[Blocker] = []
    if media_count < 1:
        blockers.append(Blocker.NO_MEDIA)
    if direct and c.privacy_level is None:
        blockers.append(Blocker.CHOOSE_PRIVACY)
    if direct and c.disclose and not (c.brand_organic or c.brand_content):
        blockers.append(Blocker.CHOOSE_DISCLOSURE)
    if (
        video
        and video_duration is not None
        and (video_duration > creator.max_video_post_duration_sec)
    ):
        blockers.append(Blocker.VIDEO_TOO_LONG)
    if not text_fits(c):
        blockers.append(Blocker.TEXT_TOO_LONG)
    if direct and not audited and not _is_private_account(creator):
        blockers.append(Blocker.ACCOUNT_MUST_BE_PRIVATE)

    return ComposerView(
        show_caption=direct or not video,
        show_photo_text=not video,
        privacy=privacy,
        interactions=interactions,
        aigc=_toggle_view(creator, c, Toggle.AIGC) if video and direct else None,
        disclose=_toggle_view(creator, c, Toggle.DISCLOSE) if show_commercial else None,
        disclosure_options=disclosure_options,
        label_notice=notice,
        declaration=Declaration.BRANDED_AND_MUSIC
        if direct and c.disclose and c.brand_content
        else Declaration.MUSIC,
        blockers=tuple(blockers),
        unaudited_notice=direct and not audited,
    )


def choose_privacy(
    creator: CreatorInfo, c: PostChoices, level: str, *, audited: bool
) -> PostChoices | Refused:
    """Select a privacy level, if the rules allow it."""
    if c.mode is PostMode.INBOX:
        return Refused(Why.NOT_IN_INBOX)
    why = privacy_refusal(creator, c, level, audited=audited)
    return Refused(why) if why else replace(c, privacy_level=PrivacyLevel(level))


def flip(creator: CreatorInfo, c: PostChoices, toggle: Toggle) -> PostChoices | Refused:
    """Switch a toggle; switching ON is checked against the rules."""
    on = _current(c, toggle)
    if not on:
        why = toggle_refusal(creator, c, toggle)
        if why:
            return Refused(why)
    changed = _set(c, toggle, not on)
    if toggle is Toggle.DISCLOSE and on:
        # Turning disclosure off clears its sub-choices.
        changed = replace(changed, brand_organic=False, brand_content=False)
    return changed


def switch_mode(c: PostChoices, mode: PostMode) -> PostChoices:
    """Direct post <-> TikTok inbox; choices TikTok ignores in the inbox are kept, not sent."""
    return replace(c, mode=mode)


def next_cover(c: PostChoices, media_count: int) -> PostChoices:
    """Cycle the photo carousel's cover."""
    if c.kind is not MediaKind.PHOTO or media_count < 2:
        return c
    return replace(c, cover_index=(c.cover_index + 1) % media_count)


def choose_video_cover(
    c: PostChoices, timestamp_ms: int | None, duration_s: int | None
) -> PostChoices | Refused:
    """The video's cover frame (milliseconds from the start), or None for TikTok's own choice."""
    if c.kind is not MediaKind.VIDEO:
        return Refused(Why.NOT_FOR_PHOTOS)
    if timestamp_ms is not None and (
        timestamp_ms < 0 or (duration_s is not None and timestamp_ms > duration_s * 1000)
    ):
        return Refused(Why.NOT_OFFERED)
    return replace(c, cover_timestamp_ms=timestamp_ms)
