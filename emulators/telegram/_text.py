"""Message text and captions as Telegram checks them: parse, trim, measure in UTF-16.

Telegram applies ``parse_mode`` (or explicit ``entities``) first, trims
surrounding whitespace, and only then checks the limits, counting UTF-16 code
units: a text of 4096 emoji is too long, 4096 plain letters are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._errors import (
    CAPTION_TOO_LONG,
    ENTITIES_JSON,
    MESSAGE_TEXT_EMPTY,
    MESSAGE_TOO_LONG,
    UNSUPPORTED_PARSE_MODE,
    bad_request,
)
from ._html import HtmlError, parse_html

MAX_TEXT_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
_ENTITY_TYPES = frozenset(
    {
        "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number",
        "bold", "italic", "underline", "strikethrough", "spoiler", "blockquote",
        "expandable_blockquote", "code", "pre", "text_link", "text_mention", "custom_emoji",
    }
)  # fmt: skip


@dataclass(frozen=True)
class FormattedText:
    """Plain text as the user sees it, with its Bot API entities."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def message_text(
    text: str | None,
    parse_mode: str | None,
    entities: Any,
    *,
    strict_ampersand: bool,
) -> FormattedText:
    """Format a message text and enforce 1..4096 UTF-16 units after parsing."""
    formatted = format_text(text or "", parse_mode, entities, strict_ampersand=strict_ampersand)
    if not formatted.text:
        raise bad_request(MESSAGE_TEXT_EMPTY)
    if utf16_len(formatted.text) > MAX_TEXT_UTF16:
        raise bad_request(MESSAGE_TOO_LONG)
    return formatted


def caption_text(
    caption: str | None,
    parse_mode: str | None,
    entities: Any,
    *,
    strict_ampersand: bool,
) -> FormattedText | None:
    """Format a caption and enforce at most 1024 UTF-16 units; None when it is empty."""
    if caption is None:
        return None
    formatted = format_text(caption, parse_mode, entities, strict_ampersand=strict_ampersand)
    if utf16_len(formatted.text) > MAX_CAPTION_UTF16:
        raise bad_request(CAPTION_TOO_LONG)
    return formatted if formatted.text else None


def format_text(
    text: str,
    parse_mode: str | None,
    entities: Any,
    *,
    strict_ampersand: bool = True,
) -> FormattedText:
    """Apply explicit ``entities`` (which win) or ``parse_mode``, then trim whitespace."""
    if entities is not None:
        return _trim(text, _checked_entities(entities, text))
    mode = (parse_mode or "").lower()
    if mode == "":
        return _trim(text, [])
    if mode == "html":
        try:
            plain, parsed = parse_html(text, strict_ampersand=strict_ampersand)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
        return _trim(plain, parsed)
    if mode in {"markdown", "markdownv2"}:
        raise bad_request(
            f"can't parse entities: parse_mode {parse_mode} is not implemented by the fake "
            "Telegram server; the project uses HTML"
        )
    raise bad_request(UNSUPPORTED_PARSE_MODE)


def _checked_entities(entities: Any, text: str) -> list[dict[str, Any]]:
    if not isinstance(entities, list):
        raise bad_request(ENTITIES_JSON)
    size = utf16_len(text)
    checked: list[dict[str, Any]] = []
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("type") not in _ENTITY_TYPES:
            raise bad_request(ENTITIES_JSON)
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request(ENTITIES_JSON)
        if offset < 0 or length <= 0 or offset + length > size:
            continue  # Telegram silently drops entities outside the text
        checked.append(dict(entity))
    return sorted(checked, key=lambda e: (e["offset"], -e["length"]))


def _trim(text: str, entities: list[dict[str, Any]]) -> FormattedText:
    """Strip surrounding whitespace and shift/clip entities like Telegram does."""
    stripped = text.strip()
    if stripped == text:
        return FormattedText(text, entities)
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, kept)
