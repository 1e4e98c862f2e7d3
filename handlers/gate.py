"""The gate: runs before every other handler (group -100).

First where the update comes from (chat_policy: private chats, one real
person), then the operator's allowlist, then edits of sent messages (never
acted on again).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.texts import common as t
from bot.texts import teams as teams_text
from handlers.chat_policy import Action, judge
from handlers.context import services


def _private_chat_button(bot_username: str, payload: str) -> InlineKeyboardMarkup:
    url = f"https://t.me/{bot_username}" + (f"?start={payload}" if payload else "")
    return InlineKeyboardMarkup([[InlineKeyboardButton(t.BUTTON_OPEN_PRIVATE, url=url)]])


async def _enforce_chat_policy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    verdict = judge(update)
    if verdict.action is Action.PROCEED:
        return
    message = update.effective_message
    if verdict.action is Action.STALE_BUTTON and update.callback_query is not None:
        await update.callback_query.answer(t.STALE_BUTTON)
    elif verdict.action is Action.REFUSE_SHARED_IDENTITY and message is not None:
        await message.reply_html(
            t.SHARED_IDENTITY, reply_markup=_private_chat_button(context.bot.username, "")
        )
    elif verdict.action is Action.REFUSE_SHARED_IN_TEAM and message is not None:
        await message.reply_html(teams_text.ANONYMOUS)
    elif verdict.action is Action.POINT_TO_PRIVATE and message is not None:
        await message.reply_html(
            t.GROUP_USE_PRIVATE,
            reply_markup=_private_chat_button(context.bot.username, verdict.payload),
        )
    raise ApplicationHandlerStop


async def _refuse_edits(update: Update) -> None:
    """An edit arrives as a new update of a message the bot already acted on: act never again.

    Commands, captions and comment text were handled when first sent; repeating
    them would post a second comment or change a draft behind the user's back.
    """
    edited = update.edited_message
    if edited is None:
        return
    await edited.reply_text(t.EDITS_IGNORED)
    raise ApplicationHandlerStop


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from the wrong place or from users the operator has not allowed."""
    if not isinstance(update, Update):
        return
    await _enforce_chat_policy(update, context)
    allowed = services(context).settings.allowed_telegram_user_ids
    user = update.effective_user
    if not allowed or (user is not None and user.id in allowed):
        await _refuse_edits(update)
        return
    if update.callback_query is not None:
        await update.callback_query.answer(t.NOT_ALLOWED_ALERT, show_alert=True)
    elif update.effective_message is not None and user is not None:
        await update.effective_message.reply_html(t.NOT_ALLOWED.format(user_id=user.id))
    raise ApplicationHandlerStop
