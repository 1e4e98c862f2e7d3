"""TikTok's posting-screen rules, decided by pure functions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.publishing.choices import MediaKind, PostChoices, PostMode, PrivacyLevel
from bot.publishing.composer import (
    Blocker,
    Declaration,
    LabelNotice,
    Refused,
    Toggle,
    Why,
    choose_privacy,
    compose,
    flip,
    next_cover,
    switch_mode,
)
from bot.tiktok import CreatorInfo

SELF_ONLY = PrivacyLevel.SELF_ONLY
PUBLIC = CreatorInfo(
    nickname="Ana",
    username="ana",
    avatar_url=None,
    privacy_level_options=("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", SELF_ONLY),
    comment_disabled=False,
    duet_disabled=True,
    stitch_disabled=False,
    max_video_post_duration_sec=60,
)
PRIVATE = replace(
    PUBLIC, privacy_level_options=("FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS", SELF_ONLY)
)
VIDEO = PostChoices(kind=MediaKind.VIDEO)
PHOTOS = PostChoices(kind=MediaKind.PHOTO)


def ok(result: PostChoices | Refused) -> PostChoices:
    assert isinstance(result, PostChoices), result
    return result


def test_no_privacy_is_preselected_and_post_waits_for_one() -> None:
    view = compose(PUBLIC, VIDEO, audited=True)
    assert [p.level for p in view.privacy] == list(PUBLIC.privacy_level_options)
    assert not any(p.selected for p in view.privacy)
    assert view.blockers == (Blocker.CHOOSE_PRIVACY,)
    assert not view.can_post
    chosen = ok(choose_privacy(PUBLIC, VIDEO, "MUTUAL_FOLLOW_FRIENDS", audited=True))
    view = compose(PUBLIC, chosen, audited=True)
    assert view.can_post
    assert [p.selected for p in view.privacy] == [False, True, False]


def test_privacy_must_be_one_of_the_creators_options() -> None:
    assert choose_privacy(PRIVATE, VIDEO, "PUBLIC_TO_EVERYONE", audited=True) == Refused(
        Why.NOT_OFFERED
    )


def test_interactions_start_off_and_creator_disabled_are_unavailable() -> None:
    view = compose(PUBLIC, VIDEO, audited=True)
    assert [(t.toggle, t.on) for t in view.interactions] == [
        (Toggle.COMMENT, False),
        (Toggle.DUET, False),
        (Toggle.STITCH, False),
    ]
    duet = view.interactions[1]
    assert not duet.available and duet.why_not is Why.CREATOR_DISABLED
    assert flip(PUBLIC, VIDEO, Toggle.DUET) == Refused(Why.CREATOR_DISABLED)
    assert ok(flip(PUBLIC, VIDEO, Toggle.COMMENT)).allow_comment


def test_photos_only_have_comment_and_no_aigc() -> None:
    view = compose(PUBLIC, PHOTOS, audited=True)
    assert [t.toggle for t in view.interactions] == [Toggle.COMMENT]
    assert view.aigc is None
    assert flip(PUBLIC, PHOTOS, Toggle.STITCH) == Refused(Why.NOT_FOR_PHOTOS)
    assert view.show_photo_text


def test_disclosure_needs_a_choice_and_labels_follow_it() -> None:
    base = ok(choose_privacy(PUBLIC, VIDEO, "PUBLIC_TO_EVERYONE", audited=True))
    view = compose(PUBLIC, base, audited=True)
    assert view.disclose is not None and not view.disclose.on
    assert view.disclosure_options == ()
    assert flip(PUBLIC, base, Toggle.BRAND_ORGANIC) == Refused(Why.DISCLOSE_FIRST)

    disclosed = ok(flip(PUBLIC, base, Toggle.DISCLOSE))
    view = compose(PUBLIC, disclosed, audited=True)
    assert Blocker.CHOOSE_DISCLOSURE in view.blockers
    assert [o.toggle for o in view.disclosure_options] == [
        Toggle.BRAND_ORGANIC,
        Toggle.BRAND_CONTENT,
    ]
    assert view.label_notice is None
    assert view.declaration is Declaration.MUSIC

    organic = ok(flip(PUBLIC, disclosed, Toggle.BRAND_ORGANIC))
    view = compose(PUBLIC, organic, audited=True)
    assert view.can_post and view.label_notice is LabelNotice.PROMOTIONAL
    assert view.declaration is Declaration.MUSIC

    both = ok(flip(PUBLIC, organic, Toggle.BRAND_CONTENT))
    view = compose(PUBLIC, both, audited=True)
    assert view.label_notice is LabelNotice.PAID_PARTNERSHIP
    assert view.declaration is Declaration.BRANDED_AND_MUSIC

    branded_only = ok(flip(PUBLIC, both, Toggle.BRAND_ORGANIC))
    assert compose(PUBLIC, branded_only, audited=True).label_notice is LabelNotice.PAID_PARTNERSHIP

    off = ok(flip(PUBLIC, both, Toggle.DISCLOSE))
    assert not off.brand_organic and not off.brand_content
    assert compose(PUBLIC, off, audited=True).declaration is Declaration.MUSIC


def test_branded_content_and_only_me_exclude_each_other() -> None:
    private_post = ok(choose_privacy(PUBLIC, VIDEO, SELF_ONLY, audited=True))
    disclosed = ok(flip(PUBLIC, private_post, Toggle.DISCLOSE))
    assert flip(PUBLIC, disclosed, Toggle.BRAND_CONTENT) == Refused(Why.BRANDED_NOT_PRIVATE)
    view = compose(PUBLIC, disclosed, audited=True)
    assert view.disclosure_options[1].why_not is Why.BRANDED_NOT_PRIVATE

    public_post = ok(choose_privacy(PUBLIC, VIDEO, "PUBLIC_TO_EVERYONE", audited=True))
    branded = ok(flip(PUBLIC, ok(flip(PUBLIC, public_post, Toggle.DISCLOSE)), Toggle.BRAND_CONTENT))
    assert choose_privacy(PUBLIC, branded, SELF_ONLY, audited=True) == Refused(
        Why.BRANDED_NOT_PRIVATE
    )
    only_me = next(
        p for p in compose(PUBLIC, branded, audited=True).privacy if p.level == SELF_ONLY
    )
    assert only_me.why_not is Why.BRANDED_NOT_PRIVATE


def test_inbox_mode_hides_what_tiktok_ignores() -> None:
    inbox = switch_mode(VIDEO, PostMode.INBOX)
    view = compose(PUBLIC, inbox, audited=True)
    assert view.privacy == () and view.interactions == ()
    assert view.aigc is None and view.disclose is None
    assert not view.show_caption
    assert view.can_post  # no privacy needed for a draft
    assert choose_privacy(PUBLIC, inbox, SELF_ONLY, audited=True) == Refused(Why.NOT_IN_INBOX)
    photo_inbox = compose(PUBLIC, switch_mode(PHOTOS, PostMode.INBOX), audited=True)
    assert photo_inbox.show_caption and photo_inbox.show_photo_text


def test_video_longer_than_the_creator_may_post_is_blocked() -> None:
    chosen = ok(choose_privacy(PUBLIC, VIDEO, SELF_ONLY, audited=True))
    assert compose(PUBLIC, chosen, audited=True, video_duration=60).can_post
    long = compose(PUBLIC, chosen, audited=True, video_duration=61)
    assert long.blockers == (Blocker.VIDEO_TOO_LONG,)


@pytest.mark.parametrize(
    ("composition", "fits"),
    [
        (replace(VIDEO, title="a" * 2200), True),
        (replace(VIDEO, title="a" * 2201), False),
        (replace(VIDEO, title="😀" * 1100), True),
        (replace(VIDEO, title="😀" * 1101), False),
        (replace(PHOTOS, title="😀" * 45), True),
        (replace(PHOTOS, title="😀" * 46), False),
        (replace(PHOTOS, description="b" * 4001), False),
    ],
)
def test_text_limits_count_utf16_units(composition: PostChoices, fits: bool) -> None:
    chosen = ok(choose_privacy(PUBLIC, composition, SELF_ONLY, audited=True))
    assert (Blocker.TEXT_TOO_LONG not in compose(PUBLIC, chosen, audited=True).blockers) is fits


def test_unaudited_app_offers_only_me_and_needs_a_private_account() -> None:
    view = compose(PUBLIC, VIDEO, audited=False)
    assert view.unaudited_notice
    assert Blocker.ACCOUNT_MUST_BE_PRIVATE in view.blockers
    allowed = [p.level for p in view.privacy if p.allowed]
    assert allowed == [SELF_ONLY]
    assert choose_privacy(PRIVATE, VIDEO, "FOLLOWER_OF_CREATOR", audited=False) == Refused(
        Why.UNAUDITED_ONLY_ME
    )
    only_me = ok(choose_privacy(PRIVATE, VIDEO, SELF_ONLY, audited=False))
    assert compose(PRIVATE, only_me, audited=False).can_post


def test_cover_cycles_through_photos_only() -> None:
    assert next_cover(PHOTOS, 3).cover_index == 1
    assert next_cover(next_cover(next_cover(PHOTOS, 3), 3), 3).cover_index == 0
    assert next_cover(VIDEO, 3) == VIDEO


def test_video_cover_is_a_frame_within_the_video() -> None:
    from bot.publishing.composer import choose_video_cover

    video = PostChoices(kind=MediaKind.VIDEO)
    chosen = choose_video_cover(video, 7_500, 10)
    assert isinstance(chosen, PostChoices) and chosen.cover_timestamp_ms == 7_500
    back = choose_video_cover(chosen, None, 10)
    assert isinstance(back, PostChoices) and back.cover_timestamp_ms is None
    assert isinstance(choose_video_cover(video, 10_001, 10), Refused)
    assert isinstance(choose_video_cover(video, -1, 10), Refused)
    assert isinstance(choose_video_cover(PostChoices(kind=MediaKind.PHOTO), 0, None), Refused)
