"""``reply_markup`` validation: the inline keyboard rules Telegram enforces."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ._errors import (
    BUTTON_DATA_INVALID,
    BUTTON_TEXT_INVALID,
    BUTTON_URL_INVALID,
    MARKUP_JSON,
    REPLY_MARKUP_TOO_LONG,
    TEXT_BUTTONS_UNALLOWED,
    bad_request,
)
from ._models import Button

MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_STRING_ACTIONS = frozenset(
    {"url", "callback_data", "switch_inline_query", "switch_inline_query_current_chat"}
)
_URL_SCHEMES = frozenset({"http", "https", "tg"})


@dataclass(frozen=True)
class Markup:
    """A validated reply markup: the normalized JSON and, for inline keyboards, its buttons."""

    raw: dict[str, Any]
    buttons: list[list[Button]] = field(default_factory=list)

    @property
    def inline(self) -> bool:
        """Whether this is an inline keyboard (the only markup a message keeps)."""
        return "inline_keyboard" in self.raw


def parse_reply_markup(value: Any) -> Markup | None:
    """Validate a ``reply_markup`` parameter (JSON string or object); None when absent/empty."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise bad_request(MARKUP_JSON) from None
    if not isinstance(value, dict):
        raise bad_request(MARKUP_JSON)
    if "inline_keyboard" in value:
        return _inline_keyboard(value["inline_keyboard"])
    if "keyboard" in value or "remove_keyboard" in value or "force_reply" in value:
        return Markup(raw=dict(value))
    raise bad_request(MARKUP_JSON)


def _inline_keyboard(rows: Any) -> Markup | None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    buttons = [[_button(raw) for raw in row] for row in rows if row]
    if sum(len(row) for row in buttons) > MAX_BUTTONS:
        raise bad_request(REPLY_MARKUP_TOO_LONG)
    if not buttons:
        return None
    raw = {"inline_keyboard": [[button.raw for button in row] for row in buttons]}
    return Markup(raw=raw, buttons=buttons)


def _button(raw: Any) -> Button:
    if not isinstance(raw, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    text = raw.get("text")
    if not isinstance(text, str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not text.strip():
        raise bad_request(BUTTON_TEXT_INVALID)
    actions = [name for name in _ACTIONS if name in raw]
    if not actions:
        raise bad_request(TEXT_BUTTONS_UNALLOWED)
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be "
            f"used, got {', '.join(actions)}"
        )
    action = actions[0]
    value = raw[action]
    if action in _STRING_ACTIONS and not isinstance(value, str):
        raise bad_request(
            f'can\'t parse inline keyboard button: Field "{action}" must be of type String'
        )
    if action == "callback_data" and not 1 <= len(value.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request(BUTTON_DATA_INVALID)
    if action == "url" and not _valid_url(value):
        raise bad_request(BUTTON_URL_INVALID)
    normalized = {"text": text, action: value}
    return Button(
        text=text,
        callback_data=value if action == "callback_data" else None,
        url=value if action == "url" else None,
        raw=normalized,
    )


def _valid_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in _URL_SCHEMES and bool(parts.netloc) and " " not in url
