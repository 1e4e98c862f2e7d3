"""What the user sees before posting: their own media as TikTok will get it.

For a video, one still frame (plus the probe's duration and size for the
caption); for a cover choice, a numbered contact sheet of a few frames; for
photos, the converted JPEGs themselves. Everything is read through the same
sources as the probe (a local path, or capped ranged reads in cloud mode).
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.media.frames import Frame, NoFrames, contact_sheet, cover_frames, still_jpeg
from bot.media.photo_errors import PhotoUnusable
from bot.media.pool import in_photo_pool
from bot.media.reader import ByteSource, RemoteReadFailed
from bot.publishing.sources import (
    FileTooBig,
    FileUnavailable,
    TelegramFiles,
    download_to,
    remove_spool,
)

COVER_CHOICES = 4
PREVIEW_PHOTOS = 10  # a Telegram album holds 10


@dataclass(frozen=True, slots=True)
class CoverSheet:
    """The contact sheet and the timestamp (ms) of frame 1, 2, ..."""

    jpeg: bytes
    timestamps_ms: tuple[int, ...]


async def _frames(source: ByteSource | Path, count: int) -> list[Frame]:
    try:
        return await cover_frames(source, count)
    except (NoFrames, httpx.HTTPError):
        return []  # no picture to show: the composer opens all the same


async def video_still(source: ByteSource | Path) -> bytes | None:
    """A frame a tenth into the video, as a JPEG (None when none can be decoded)."""
    frames = await _frames(source, 5)
    return still_jpeg(frames[0]) if frames else None


async def cover_sheet(source: ByteSource | Path, count: int = COVER_CHOICES) -> CoverSheet | None:
    """`count` cover candidates on one numbered image (None when none can be decoded)."""
    frames = await _frames(source, count)
    if not frames:
        return None
    jpeg = await asyncio.to_thread(contact_sheet, frames)
    return CoverSheet(jpeg=jpeg, timestamps_ms=tuple(f.timestamp_ms for f in frames))


async def converted_photos(
    files: TelegramFiles,
    http: httpx.AsyncClient,
    file_ids: list[str],
    work_dir: Path,
    *,
    buffer_size: int = 1024 * 1024,
) -> list[bytes]:
    """The first PREVIEW_PHOTOS photos converted exactly as publishing converts them."""
    out: list[bytes] = []
    for file_id in file_ids[:PREVIEW_PHOTOS]:
        token = secrets.token_hex(8)
        download = work_dir / f"preview-{token}.part"
        converted = work_dir / f"preview-{token}.jpg"
        try:
            location = await files.locate(file_id)
            source = location.local_path
            if source is None:
                await download_to(http, location, download, buffer_size=buffer_size)
                source = download
            from bot.media.photos import prepare_photo  # Pillow loads with the first photo

            prepared = await in_photo_pool(prepare_photo, source, converted)
            out.append(await asyncio.to_thread(prepared.path.read_bytes))
        except (FileTooBig, FileUnavailable, httpx.HTTPError, PhotoUnusable, RemoteReadFailed):
            continue  # the intake check already spoke; a preview is best effort
        finally:
            remove_spool(download)
            converted.unlink(missing_ok=True)
    return out
