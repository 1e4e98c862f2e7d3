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

from handlers import (
    accounts,
    comment,
    composer,
    errors,
    gate,
    intake,
    link_confirm,
    sandbox_sign_in,
    start,
    stats,
)

GATE_GROUP = -100
COMPOSER_INPUT_GROUP = -50
# Before the composer: a pending comment lives 30 minutes at most and was the
# user's latest explicit step, while a draft may wait for its caption for days.
COMMENT_INPUT_GROUP = -60

COMMANDS = [
    BotCommand("start", "Welcome and what this bot does"),
    BotCommand("link", "Link a TikTok account"),
    BotCommand("accounts", "Your linked TikTok accounts"),
    BotCommand("stats", "Followers, likes and how your videos are doing"),
    BotCommand("comment", "Comment on one of your videos"),
    BotCommand("comments", "Comments you wrote here: reply or delete"),
    BotCommand("help", "Everything the bot can do"),
]


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Attach every handler, in priority order."""
    # Groups run in ascending order; in each, the first matching handler runs.
    # The gate comes first; features that wait for typed input (captions,
    # comment text) sit in groups between it and group 0 and raise
    # ApplicationHandlerStop only when they consumed the message.
    application.add_handler(TypeHandler(object, gate.gate), group=GATE_GROUP)
    application.add_handler(CommandHandler("start", start.start))
    application.add_handler(CommandHandler("help", start.help_command))
    application.add_handler(CommandHandler("link", accounts.link))
    application.add_handler(CommandHandler("accounts", accounts.accounts))
    application.add_handler(CallbackQueryHandler(accounts.account_button, pattern=r"^acc:"))
    application.add_handler(
        CallbackQueryHandler(link_confirm.confirm_button, pattern=r"^lc:\d+:\w+$")
    )
    application.add_handler(
        CallbackQueryHandler(sandbox_sign_in.sign_in_button, pattern=r"^sbx:\w+$")
    )
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, comment.text_input),
        group=COMMENT_INPUT_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.TEXT, composer.text_input), group=COMPOSER_INPUT_GROUP
    )
    application.add_handler(CallbackQueryHandler(composer.composer_button, pattern=r"^d:"))
    application.add_handler(CommandHandler("stats", stats.stats))
    application.add_handler(CallbackQueryHandler(stats.stats_button, pattern=r"^st:"))
    application.add_handler(CommandHandler("comment", comment.comment))
    application.add_handler(CommandHandler("comments", comment.comments))
    application.add_handler(CallbackQueryHandler(comment.comment_button, pattern=r"^cm[vapc]:"))
    application.add_handler(
        MessageHandler(
            filters.VIDEO
            | filters.VIDEO_NOTE
            | filters.PHOTO
            | filters.Document.ALL
            | filters.ANIMATION,
            intake.on_media,
        )
    )
    # Fallbacks last: in group 0 only the first matching handler runs.
    application.add_handler(CallbackQueryHandler(start.stale_button))
    application.add_handler(MessageHandler(filters.COMMAND, start.unknown_command))
    application.add_handler(MessageHandler(filters.ALL, start.unknown_input))
    application.add_error_handler(errors.on_error)
