"""Text messages and their life: send, edit, delete, callback answers, chat actions."""

from __future__ import annotations

import time
from typing import Any

from ._api_setup import Handler
from ._errors import (
    ANSWER_TEXT_TOO_LONG,
    ENTITIES_JSON,
    MESSAGE_CANT_BE_EDITED,
    MESSAGE_TO_DELETE_NOT_FOUND,
    MESSAGE_TO_EDIT_NOT_FOUND,
    MESSAGE_TO_REPLY_NOT_FOUND,
    NO_CAPTION_TO_EDIT,
    NO_TEXT_TO_EDIT,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    WRONG_CHAT_ACTION,
    bad_request,
)
from ._markup import Markup, parse_reply_markup
from ._models import BotMessage, CallbackAnswer
from ._params import Params
from ._text import caption_text, message_text
from ._world import ChatState, World

MAX_ANSWER_TEXT = 200
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip


def reply_target(chat: ChatState, p: Params) -> int | None:
    """The message id a send replies to (reply_parameters or reply_to_message_id)."""
    params = p.get_json("reply_parameters", "can't parse ReplyParameters JSON object")
    if isinstance(params, dict):
        target, lenient = params.get("message_id"), bool(params.get("allow_sending_without_reply"))
    else:
        target = p.get_int("reply_to_message_id")
        lenient = p.get_bool("allow_sending_without_reply")
    if target is None:
        return None
    if not isinstance(target, int) or not chat.has_message(target):
        if lenient:
            return None
        raise bad_request(MESSAGE_TO_REPLY_NOT_FOUND)
    return target


def markup_fields(markup: Markup | None) -> dict[str, Any]:
    """BotMessage fields for a validated reply markup (only inline keyboards stay on a message)."""
    if markup is None or not markup.inline:
        return {"reply_markup": None, "buttons": []}
    return {"reply_markup": markup.raw, "buttons": markup.buttons}


def _preview_disabled(p: Params) -> bool:
    options = p.get_json("link_preview_options", "can't parse link preview options JSON object")
    if isinstance(options, dict):
        return bool(options.get("is_disabled"))
    return p.get_bool("disable_web_page_preview")


async def send_message(world: World, p: Params) -> dict[str, Any]:
    """sendMessage: 1..4096 UTF-16 units after parsing, validated markup."""
    chat = world.chat_for(p.get("chat_id"))
    source = p.get_str("text")
    parse_mode = p.get_str("parse_mode")
    formatted = message_text(
        source,
        parse_mode,
        p.get_json("entities", ENTITIES_JSON),
        strict_ampersand=world.strict_html_escaping,
    )
    markup = parse_reply_markup(p.get("reply_markup"))
    reply_to = reply_target(chat, p)
    world.check_flood(chat)
    msg = BotMessage(
        message_id=chat.allocate_ids()[0],
        chat_id=chat.id,
        kind="text",
        date=int(time.time()),
        text=source,
        plain_text=formatted.text,
        entities=formatted.entities,
        parse_mode=parse_mode,
        link_preview_disabled=_preview_disabled(p),
        reply_to_message_id=reply_to,
        **markup_fields(markup),
    )
    return world.post_bot_message(chat, msg)


def _editable(world: World, p: Params) -> tuple[ChatState, BotMessage]:
    if p.has("inline_message_id"):
        raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)  # the fake has no inline messages
    chat = world.chat_for(p.get("chat_id"))
    message_id = p.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    msg = chat.bot_messages.get(message_id)
    if msg is None and chat.has_message(message_id):
        raise bad_request(MESSAGE_CANT_BE_EDITED)
    if msg is None or msg.deleted:
        raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
    return chat, msg


def _edit_markup(p: Params) -> Markup | None:
    markup = parse_reply_markup(p.get("reply_markup"))
    if markup is not None and not markup.inline:
        raise bad_request("inline keyboard expected")  # fake wording
    return markup


