"""Telegram adapters: parse an update, call a service, render a reply.

No TikTok HTTP and no SQL here.
"""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import (
    accounts,
    boundary,
    comment,
    composer,
    creators,
    errors,
    gate,
    intake,
    link_confirm,
    post_later,
    queue,
    sandbox_sign_in,
    settings,
    start,
    stats,
    team_intake,
    teams,
)

GATE_GROUP = -100
COMPOSER_INPUT_GROUP = -50
# Before the composer: a pending comment lives 30 minutes at most and was the
# user's latest explicit step, while a draft may wait for its caption for days.
COMMENT_INPUT_GROUP = -60
# A typed time zone is asked for only right after a tap on "type one".
SETTINGS_INPUT_GROUP = -70
# A new time or caption for a queued post, asked for by a /queue button.
QUEUE_INPUT_GROUP = -69
# A typed time for a draft scheduled with Post later.
POST_LATER_INPUT_GROUP = -68
# A typed rejection reason, asked for by a team approval's "Type a reason".
TEAM_REASON_INPUT_GROUP = -67
# Media in a group: a team editor's draft, never the private intake.
TEAM_GROUP_MEDIA_GROUP = -66

COMMANDS = [
    BotCommand("start", "Welcome and what this bot does"),
    BotCommand("link", "Link a TikTok account"),
    BotCommand("accounts", "Your linked TikTok accounts"),
    BotCommand("stats", "Followers, likes and how your videos are doing"),
    BotCommand("comment", "Comment on one of your videos"),
    BotCommand("comments", "Comments you wrote here: reply or delete"),
    BotCommand("queue", "Scheduled posts: post now, reschedule, edit, cancel"),
    BotCommand("settings", "Your time zone for scheduled posts"),
    BotCommand("following", "Who a creator follows: /following @username"),
    BotCommand("compare", "Creators side by side: /compare @a @b"),
    BotCommand("watch", "Watch a creator daily: /watch @username"),
    BotCommand("team", "In a group: the team, its roles and log (/team log)"),
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
    for pattern, button in accounts.BUTTONS:
        application.add_handler(CallbackQueryHandler(button, pattern=pattern))
    for pattern, button in (*link_confirm.BUTTONS, *sandbox_sign_in.BUTTONS):
        application.add_handler(CallbackQueryHandler(button, pattern=pattern))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, comment.text_input),
        group=COMMENT_INPUT_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.TEXT, composer.text_input), group=COMPOSER_INPUT_GROUP
    )
    for pattern, button in composer.BUTTONS:
        application.add_handler(CallbackQueryHandler(button, pattern=pattern))
    application.add_handler(CommandHandler("team", teams.team_command))
    application.add_handler(
        CommandHandler("stats", teams.group_stats, filters=filters.ChatType.GROUPS)
    )
    for pattern, button in teams.BUTTONS:
        application.add_handler(CallbackQueryHandler(button, pattern=pattern))
    application.add_handler(ChatMemberHandler(teams.membership, ChatMemberHandler.ANY_CHAT_MEMBER))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, teams.reason_input),
        group=TEAM_REASON_INPUT_GROUP,
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS
            & (
                filters.VIDEO
                | filters.VIDEO_NOTE
                | filters.PHOTO
                | filters.Document.ALL
                | filters.ANIMATION
            ),
            team_intake.group_media,
        ),
        group=TEAM_GROUP_MEDIA_GROUP,
    )
    application.add_handler(CommandHandler("stats", stats.stats))
    for pattern, button in stats.BUTTONS:
        application.add_handler(CallbackQueryHandler(button, pattern=pattern))
    application.add_handler(CommandHandler("following", creators.following))
    application.add_handler(CommandHandler("compare", creators.compare))
    application.add_handler(CommandHandler("watch", creators.watch))
    for pattern, button in creators.BUTTONS:
        application.add_handler(CallbackQueryHandler(button, pattern=pattern))
    application.add_handler(CommandHandler("comment", comment.comment))
    application.add_handler(CommandHandler("comments", comment.comments))
    application.add_handler(CommandHandler("settings", settings.settings_command))
    application.add_handler(CallbackQueryHandler(settings.zone_button, pattern=r"^tz:"))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, settings.text_input),
        group=SETTINGS_INPUT_GROUP,
    )
    application.add_handler(CallbackQueryHandler(post_later.later_button_tap, pattern=r"^d[lz]:"))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, post_later.text_input),
        group=POST_LATER_INPUT_GROUP,
    )
    application.add_handler(CommandHandler("queue", queue.queue_command))
    application.add_handler(CallbackQueryHandler(queue.queue_button, pattern=r"^qz?:"))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, queue.text_input),
        group=QUEUE_INPUT_GROUP,
    )
    for pattern, button in comment.BUTTONS:
        application.add_handler(CallbackQueryHandler(button, pattern=pattern))
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE  # a group's media: handlers/team_intake.py
            & (
                filters.VIDEO
                | filters.VIDEO_NOTE
                | filters.PHOTO
                | filters.Document.ALL
                | filters.ANIMATION
            ),
            intake.on_media,
        )
    )
    # Fallbacks last: in group 0 only the first matching handler runs.
    application.add_handler(CallbackQueryHandler(start.stale_button))
    application.add_handler(MessageHandler(filters.COMMAND, start.unknown_command))
    application.add_handler(MessageHandler(filters.ALL, start.unknown_input))
    application.add_error_handler(errors.on_error)
    # One unit of work per update (handlers/boundary.py).
    boundary.wrap_all(application)
