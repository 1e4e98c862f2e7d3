"""Comment text rules (UTF-16 units, like TikTok) and /comment's arguments."""

from __future__ import annotations

import pytest

from bot.comments import (
    COMMENT_LIMIT,
    CommentCommand,
    TextProblem,
    TextRefused,
    clean_comment,
    parse_comment_command,
)
from bot.publishing.text_limits import utf16_len


def test_utf16_length_counts_like_tiktok() -> None:
    assert utf16_len("hello") == 5
    assert utf16_len("é") == 1  # one code point in the BMP
    assert utf16_len("日本") == 2
    assert utf16_len("🔥") == 2  # outside the BMP: a surrogate pair
    assert utf16_len("👍🏽") == 4  # emoji + skin tone modifier
    assert utf16_len("👨‍👩‍👧") == 8  # three emoji joined by two ZWJ


def test_limit_is_150_units() -> None:
    assert COMMENT_LIMIT == 150
    assert clean_comment("a" * 150) == "a" * 150
    assert clean_comment("a" * 151) == TextRefused(TextProblem.TOO_LONG, 151)
    # 75 emoji look like 75 characters but are 150 units: allowed; one more is not.
    assert clean_comment("🔥" * 75) == "🔥" * 75
    assert clean_comment("🔥" * 76) == TextRefused(TextProblem.TOO_LONG, 152)
    assert clean_comment("a" * 149 + "🔥") == TextRefused(TextProblem.TOO_LONG, 151)


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "\u3000"])
def test_empty_or_blank_is_refused(text: str) -> None:
    assert clean_comment(text) == TextRefused(TextProblem.EMPTY, 0)


def test_text_is_trimmed_before_counting() -> None:
    assert clean_comment("  " + "a" * 150 + "\n ") == "a" * 150
    assert clean_comment(" line one\nline two ") == "line one\nline two"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/comment", CommentCommand(None, None, "")),
        ("/comment   ", CommentCommand(None, None, "")),
        ("/comment 7301234567890123456", CommentCommand("7301234567890123456", None, "")),
        (
            "/comment@tiktok_bot https://vm.tiktok.com/ZMabc/ Great  video!\nSecond line",
            CommentCommand("https://vm.tiktok.com/ZMabc/", None, "Great  video!\nSecond line"),
        ),
        (
            "/comment 7301234567890123456 reply:7301234567890000001 Thanks!",
            CommentCommand("7301234567890123456", "7301234567890000001", "Thanks!"),
        ),
        (
            "/comment 7301234567890123456 REPLY=7301234567890000001",
            CommentCommand("7301234567890123456", "7301234567890000001", ""),
        ),
        (
            "/comment\n7301234567890123456\nhi",
            CommentCommand("7301234567890123456", None, "hi"),
        ),
        # "reply:" without digits is just text.
        (
            "/comment 7301234567890123456 reply: me",
            CommentCommand("7301234567890123456", None, "reply: me"),
        ),
    ],
)
def test_parse_comment_command(message: str, expected: CommentCommand) -> None:
    assert parse_comment_command(message) == expected
