"""Intake checks: is this video or photo one TikTok will take? Answered before the composer."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx

from bot.media.photo_errors import PhotoTooLarge, PhotoUnusable
from bot.media.pool import in_photo_pool
from bot.media.probe import (
    VideoDamaged,
    VideoFacts,
    VideoUndecided,
    VideoUnreachable,
    probe_video,
)
from bot.media.reader import ByteSource
from bot.media.rules import VideoProblem, VideoRefusal, judge, whole_seconds
from bot.publishing.requests import MediaRef
from bot.publishing.sources import (
    FileTooBig,
    FileUnavailable,
    TelegramFiles,
    download_to,
    remove_spool,
)


@dataclass(frozen=True, slots=True)
class VideoCheck:
    """The verdict on one video: facts when probed, a refusal when TikTok would refuse it."""

    facts: VideoFacts | None  # None: undecided, TikTok will judge
    refusal: VideoRefusal | None = None
    unreachable: bool = False  # the file could not be read just now


def with_facts(ref: MediaRef, facts: VideoFacts) -> MediaRef:
    """The video's reference carrying what the probe learned (type, size, whole seconds)."""
    return dataclasses.replace(
        ref,
        mime_type=facts.content_type,
        width=facts.width or ref.width,
        height=facts.height or ref.height,
        duration=whole_seconds(facts.duration) if facts.duration is not None else ref.duration,
    )


async def check_video(source: ByteSource | Path, *, size: int) -> VideoCheck:
    """Probe and judge a video (local path or ranged remote file)."""
    try:
        facts = await probe_video(source)
    except VideoDamaged:
        return VideoCheck(None, VideoRefusal(VideoProblem.DAMAGED))
    except VideoUndecided:
        return VideoCheck(None)
    except VideoUnreachable:
        return VideoCheck(None, unreachable=True)
    return VideoCheck(facts, judge(facts, size=size))


class PhotoProblem(StrEnum):
    """Why a photo cannot be posted."""

    DAMAGED = "damaged"
    TOO_LARGE = "too_large"  # too many pixels to decode safely
    UNREACHABLE = "unreachable"  # Telegram did not hand it over just now


@dataclass(frozen=True, slots=True)
class PhotoRefusal:
    """A photo that cannot be posted; `number` counts from 1 within its post."""

    problem: PhotoProblem
    number: int = 1
    width: int = 0
    height: int = 0
    name: str | None = None  # the file's name, when it was sent as a file


async def check_photo_file(path: Path, number: int = 1) -> PhotoRefusal | None:
    """Convert a photo on disk the way publishing will (in the photo pool), keeping nothing."""
    try:
        from bot.media.photos import check_photo  # Pillow loads with the first photo

        await in_photo_pool(check_photo, path)
    except PhotoTooLarge as large:
        return PhotoRefusal(PhotoProblem.TOO_LARGE, number, large.width, large.height)
    except PhotoUnusable:
        return PhotoRefusal(PhotoProblem.DAMAGED, number)
    return None


async def check_telegram_photos(
    files: TelegramFiles,
    http: httpx.AsyncClient,
    photos: list[tuple[str, str | None]],
    work_dir: Path,
    *,
    buffer_size: int = 1024 * 1024,
) -> PhotoRefusal | None:
    """Fetch and check each photo (file_id, file name) of a post in turn; the first unusable."""
    for number, (file_id, name) in enumerate(photos, start=1):
        download = work_dir / f"check-{secrets.token_hex(8)}.part"
        try:
            location = await files.locate(file_id)
            if location.local_path is not None:
                refusal = await check_photo_file(location.local_path, number)
            else:
                await download_to(http, location, download, buffer_size=buffer_size)
                refusal = await check_photo_file(download, number)
        except FileTooBig:
            refusal = PhotoRefusal(PhotoProblem.TOO_LARGE, number)
        except (FileUnavailable, httpx.HTTPError):
            refusal = PhotoRefusal(PhotoProblem.UNREACHABLE, number)
        finally:
            remove_spool(download)
        if refusal is not None:
            return dataclasses.replace(refusal, name=name)
    return None
