"""The one error handler: domain errors become polite replies, bugs get logged."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.tiktok import TikTokError
from handlers.replies import error_reply, is_bug

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to the user in plain words; log unexpected errors with their traceback.

    Callback queries are not answered here: handlers answer first (a second
    answer is refused by Telegram), and the reply below says what happened.
    """
    error = context.error
    if error is None:
        return
    reply = error_reply(error)
    if is_bug(error):
        if isinstance(error, TikTokError):
            log.error("TikTok error %s (log_id %s)", error.code, error.log_id, exc_info=error)
        else:
            log.error("unhandled error", exc_info=error)
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await context.bot.send_message(
            chat.id, reply.text, parse_mode="HTML", reply_markup=reply.markup
        )
    except TelegramError:
        log.warning("could not deliver an error reply to chat %s", chat.id)
