"""The allowlist gate: runs before every other handler (group -1)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.texts import common as t
from handlers.context import services


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Politely stop updates from users the operator has not allowed."""
    allowed = services(context).settings.allowed_telegram_user_ids
    user = update.effective_user
    if not allowed or (user is not None and user.id in allowed):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(t.NOT_ALLOWED_ALERT, show_alert=True)
    elif update.effective_message is not None and user is not None:
        await update.effective_message.reply_html(t.NOT_ALLOWED.format(user_id=user.id))
    raise ApplicationHandlerStop
