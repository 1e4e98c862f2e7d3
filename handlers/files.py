"""Random access to a Telegram file for probing, in cloud or local Bot API mode."""

from __future__ import annotations

from pathlib import Path

from telegram import Bot

from bot.media.reader import ByteSource, HttpRangeFile
from handlers.context import Services
from handlers.telegram_files import TelegramFileLocator


async def telegram_file(bot: Bot, services: Services, file_id: str, size: int) -> ByteSource | Path:
    """A local path (local Bot API server) or ranged reads of the download URL.

    Never downloads the file whole. Raises FileTooBig / FileUnavailable
    (bot.publishing.sources) like the publishing worker's locator, which this reuses.
    """
    locator = TelegramFileLocator(bot, local_mode=services.settings.telegram_local_mode)
    location = await locator.locate(file_id)
    if location.local_path is not None:
        # A local Bot API server returns a path on its disk, which we share.
        return location.local_path
    assert location.url is not None
    return HttpRangeFile(services.tiktok.http, location.url, location.size or size)
