"""The video-list provider's raw JSON, normalised as its documentation describes."""

from __future__ import annotations

import time

import pytest

from bot.creators.normalise import (
    MalformedVideo,
    hashtags_of,
    normalise_video,
    normalise_video_page,
    publish_time,
)
from emulators.creators import raw_video, seeded_world

# The documentation's first sample video, raw, as the provider sends it.
RAW = {
    "aweme_id": "7528963259874125698",
    "desc": "Summer daily outfit✨ #fashion #ootd #summerlook",
    "create_time": 1750212365,
    "is_private": False,
    "author": {
        "uid": "6952369874521",
        "unique_id": "lily_fashion_us",
        "nickname": "Lily Fashion",
        "avatar": "https://p3.tiktokcdn.com/tos-maliva-avt/xxx.jpg",
        "signature": "Daily fashion sharing | US blogger",
        "is_verified": True,
    },
    "video": {
        "duration": 12800,
        "width": 1080,
        "height": 1920,
        "cover": {"url_list": ["https://p3.tiktokcdn.com/tos-maliva-video/cover1.jpg", "b"]},
        "play_addr": {"url_list": ["https://v16-web.tiktok.com/xxx.mp4", "b"]},
    },
    "music": {
        "music_id": "7489562135987",
        "title": "Sunny Day Vibe",
        "author": "DJ Mark",
        "cover": "https://p3.tiktokcdn.com/tos-maliva-music/msc.jpg",
    },
    "statistics": {
        "digg_count": 12589,
        "comment_count": 892,
        "share_count": 326,
        "collect_count": 1563,
        "play_count": 215689,
    },
    "text_extra": [
        {"hashtag_name": "fashion", "hashtag_id": "523698"},
        {"hashtag_name": "ootd", "hashtag_id": "256987"},
    ],
}

# The documentation's standard model of that video, with our two readings:
# hashtags from text_extra only (its sample also lists #summerlook from the
# description, which its own code would not), and the time in UTC.
STANDARD = {
    "aweme_id": "7528963259874125698",
    "video_desc": "Summer daily outfit✨ #fashion #ootd #summerlook",
    "publish_ts": 1750212365,
    "publish_time": "2025-06-18 02:06:05",
    "is_private": False,
    "author_info": RAW["author"],
    "video_resource": {
        "duration_ms": 12800,
        "duration_sec": 12.8,
        "width": 1080,
        "height": 1920,
        "cover_img": "https://p3.tiktokcdn.com/tos-maliva-video/cover1.jpg",
        "play_url": "https://v16-web.tiktok.com/xxx.mp4",
    },
    "music_info": {
        "music_id": "7489562135987",
        "music_name": "Sunny Day Vibe",
        "music_author": "DJ Mark",
        "music_cover": "https://p3.tiktokcdn.com/tos-maliva-music/msc.jpg",
    },
    "stats": {"play": 215689, "like": 12589, "comment": 892, "share": 326, "collect": 1563},
    "hashtags": ["fashion", "ootd"],
}


def test_the_documented_sample_becomes_the_documented_standard_model() -> None:
    assert normalise_video(RAW).as_standard() == STANDARD


def test_a_page_carries_the_cursor_and_has_more() -> None:
    page = normalise_video_page(
        {"has_more": True, "max_cursor": "1750236985000", "min_cursor": "0", "aweme_list": [RAW]}
    )
    assert page.as_standard() == {
        "next_cursor": "1750236985000",
        "has_more": True,
        "video_list": [STANDARD],
    }
    empty = normalise_video_page({})
    assert empty.as_standard() == {"next_cursor": "", "has_more": False, "video_list": []}


def test_no_music_and_no_hashtags_are_empty_values_not_missing_keys() -> None:
    bare = {k: v for k, v in RAW.items() if k not in {"music", "text_extra"}}
    standard = normalise_video(bare).as_standard()
    assert standard["music_info"] == {}
    assert standard["hashtags"] == []
    values: tuple[object, ...] = (None, [], "x")
    for value in values:
        assert normalise_video({**RAW, "music": None, "text_extra": value}).hashtags == ()


def test_first_url_durations_and_odd_entries() -> None:
    odd = {
        **RAW,
        "video": {"duration": 9650, "cover": {"url_list": []}, "play_addr": {}},
        "text_extra": [{"user_id": "123"}, {"hashtag_name": "ootd"}, {"hashtag_name": "ootd"}],
    }
    video = normalise_video(odd)
    assert video.video_resource.duration_sec == 9.7
    assert video.video_resource.cover_img == "" and video.video_resource.play_url == ""
    assert video.hashtags == ("ootd",)  # mentions skipped, duplicates once
    assert hashtags_of([{"hashtag_name": " trip "}]) == ("trip",)


def test_a_video_without_an_id_is_malformed() -> None:
    with pytest.raises(MalformedVideo):
        normalise_video({"desc": "x", "create_time": 1})
    with pytest.raises(MalformedVideo):
        normalise_video({"aweme_id": "1"})


def test_publish_time_is_utc() -> None:
    assert publish_time(0) == "1970-01-01 00:00:00"


def test_every_emulated_video_normalises_to_its_own_numbers() -> None:
    world = seeded_world(time.time())
    for creator in world.creators.values():
        for seeded in creator.public_videos():
            video = normalise_video(raw_video(creator, seeded))
            assert video.stats.play == seeded.play_count
            assert video.stats.collect == seeded.collect_count
            assert video.hashtags == tuple(seeded.hashtags)
            assert video.music_info.empty == (seeded.music is None)
            assert video.author_info.unique_id == creator.unique_id
            assert video.video_resource.duration_sec == round(seeded.duration_ms / 1000, 1)
