"""Hashtags in any script, and which ones bring views."""

from __future__ import annotations

import pytest

from bot.insights import extract_hashtags, top_hashtags
from bot.tiktok import Video


def video(title: str, views: int, description: str = "") -> Video:
    return Video(
        id="7300000000000000000",
        create_time=0,
        title=title,
        description=description,
        share_url=None,
        cover_image_url=None,
        duration=10,
        like_count=0,
        comment_count=0,
        share_count=0,
        view_count=views,
    )


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Morning routine #morning #routine", ["morning", "routine"]),
        ("#fyp#viral", ["fyp", "viral"]),  # glued tags are still two tags
        ("Café vibes #café #CAFÉ #Café", ["café"]),  # one tag, first spelling kept
        ("#日本 #東京2024 旅行", ["日本", "東京2024"]),
        ("नमस्ते #हिंदी #भारत", ["हिंदी", "भारत"]),  # combining vowel signs stay in the tag
        ("#مرحبا بالعالم", ["مرحبا"]),
        ("full-width ＃ラーメン", ["ラーメン"]),
        ("snake #day_1 and #under_score_", ["day_1", "under_score_"]),
        ("I code in C# and F#", []),
        ("rank #1 of #2024", []),  # numbers alone are not tags
        ("email me@x.com#nope, html &#39; ok", []),
        ("trailing #", []),
        ("emoji #🔥 stays out, #fire🔥 ends at the emoji", ["fire"]),
        ("punctuation #wow! #yes, #end.", ["wow", "yes", "end"]),
    ],
)
def test_extract_hashtags(text: str, tags: list[str]) -> None:
    assert extract_hashtags(text) == tags


def test_title_and_description_count_once_per_video() -> None:
    stats = top_hashtags([video("Pasta #Cooking", 900, description="#cooking #recipe")])
    assert [(s.tag, s.videos, s.total_views) for s in stats] == [
        ("Cooking", 1, 900),
        ("recipe", 1, 900),
    ]


def test_ranked_by_average_views_then_by_use() -> None:
    videos = [
        video("#food #travel", 1_000),
        video("#food", 3_000),
        video("#travel #night", 500),
        video("#rare", 2_000),
        video("#Food #tie", 2_000),
        video("no tags at all", 99_999),
    ]
    stats = top_hashtags(videos, limit=10)
    assert [(s.tag, s.videos, s.average_views) for s in stats] == [
        ("food", 3, 2_000),  # (1000 + 3000 + 2000) / 3, used more than #rare and #tie
        ("rare", 1, 2_000),
        ("tie", 1, 2_000),
        ("travel", 2, 750),
        ("night", 1, 500),
    ]
    assert len(top_hashtags(videos, limit=2)) == 2
    assert top_hashtags([]) == []
