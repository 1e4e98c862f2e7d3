"""The Telegram side of a publish job's progress message (a ProgressReporter).

The worker decides what to say and when (bot/publishing/progress.py); this
sends and edits the one message, turning Telegram's answers into the
worker's terms: "message is not modified" is fine, flood control becomes
ReportRetryAfter, a deleted message becomes ProgressMessageGone.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from bot.publishing.progress import ProgressMessageGone, ReportRetryAfter

_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait from a RetryAfter (an int or a timedelta, depending on PTB settings)."""
    with warnings.catch_warnings():
        # PTB 22 warns that the int form is deprecated; both forms are handled.
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramProgress:
    """Sends and edits progress messages through the bot."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, text: str) -> int:
        """Send the progress message; returns its id."""
        try:
            message = await self._bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except RetryAfter as flood:
            raise ReportRetryAfter(retry_after_seconds(flood)) from None
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str) -> None:
        """Edit it; an unchanged text is not an error."""
        try:
            await self._bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except RetryAfter as flood:
            raise ReportRetryAfter(retry_after_seconds(flood)) from None
        except BadRequest as refusal:
            message = refusal.message.lower()
            if "message is not modified" in message:
                return
            if any(gone in message for gone in _GONE):
                raise ProgressMessageGone() from refusal
            raise
