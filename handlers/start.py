"""/start (with deep-link payloads), /help, and replies to anything unexpected."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.texts import common as t
from handlers.accounts import send_accounts, send_link
from handlers.composer import show_composer
from handlers.context import services, user_id
from handlers.teams import open_review as review_link


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user; `/start link` and `/start accounts` jump straight there."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    svc = services(context)
    await svc.accounts.remember_user(
        user.id,
        first_name=user.first_name,
        username=user.username,
        language_code=user.language_code,
    )
    payload = context.args[0] if context.args else ""
    if payload == "link":
        await send_link(update, context)
        return
    if payload.startswith("rv") and payload[2:].isdigit():  # a team card's Review button
        await review_link(update, context, int(payload[2:]))
        return
    if payload.startswith("gd") and payload[2:].isdigit():  # media an editor sent in a group
        await show_composer(context.bot, svc, user.id, int(payload[2:]))
        return
    if payload in {"accounts", "linked"}:
        await send_accounts(update, context)
        return
    has_account = bool(await svc.accounts.linked(user_id(update)))
    await message.reply_html(t.welcome(user.first_name, has_account))


async def help_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what the bot can do."""
    if update.effective_message is not None:
        await update.effective_message.reply_html(t.HELP)


async def unknown_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a command we do not have with the help text."""
    if update.effective_message is not None:
        await update.effective_message.reply_html(t.UNKNOWN_COMMAND)


async def unknown_input(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Never stay silent: say what the bot accepts."""
    if update.effective_message is not None:
        await update.effective_message.reply_html(t.UNKNOWN_INPUT)


async def stale_button(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button nothing else claimed (old, forged or from a past version)."""
    if update.callback_query is not None:
        await update.callback_query.answer(t.STALE_BUTTON)
