"""Human-readable dialogue lines: what the demo mode prints and timeouts show."""

from __future__ import annotations

from typing import Any

from ._models import BotMessage, Button, CallbackAnswer

_INDENT = "    "


def human_size(size: int) -> str:
    """Format a byte count as ``1.5 MB``."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # unreachable, keeps mypy happy


def _indent_lines(head: str, body: str) -> list[str]:
    first, *rest = body.split("\n") if body else [""]
    return [f"{head}{first}", *(f"{_INDENT}{line}" for line in rest)]


def _user_media(message: dict[str, Any]) -> str | None:
    if "photo" in message:
        full = message["photo"][-1]
        return f"[photo {full['width']}x{full['height']}]"
    if "video" in message:
        video = message["video"]
        size = human_size(video.get("file_size", 0))
        name = video.get("file_name", "video")
        return f"[video {name}, {video['duration']} s, {video['width']}x{video['height']}, {size}]"
    if "document" in message:
        document = message["document"]
        size = human_size(document.get("file_size", 0))
        return f"[document {document.get('file_name', 'file')}, {size}]"
    return None


def user_message_lines(name: str, message: dict[str, Any]) -> list[str]:
    """Lines for a message a user sent."""
    media = _user_media(message)
    text = message.get("text") or message.get("caption") or ""
    body = f"{media} {text}".rstrip() if media else text
    return _indent_lines(f"{name}: ", body)


def _button_label(button: Button) -> str:
    return f"[{button.text} -> {button.url}]" if button.url else f"[{button.text}]"


def bot_message_lines(msg: BotMessage, *, note: str = "") -> list[str]:
    """Lines for a message the bot sent or edited (``note`` e.g. "edited")."""
    head = f"bot #{msg.message_id}{f' ({note})' if note else ''}: "
    if msg.media is not None:
        size = human_size(msg.media.file_size)
        name = f" {msg.media.file_name}" if msg.media.file_name else ""
        media = f"[{msg.kind}{name}, {size}]"
        body = f"{media} {msg.plain_caption or ''}".rstrip()
    else:
        body = msg.plain_text or ""
    lines = _indent_lines(head, body)
    for row in msg.buttons:
        lines.append(_INDENT + " ".join(_button_label(button) for button in row))
    return lines


def tap_line(name: str, message_id: int, button: Button | None, data: str) -> str:
    """Line for a user tapping an inline button (or forging callback data)."""
    if button is None:
        return f"{name} sends callback data {data!r} for #{message_id}"
    return f"{name} taps [{button.text}] on #{message_id}"


def answer_line(answer: CallbackAnswer) -> str:
    """Line for the bot's answerCallbackQuery."""
    if not answer.text:
        return "bot answers the tap (no text)"
    return f"bot answers: {answer.text}{' (alert)' if answer.show_alert else ''}"


# -- the story: the same dialogue as a person reads it (the demo prints this) ----------
# No message ids, no URLs behind buttons, no silent tap acknowledgements.


def _story_button(button: Button) -> str:
    return f"[ {button.text} ↗ ]" if button.url else f"[ {button.text} ]"


def _story_body(head: str, body: str) -> list[str]:
    return _indent_lines(head, body)


def story_user_lines(name: str, message: dict[str, Any]) -> list[str]:
    """What a person sees they sent."""
    return ["", *user_message_lines(name, message)]


def story_bot_lines(msg: BotMessage, *, edited: bool = False) -> list[str]:
    """A bot message (or its new version) with its buttons as they look on screen."""
    if msg.media is not None:
        media = f"[{msg.kind}]"
        body = f"{media} {msg.plain_caption or ''}".rstrip()
    else:
        body = msg.plain_text or ""
    head = "bot (updates its message): " if edited else "bot: "
    lines = _story_body(head, body)
    for row in msg.buttons:
        lines.append(_INDENT + " ".join(_story_button(button) for button in row))
    return lines


def story_tap_line(name: str, button: Button | None) -> str:
    """A person tapping a button."""
    return f"{name} taps {_story_button(button)}" if button is not None else f"{name} taps"


def story_answer_lines(answer: CallbackAnswer) -> list[str]:
    """A tap's answer: only a visible one (a toast or an alert) is worth a line."""
    if not answer.text:
        return []
    return [f"bot ({'alert' if answer.show_alert else 'note'}): {answer.text}"]
