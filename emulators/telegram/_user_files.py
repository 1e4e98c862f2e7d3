"""Content users send: put on disk off the event loop, registered, shaped as Bot API fields."""

from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path
from typing import Any

from ._images import THUMBNAIL_JPEG
from ._models import AlbumItem, FakeFile
from ._render import content_fields, thumbnail_size
from ._world import World


async def store(
    world: World,
    data: bytes | Path,
    *,
    kind: str,
    file_name: str | None = None,
    mime_type: str | None = None,
    width: int | None = None,
    height: int | None = None,
    duration: int | None = None,
) -> FakeFile:
    """Put user-sent content on disk (off the event loop) and register it."""
    suffix = Path(file_name or (data.name if isinstance(data, Path) else "")).suffix
    path = await asyncio.to_thread(world.files.import_source, data, suffix=suffix)
    return world.files.register(
        path,
        kind=kind,
        file_name=file_name,
        mime_type=mime_type,
        width=width,
        height=height,
        duration=duration,
    )


async def store_photo(world: World, data: bytes | Path, width: int, height: int) -> FakeFile:
    """Store a photo and the small thumbnail PhotoSize Telegram sends with it."""
    thumb_width, thumb_height = thumbnail_size(width, height)
    thumb = await store(
        world, THUMBNAIL_JPEG, kind="thumbnail", width=thumb_width, height=thumb_height
    )
    photo = await store(world, data, kind="photo", width=width, height=height)
    photo.thumbnail = thumb
    return photo


async def store_item(world: World, item: AlbumItem) -> FakeFile:
    """Store one album item with its kind's defaults."""
    if item.kind == "photo":
        return await store_photo(world, item.data, item.width, item.height)
    default_name = "video.mp4" if item.kind == "video" else "file.bin"
    file_name = item.file_name or default_name
    mime = item.mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    video = item.kind == "video"
    return await store(
        world,
        item.data,
        kind=item.kind,
        file_name=file_name,
        mime_type=mime,
        width=item.width if video else None,
        height=item.height if video else None,
        duration=item.duration if video else None,
    )


def media_content(
    fake: FakeFile, caption: str | None, media_group_id: str | None
) -> dict[str, Any]:
    """The message fields for user-sent media (photo/video/document, caption, album id)."""
    content = content_fields(fake)
    if caption:
        content["caption"] = caption
    if media_group_id:
        content["media_group_id"] = media_group_id
    return content
