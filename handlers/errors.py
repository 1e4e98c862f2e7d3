"""The one error handler: domain errors become polite replies, bugs get logged."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.creators import CreatorDataError
from bot.errors import AccountNeedsRelink, AccountNotFound, NoLinkedAccount
from bot.texts import accounts as ta
from bot.texts import common as t
from bot.tiktok import RateLimited, ScopeMissing, TikTokError, TikTokUnavailable
from handlers.creators import creator_error_text
from handlers.keyboards import relink_keyboard

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to the user in plain words; log unexpected errors with their traceback.

    Callback queries are not answered here: handlers answer first (a second
    answer is refused by Telegram), and the reply below says what happened.
    """
    error = context.error
    reply_markup = None
    if isinstance(error, AccountNeedsRelink):
        text = ta.NEEDS_RELINK.format(label=t.esc(error.label))
        reply_markup = relink_keyboard(error.account_id, error.label)
    elif isinstance(error, NoLinkedAccount):
        text = ta.NO_ACCOUNTS
    elif isinstance(error, AccountNotFound):
        text = t.STALE_BUTTON
    elif isinstance(error, RateLimited):
        text = t.TIKTOK_RATE_LIMITED
    elif isinstance(error, TikTokUnavailable):
        text = t.TIKTOK_UNAVAILABLE
    elif isinstance(error, ScopeMissing):
        text = ta.SCOPE_MISSING
    elif isinstance(error, CreatorDataError):
        text = creator_error_text(error)
    else:
        if isinstance(error, TikTokError):
            log.error("TikTok error %s (log_id %s)", error.code, error.log_id, exc_info=error)
        else:
            log.error("unhandled error", exc_info=error)
        text = t.INTERNAL_ERROR
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, text, parse_mode="HTML", reply_markup=reply_markup)
    except TelegramError:
        log.warning("could not deliver an error reply to chat %s", chat.id)
