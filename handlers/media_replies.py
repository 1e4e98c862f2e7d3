"""The reply for media TikTok would refuse (bot.media checks -> bot.texts.media)."""

from __future__ import annotations

from telegram import Bot

from bot.media.checks import PhotoProblem, PhotoRefusal, check_telegram_photos
from bot.media.rules import MAX_DURATION, VideoProblem, VideoRefusal
from bot.services import Services
from bot.texts import composer as ct
from bot.texts import media as t
from handlers.telegram_files import TelegramFileLocator


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
