"""PostChoices -> TikTok's post_info, with limits counted in UTF-16 units."""

from __future__ import annotations

import pytest

from bot.publishing.choices import PostChoices, PostMode, PrivacyLevel
from bot.publishing.post_info import (
    PostInfoInvalid,
    photo_post_info,
    photo_post_mode,
    photo_source_info,
    video_post_info,
)
from bot.publishing.text_limits import utf16_len


def direct(**values: object) -> PostChoices:
    base: dict[str, object] = {
        "mode": PostMode.DIRECT,
        "privacy_level": PrivacyLevel.MUTUAL_FOLLOW_FRIENDS,
        "disclose": True,
    }
    base.update(values)
    return PostChoices(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("", 0),
        ("abc", 3),
        ("héllo", 5),  # BMP letters are one unit
        ("👍", 2),  # outside the BMP: a surrogate pair
        ("👍🏽", 4),  # emoji + skin tone modifier
        ("👨‍👩‍👧", 8),  # a family: three emoji (2 each) joined by two ZWJs
        ("日本語", 3),
        ("𝕏", 2),
    ],
)
def test_utf16_len(text: str, units: int) -> None:
    assert utf16_len(text) == units


def test_video_post_info_maps_every_setting() -> None:
    settings = direct(
        title="Hi #fyp @friend",
        allow_comment=True,
        allow_duet=False,
        allow_stitch=True,
        is_aigc=True,
        brand_organic=True,
        brand_content=True,
    )
    assert video_post_info(settings) == {
        "title": "Hi #fyp @friend",
        "privacy_level": "MUTUAL_FOLLOW_FRIENDS",
        "disable_comment": False,
        "disable_duet": True,
        "disable_stitch": False,
        "brand_content_toggle": True,
        "brand_organic_toggle": True,
        "is_aigc": True,
    }


def test_brand_content_toggle_is_sent_even_when_off() -> None:
    info = video_post_info(direct())
    assert info is not None and info["brand_content_toggle"] is False
    assert photo_post_info(direct())["brand_content_toggle"] is False


def test_inbox_video_has_no_post_info() -> None:
    assert video_post_info(PostChoices(mode=PostMode.INBOX, title="ignored")) is None


def test_video_caption_limit_counts_utf16_units() -> None:
    assert video_post_info(direct(title="a" * 2200)) is not None
    assert video_post_info(direct(title="👍" * 1100)) is not None
    with pytest.raises(PostInfoInvalid) as refused:
        video_post_info(direct(title="👍" * 1100 + "a"))  # 1101 characters, 2201 units
    assert refused.value.code == "title_too_long"


def test_photo_limits() -> None:
    photo_post_info(direct(title="t" * 90, description="d" * 4000))
    with pytest.raises(PostInfoInvalid) as title:
        photo_post_info(direct(title="👍" * 45 + "x"))
    assert title.value.code == "photo_title_too_long"
    with pytest.raises(PostInfoInvalid) as description:
        photo_post_info(direct(description="d" * 4001))
    assert description.value.code == "description_too_long"


def test_direct_post_needs_a_known_privacy() -> None:
    with pytest.raises(PostInfoInvalid) as missing:
        video_post_info(PostChoices(mode=PostMode.DIRECT))
    assert missing.value.code == "privacy_missing"
    with pytest.raises(PostInfoInvalid) as unknown:
        video_post_info(direct(privacy_level="EVERYBODY"))
    assert unknown.value.code == "privacy_unknown"


def test_branded_content_cannot_be_self_only() -> None:
    with pytest.raises(PostInfoInvalid) as refused:
        photo_post_info(direct(privacy_level="SELF_ONLY", brand_content=True))
    assert refused.value.code == "branded_self_only"
    # "Your brand" alone may be private.
    assert video_post_info(direct(privacy_level="SELF_ONLY", brand_organic=True)) is not None


def test_photo_post_info_direct_and_inbox() -> None:
    settings = direct(title="T", description="D", allow_comment=True, auto_add_music=False)
    assert photo_post_info(settings) == {
        "title": "T",
        "description": "D",
        "auto_add_music": False,
        "brand_content_toggle": False,
        "brand_organic_toggle": False,
        "privacy_level": "MUTUAL_FOLLOW_FRIENDS",
        "disable_comment": False,
    }
    assert photo_post_mode(settings) == "DIRECT_POST"
    inbox = PostChoices(mode=PostMode.INBOX, title="T", description="D")
    info = photo_post_info(inbox)
    assert "privacy_level" not in info and "disable_comment" not in info
    assert photo_post_mode(inbox) == "MEDIA_UPLOAD"


def test_photo_source_info_clamps_the_cover() -> None:
    urls = ["https://x/media/t/0.jpg", "https://x/media/t/1.jpg"]
    assert photo_source_info(urls, 1) == {
        "source": "PULL_FROM_URL",
        "photo_images": urls,
        "photo_cover_index": 1,
    }
    assert photo_source_info(urls, 7)["photo_cover_index"] == 1
    assert photo_source_info(urls, -1)["photo_cover_index"] == 0
