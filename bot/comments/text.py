"""What a comment may say, and how /comment's arguments are read. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.publishing.text_limits import utf16_len

# TikTok counts comment length in UTF-16 code units (an emoji is usually two).
COMMENT_LIMIT = 150
_REPLY = re.compile(r"^reply[:=](\d{1,32})$", re.IGNORECASE)
_COMMAND = re.compile(r"\s*/\S+(.*)\Z", re.DOTALL)  # "/comment" or "/comment@bot"
_WORD = re.compile(r"\s*(\S+)\s*(.*)\Z", re.DOTALL)


class TextProblem(StrEnum):
    """Why a comment text cannot be sent."""

    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class TextRefused:
    """The text and what is wrong with it (`length` in UTF-16 units)."""

    problem: TextProblem
    length: int
    limit: int = COMMENT_LIMIT


def clean_comment(text: str) -> str | TextRefused:
    """The text to send (trimmed), or why it cannot be sent."""
    cleaned = text.strip()
    if not cleaned:
        return TextRefused(TextProblem.EMPTY, 0)
    length = utf16_len(cleaned)
    if length > COMMENT_LIMIT:
        return TextRefused(TextProblem.TOO_LONG, length)
    return cleaned


@dataclass(frozen=True, slots=True)
class CommentCommand:
    """`/comment [<video>] [reply:<comment id>] [<text>]`, split; text keeps its line breaks."""

    reference: str | None
    reply_to: str | None
    text: str


def parse_comment_command(message_text: str) -> CommentCommand:
    """Split a /comment message into the video reference, the reply target and the text."""
    match = _COMMAND.match(message_text)
    rest = match.group(1) if match else message_text
    reference, text = _first_word(rest)
    if not reference:
        return CommentCommand(None, None, "")
    reply_to = None
    word, after = _first_word(text)
    reply = _REPLY.match(word)
    if reply:
        reply_to, text = reply.group(1), after
    return CommentCommand(reference, reply_to, text.strip())


def _first_word(text: str) -> tuple[str, str]:
    """The first word and the rest exactly as typed (line breaks kept)."""
    match = _WORD.match(text)
    if not match:
        return "", ""
    return match.group(1), match.group(2)