async def edit_message_text(world: World, p: Params) -> dict[str, Any]:
    """editMessageText: new text and markup (no reply_markup removes the keyboard)."""
    chat, msg = _editable(world, p)
    if msg.media is not None:
        raise bad_request(NO_TEXT_TO_EDIT)
    source = p.get_str("text")
    formatted = message_text(
        source,
        p.get_str("parse_mode"),
        p.get_json("entities", ENTITIES_JSON),
        strict_ampersand=world.strict_html_escaping,
    )
    fields = markup_fields(_edit_markup(p))
    if (formatted.text, formatted.entities, fields["reply_markup"]) == (
        msg.plain_text,
        msg.entities,
        msg.reply_markup,
    ):
        raise bad_request(NOT_MODIFIED)
    world.check_flood(chat)
    previous = msg.snapshot()
    msg.text, msg.plain_text, msg.entities = source, formatted.text, formatted.entities
    msg.parse_mode = p.get_str("parse_mode")
    msg.link_preview_disabled = _preview_disabled(p)
    msg.reply_markup, msg.buttons = fields["reply_markup"], fields["buttons"]
    return world.record_edit(chat, msg, previous)


async def edit_message_caption(world: World, p: Params) -> dict[str, Any]:
    """editMessageCaption: new caption (absent removes it) and markup."""
    chat, msg = _editable(world, p)
    if msg.media is None:
        raise bad_request(NO_CAPTION_TO_EDIT)
    source = p.get_str("caption")
    formatted = caption_text(
        source,
        p.get_str("parse_mode"),
        p.get_json("caption_entities", ENTITIES_JSON),
        strict_ampersand=world.strict_html_escaping,
    )
    plain = formatted.text if formatted else None
    entities = formatted.entities if formatted else []
    fields = markup_fields(_edit_markup(p))
    current = (msg.plain_caption, msg.entities, msg.reply_markup)
    if (plain, entities, fields["reply_markup"]) == current:
        raise bad_request(NOT_MODIFIED)
    world.check_flood(chat)
    previous = msg.snapshot()
    msg.caption = source if formatted else None
    msg.plain_caption, msg.entities = plain, entities
    msg.parse_mode = p.get_str("parse_mode")
    msg.reply_markup, msg.buttons = fields["reply_markup"], fields["buttons"]
    return world.record_edit(chat, msg, previous)


async def edit_message_reply_markup(world: World, p: Params) -> dict[str, Any]:
    """editMessageReplyMarkup: replace (or, when absent, remove) the inline keyboard."""
    chat, msg = _editable(world, p)
    fields = markup_fields(_edit_markup(p))
    if fields["reply_markup"] == msg.reply_markup:
        raise bad_request(NOT_MODIFIED)
    world.check_flood(chat)
    previous = msg.snapshot()
    msg.reply_markup, msg.buttons = fields["reply_markup"], fields["buttons"]
    return world.record_edit(chat, msg, previous)


async def delete_message(world: World, p: Params) -> bool:
    """deleteMessage: any existing message in the chat, once."""
    chat = world.chat_for(p.get("chat_id"))
    message_id = p.get_int("message_id")
    if message_id is None or not chat.has_message(message_id):
        raise bad_request(MESSAGE_TO_DELETE_NOT_FOUND)
    world.record_delete(chat, message_id)
    return True


async def answer_callback_query(world: World, p: Params) -> bool:
    """answerCallbackQuery: once per query, in time, text of at most 200 characters."""
    query = world.queries.get(p.get_str("callback_query_id") or "")
    if (
        query is None
        or query.answered
        or time.monotonic() - query.created > world.callback_answer_deadline
    ):
        raise bad_request(QUERY_TOO_OLD)
    text = p.get_str("text")
    if text is not None and len(text) > MAX_ANSWER_TEXT:
        raise bad_request(ANSWER_TEXT_TOO_LONG)
    answer = CallbackAnswer(
        query_id=query.query_id,
        text=text or None,
        show_alert=p.get_bool("show_alert"),
        url=p.get_str("url"),
        cache_time=p.get_int("cache_time", default=0) or 0,
    )
    world.record_answer(query, answer)
    return True


async def send_chat_action(world: World, p: Params) -> bool:
    """sendChatAction: a known action in a known chat."""
    world.chat_for(p.get("chat_id"))
    if p.get_str("action") not in CHAT_ACTIONS:
        raise bad_request(WRONG_CHAT_ACTION)
    return True


METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
}
