"""The Telegram side of getting a file for the publishing worker (TelegramFiles).

getFile in cloud mode answers with a relative path that PTB turns into a
download URL containing the bot token (never logged: only the URL object
carries it, and FileLocation hides it from repr). With a local Bot API server
(TELEGRAM_LOCAL_MODE) it answers with an absolute path on a disk we share.
"""

from __future__ import annotations

from pathlib import Path

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.publishing.sources import FileLocation, FileTooBig, FileUnavailable


class TelegramFileLocator:
    """Resolves file_ids with getFile."""

    def __init__(self, bot: Bot, *, local_mode: bool) -> None:
        self._bot = bot
        self._local_mode = local_mode

    async def locate(self, file_id: str) -> FileLocation:
        """Where the file is: a local path (local mode) or a download URL."""
        try:
            file = await self._bot.get_file(file_id)
        except BadRequest as refusal:
            if "too big" in refusal.message.lower():
                raise FileTooBig() from None
            raise FileUnavailable(f"getFile refused: {refusal.message}") from None
        except (RetryAfter, TimedOut, NetworkError) as exc:
            raise FileUnavailable(f"getFile failed: {type(exc).__name__}", retryable=True) from None
        if not file.file_path:
            raise FileUnavailable("getFile gave no path")
        if self._local_mode:
            path = Path(file.file_path)
            if not path.is_absolute():
                raise FileUnavailable("local mode, but getFile gave a relative path")
            return FileLocation(local_path=path, size=file.file_size)
        return FileLocation(url=file.file_path, size=file.file_size)
