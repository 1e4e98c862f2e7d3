"""Media methods: sendPhoto, sendVideo, sendDocument, sendMediaGroup and getFile.

A file is given as an uploaded multipart part (directly or via
``attach://name``), as the file_id of a file Telegram already has, or, on a
``--local`` server only, as a ``file:///absolute/path`` the server reads.
"""

from __future__ import annotations

import asyncio
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ._api_messages import markup_fields, reply_target
from ._api_setup import Handler
from ._errors import (
    ALBUM_MIXED_DOCUMENTS,
    ALBUM_TOO_SMALL,
    ENTITIES_JSON,
    FILE_TOO_BIG,
    HTTP_URL_FAILED,
    IMAGE_PROCESS_FAILED,
    INVALID_FILE_ID,
    MEDIA_JSON,
    PHOTO_INVALID_DIMENSIONS,
    TOO_MANY_ALBUM_ITEMS,
    WRONG_FILE_ID,
    bad_request,
)
from ._files import link_or_copy
from ._images import THUMBNAIL_JPEG, image_size, valid_photo_dimensions
from ._markup import parse_reply_markup
from ._models import BotMessage, FakeFile, UploadedFile
from ._params import Params
from ._render import file_dict, thumbnail_size
from ._text import FormattedText, caption_text
from ._world import World

MIN_ALBUM, MAX_ALBUM = 2, 10
_COMPATIBLE = {
    "photo": frozenset({"photo", "thumbnail"}),
    "video": frozenset({"video"}),
    "document": frozenset({"document", "video"}),
}
_ALBUM_TYPES = frozenset({"photo", "video", "document"})


@dataclass(frozen=True)
class _Source:
    """A file about to become a FakeFile: where it is and what the request said about it."""

    path: Path
    file_name: str | None
    mime_type: str | None
    sha256: str | None

    @classmethod
    def of(cls, uploaded: UploadedFile) -> _Source:
        return cls(uploaded.path, uploaded.file_name, uploaded.mime_type, uploaded.sha256)


@dataclass(frozen=True)
class _Meta:
    width: int | None = None
    height: int | None = None
    duration: int | None = None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def resolve_file(
    world: World, p: Params, *, kind: str, value: Any, part: str | None, meta: _Meta
) -> FakeFile:
    """Turn a file parameter (upload, attach://, file_id, file://) into a :class:`FakeFile`."""
    if value is None and part is not None:
        uploaded = p.upload(part)
        if uploaded is None:
            raise bad_request(f"there is no {kind} in the request")
        return await _adopt(world, _Source.of(uploaded), kind, meta)
    if not isinstance(value, str) or not value:
        raise bad_request(WRONG_FILE_ID)
    if value.startswith("attach://"):
        uploaded = p.upload(value)
        if uploaded is None:
            raise bad_request("can't parse InputMedia: media not found")
        return await _adopt(world, _Source.of(uploaded), kind, meta)
    known = world.files.get(value)
    if known is not None:
        if known.kind not in _COMPATIBLE[kind]:
            raise bad_request(f"can't use file of type {known.kind.title()} as {kind.title()}")
        return known
    if value.startswith("file://") and world.files.local_mode:
        return await _adopt(world, await _local_source(world, value), kind, meta)
    if value.startswith(("http://", "https://")):
        raise bad_request(HTTP_URL_FAILED)  # the fake never fetches URLs
    raise bad_request(WRONG_FILE_ID)


async def _local_source(world: World, uri: str) -> _Source:
    """A --local server reads ``file://`` paths itself; keep our own link/copy of the file."""
    path = Path(unquote(urlsplit(uri).path))
    target = world.files.new_path(path.suffix)
    await asyncio.to_thread(_copy_local, path, target, world.files.upload_limit)
    return _Source(target, path.name, None, None)


def _copy_local(path: Path, target: Path, limit: int) -> None:
    if not path.is_file():
        raise bad_request(WRONG_FILE_ID)
    if path.stat().st_size > limit:
        raise bad_request(FILE_TOO_BIG)
    link_or_copy(path, target)


async def _adopt(world: World, source: _Source, kind: str, meta: _Meta) -> FakeFile:
    """Register bytes the bot sent as a new file of ``kind``."""
    mime = source.mime_type
    if not mime or mime == "application/octet-stream":
        mime = mimetypes.guess_type(source.file_name or "")[0] or mime
    if kind == "photo":
        size = await asyncio.to_thread(image_size, source.path)
        if size is None:
            raise bad_request(IMAGE_PROCESS_FAILED)
        if not valid_photo_dimensions(*size):
            raise bad_request(PHOTO_INVALID_DIMENSIONS)
        return _register_photo(world, source, *size)
    return world.files.register(
        source.path,
        kind=kind,
        file_name=source.file_name,
        mime_type=mime,
        width=(meta.width or 0) if kind == "video" else None,
        height=(meta.height or 0) if kind == "video" else None,
        duration=(meta.duration or 0) if kind == "video" else None,
        uploaded_by_bot=True,
        sha256=source.sha256,
    )


