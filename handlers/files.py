"""Random access to a Telegram file for probing, in cloud or local Bot API mode."""

from __future__ import annotations

from pathlib import Path

from telegram import Bot

from bot.publishing.probe import ByteSource, HttpRangeFile, LocalFile
from handlers.context import Services


async def telegram_file(bot: Bot, services: Services, file_id: str, size: int) -> ByteSource:
    """Ranged reads of a Telegram file; never downloads it whole."""
    info = await bot.get_file(file_id)
    path = info.file_path or ""
    if services.settings.telegram_local_mode or Path(path).is_absolute():
        # A local Bot API server returns a path on its disk, which we share.
        return LocalFile(Path(path))
    return HttpRangeFile(services.tiktok.http, path, info.file_size or size)
