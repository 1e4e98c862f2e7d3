"""Telegram adapters: parse an update, call a service, render a reply.

No TikTok HTTP and no SQL here.
"""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import accounts, errors, gate, start

COMMANDS = [
    BotCommand("start", "Welcome and what this bot does"),
    BotCommand("link", "Link a TikTok account"),
    BotCommand("accounts", "Your linked TikTok accounts"),
    BotCommand("help", "Everything the bot can do"),
]


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Attach every handler, in priority order."""
    application.add_handler(TypeHandler(object, gate.gate), group=-1)
    application.add_handler(CommandHandler("start", start.start))
    application.add_handler(CommandHandler("help", start.help_command))
    application.add_handler(CommandHandler("link", accounts.link))
    application.add_handler(CommandHandler("accounts", accounts.accounts))
    application.add_handler(CallbackQueryHandler(accounts.account_button, pattern=r"^acc:"))
    # Fallbacks last: in group 0 only the first matching handler runs.
    application.add_handler(CallbackQueryHandler(start.stale_button))
    application.add_handler(MessageHandler(filters.COMMAND, start.unknown_command))
    application.add_handler(MessageHandler(filters.ALL, start.unknown_input))
    application.add_error_handler(errors.on_error)