def _register_photo(world: World, source: _Source, width: int, height: int) -> FakeFile:
    thumb_width, thumb_height = thumbnail_size(width, height)
    thumb = world.files.register(
        world.files.import_source(THUMBNAIL_JPEG, suffix=".jpg"),
        kind="thumbnail",
        width=thumb_width,
        height=thumb_height,
        uploaded_by_bot=True,
    )
    photo = world.files.register(
        source.path,
        kind="photo",
        width=width,
        height=height,
        uploaded_by_bot=True,
        sha256=source.sha256,
    )
    photo.thumbnail = thumb
    return photo


def _caption(world: World, caption: Any, parse_mode: Any, entities: Any) -> FormattedText | None:
    if caption is not None and not isinstance(caption, str):
        raise bad_request(MEDIA_JSON)
    if parse_mode is not None and not isinstance(parse_mode, str):
        raise bad_request(MEDIA_JSON)
    return caption_text(caption, parse_mode, entities, strict_ampersand=world.strict_html_escaping)


def _media_message(
    chat_id: int, message_id: int, fake: FakeFile, caption: FormattedText | None
) -> BotMessage:
    return BotMessage(
        message_id=message_id,
        chat_id=chat_id,
        kind="photo" if fake.kind == "thumbnail" else fake.kind,
        date=int(time.time()),
        plain_caption=caption.text if caption else None,
        entities=caption.entities if caption else [],
        media=fake,
    )


def _media_sender(kind: str) -> Handler:
    async def send_media(world: World, p: Params) -> dict[str, Any]:
        chat = world.chat_for(p.get("chat_id"))
        caption = _caption(
            world,
            p.get_str("caption"),
            p.get_str("parse_mode"),
            p.get_json("caption_entities", ENTITIES_JSON),
        )
        markup = parse_reply_markup(p.get("reply_markup"))
        reply_to = reply_target(chat, p)
        meta = _Meta(p.get_int("width"), p.get_int("height"), p.get_int("duration"))
        fake = await resolve_file(world, p, kind=kind, value=p.get(kind), part=kind, meta=meta)
        world.check_flood(chat)
        msg = _media_message(chat.id, chat.allocate_ids()[0], fake, caption)
        msg.caption = p.get_str("caption") if caption else None
        msg.parse_mode = p.get_str("parse_mode")
        msg.reply_to_message_id = reply_to
        fields = markup_fields(markup)
        msg.reply_markup, msg.buttons = fields["reply_markup"], fields["buttons"]
        return world.post_bot_message(chat, msg)

    send_media.__doc__ = f"send{kind.title()}: an upload or a known file_id, caption <= 1024."
    return send_media


async def send_media_group(world: World, p: Params) -> list[dict[str, Any]]:
    """sendMediaGroup: 2..10 photos/videos (or only documents) as consecutive messages."""
    chat = world.chat_for(p.get("chat_id"))
    media = p.get_json("media", MEDIA_JSON)
    if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
        raise bad_request(MEDIA_JSON)
    if len(media) > MAX_ALBUM:
        raise bad_request(TOO_MANY_ALBUM_ITEMS)
    if len(media) < MIN_ALBUM:
        raise bad_request(ALBUM_TOO_SMALL)
    kinds = [item.get("type") for item in media]
    if any(kind not in _ALBUM_TYPES for kind in kinds):
        raise bad_request("can't parse InputMedia: unsupported media type")  # fake; audio too
    if "document" in kinds and set(kinds) != {"document"}:
        raise bad_request(ALBUM_MIXED_DOCUMENTS)
    captions = [
        _caption(world, item.get("caption"), item.get("parse_mode"), item.get("caption_entities"))
        for item in media
    ]
    files = [
        await resolve_file(
            world,
            p,
            kind=str(item["type"]),
            value=item.get("media"),
            part=None,
            meta=_Meta(
                _int_or_none(item.get("width")),
                _int_or_none(item.get("height")),
                _int_or_none(item.get("duration")),
            ),
        )
        for item in media
    ]
    reply_to = reply_target(chat, p)
    world.check_flood(chat)
    group_id = world.new_media_group_id()
    results = []
    for item, message_id, fake, caption in zip(
        media, chat.allocate_ids(len(media)), files, captions, strict=True
    ):
        msg = _media_message(chat.id, message_id, fake, caption)
        msg.media_group_id = group_id
        msg.caption = item.get("caption") if caption else None
        msg.parse_mode = item.get("parse_mode")
        msg.reply_to_message_id = reply_to
        results.append(world.post_bot_message(chat, msg))
    return results


async def get_file(world: World, p: Params) -> dict[str, Any]:
    """getFile: a download path; 20 MB limit in cloud mode, absolute disk path in local mode."""
    fake = world.files.get(p.get_str("file_id") or "")
    if fake is None:
        raise bad_request(INVALID_FILE_ID)
    if fake.file_size > world.files.download_limit:
        raise bad_request(FILE_TOO_BIG)
    relative = world.files.file_path(fake)
    if world.files.local_mode:
        absolute = await asyncio.to_thread(world.files.local_path, fake)
        return file_dict(fake, str(absolute))
    return file_dict(fake, relative)


METHODS: dict[str, Handler] = {
    "sendPhoto": _media_sender("photo"),
    "sendVideo": _media_sender("video"),
    "sendDocument": _media_sender("document"),
    "sendMediaGroup": send_media_group,
    "getFile": get_file,
}
