"""Bot API JSON objects (User, Chat, Message, PhotoSize, Video, Document, File)."""

from __future__ import annotations

from typing import Any

from ._models import BotMessage, FakeFile

THUMBNAIL_SIDE = 90


def user_dict(
    user_id: int,
    *,
    first_name: str,
    username: str | None = None,
    language_code: str | None = None,
    is_bot: bool = False,
) -> dict[str, Any]:
    """A Bot API ``User``."""
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def private_chat_dict(user: dict[str, Any]) -> dict[str, Any]:
    """The private ``Chat`` between the bot and ``user`` (chat id == user id)."""
    chat: dict[str, Any] = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    if "username" in user:
        chat["username"] = user["username"]
    return chat


def thumbnail_size(width: int, height: int) -> tuple[int, int]:
    """Dimensions of the small PhotoSize for a ``width`` x ``height`` photo."""
    scale = THUMBNAIL_SIDE / max(width, height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))


def photo_size_dict(fake: FakeFile) -> dict[str, Any]:
    """A ``PhotoSize``."""
    return {
        "file_id": fake.file_id,
        "file_unique_id": fake.file_unique_id,
        "width": fake.width or 0,
        "height": fake.height or 0,
        "file_size": fake.file_size,
    }


def photo_sizes(fake: FakeFile) -> list[dict[str, Any]]:
    """``Message.photo``: the small thumbnail first, then the full size."""
    sizes = [photo_size_dict(fake.thumbnail)] if fake.thumbnail else []
    return [*sizes, photo_size_dict(fake)]


def media_dict(fake: FakeFile) -> dict[str, Any]:
    """A ``Video`` or ``Document`` object."""
    media: dict[str, Any] = {"file_id": fake.file_id, "file_unique_id": fake.file_unique_id}
    if fake.kind == "video":
        media.update(width=fake.width or 0, height=fake.height or 0, duration=fake.duration or 0)
    if fake.file_name:
        media["file_name"] = fake.file_name
    if fake.mime_type:
        media["mime_type"] = fake.mime_type
    media["file_size"] = fake.file_size
    return media


def content_fields(fake: FakeFile) -> dict[str, Any]:
    """The message field carrying ``fake``: ``photo``, ``video`` or ``document``."""
    if fake.kind == "photo":
        return {"photo": photo_sizes(fake)}
    if fake.kind == "video":
        return {"video": media_dict(fake)}
    return {"document": media_dict(fake)}


def bot_message_dict(
    msg: BotMessage,
    *,
    bot: dict[str, Any],
    chat: dict[str, Any],
    reply_to: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``Message`` Telegram answers for a message the bot sent, in its current state."""
    out: dict[str, Any] = {
        "message_id": msg.message_id,
        "from": bot,
        "chat": chat,
        "date": msg.date,
    }
    if msg.edit_date is not None:
        out["edit_date"] = msg.edit_date
    if msg.media_group_id is not None:
        out["media_group_id"] = msg.media_group_id
    if reply_to is not None:
        out["reply_to_message"] = reply_to
    if msg.media is None:
        out["text"] = msg.plain_text or ""
        if msg.entities:
            out["entities"] = msg.entities
        if msg.link_preview_disabled:
            out["link_preview_options"] = {"is_disabled": True}
    else:
        out.update(content_fields(msg.media))
        if msg.plain_caption:
            out["caption"] = msg.plain_caption
            if msg.entities:
                out["caption_entities"] = msg.entities
    if msg.reply_markup is not None and "inline_keyboard" in msg.reply_markup:
        out["reply_markup"] = msg.reply_markup
    return out


def file_dict(fake: FakeFile, file_path: str) -> dict[str, Any]:
    """The ``File`` getFile answers."""
    return {
        "file_id": fake.file_id,
        "file_unique_id": fake.file_unique_id,
        "file_size": fake.file_size,
        "file_path": file_path,
    }
