"""Media checks at intake, the Telegram side: fetch, ask bot.media, word the refusal."""

from __future__ import annotations

from pathlib import Path

import httpx
from telegram import Bot

from bot.media.checks import (
    PhotoProblem,
    PhotoRefusal,
    check_telegram_photos,
    check_video,
    with_facts,
)
from bot.media.reader import ByteSource
from bot.media.rules import MAX_DURATION, VideoProblem, VideoRefusal
from bot.publishing.requests import MediaRef
from bot.publishing.sources import FileTooBig, FileUnavailable
from bot.services import Services
from bot.texts import composer as ct
from bot.texts import media as t
from handlers.files import telegram_file
from handlers.telegram_files import TelegramFileLocator


async def checked_video(
    bot: Bot, svc: Services, ref: MediaRef, source: ByteSource | Path | None = None
) -> tuple[MediaRef | None, str | None]:
    """(the video with the probe's facts, None) or (None, why TikTok would refuse it)."""
    try:
        if source is None:
            source = await telegram_file(bot, svc, ref.file_id, ref.file_size or 0)
    except FileTooBig:
        return None, ct.FILE_TOO_BIG_CLOUD.format(size="over 20 MB")
    except (FileUnavailable, httpx.HTTPError):
        return None, ct.FILE_UNREADABLE
    check = await check_video(source, size=ref.file_size or 0)
    if check.unreachable:
        return None, ct.FILE_UNREADABLE
    if check.refusal is not None:
        return None, refusal_text(check.refusal)
    # Undecided (no facts): TikTok judges, and its answer is explained after the upload.
    return (ref if check.facts is None else with_facts(ref, check.facts)), None


def refusal_text(refusal: VideoRefusal) -> str:
    """What is wrong with the video and what to do, as one message."""
    facts = refusal.facts
    problem = refusal.problem
    if problem is VideoProblem.DAMAGED or facts is None:
        return t.VIDEO_DAMAGED
    if problem is VideoProblem.NO_VIDEO:
        return t.VIDEO_WITHOUT_PICTURE
    if problem is VideoProblem.CONTAINER:
        return t.wrong_container(facts.content_type)
    if problem is VideoProblem.CODEC:
        return t.wrong_codec(facts.codec or "unknown")
    if problem is VideoProblem.FRAME_RATE:
        return t.wrong_frame_rate(facts.fps or 0.0)
    if problem is VideoProblem.PICTURE_SIZE:
        return t.wrong_picture_size(facts.width or 0, facts.height or 0)
    if problem is VideoProblem.TOO_LONG:
        return t.too_long(facts.duration or 0.0, int(refusal.limit or MAX_DURATION))
    return t.too_big(refusal.size or 0, int(refusal.limit or 0))


def photo_refusal_text(refusal: PhotoRefusal, total: int) -> str:
    """What is wrong with one photo of a post (named by its number when there are several)."""
    if refusal.problem is PhotoProblem.UNREACHABLE:
        return ct.FILE_UNREADABLE
    if refusal.problem is PhotoProblem.TOO_LARGE:
        return t.photo_too_large(refusal.width, refusal.height, refusal.number, total)
    if total > 1:
        return t.photo_in_album_damaged(refusal.number, total, refusal.name)
    return t.PHOTO_DAMAGED


async def photo_problem(
    bot: Bot, svc: Services, photos: list[tuple[str, str | None]]
) -> str | None:
    """Check a post's photos (file_id, file name) before the composer opens; the reply if bad."""
    locator = TelegramFileLocator(bot, local_mode=svc.settings.telegram_local_mode)
    refusal = await check_telegram_photos(
        locator, svc.tiktok.http, photos, svc.settings.data_dir / "intake"
    )
    return None if refusal is None else photo_refusal_text(refusal, len(photos))
