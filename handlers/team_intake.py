"""Media an editor drops in the team's group: kept as their draft, continued in private.

The group sees one short reply with a deep link; the composer (the
editor's account choices, the preview) opens only in the private chat.
Media from anyone else in the group is chatter and gets no answer.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.teams.roles import Role, at_least
from bot.texts import teams as t
from handlers.context import services
from handlers.intake import classify


async def group_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A video or photo in a group: a team editor's becomes a draft; the rest is ignored."""
    await _keep_for_private(update, context)
    raise ApplicationHandlerStop  # group media never reaches the private intake


async def _keep_for_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.media_group_id is not None:
        return  # albums go to the private chat (one reply per item would flood the group)
    svc = services(context)
    assert svc.teams is not None
    team = await svc.teams.team_of_chat(message.chat_id)
    if team is None or team.status != "active":
        return
    if not at_least(await svc.teams.role_of(team.id, user.id), Role.EDITOR):
        return
    incoming = await classify(message, context)
    if incoming.problem or incoming.kind is None or incoming.ref is None:
        return
    result = await svc.drafts.add_media(
        telegram_user_id=user.id,
        chat_id=user.id,  # the composer lives in the private chat
        kind=incoming.kind,
        ref=incoming.ref,
        caption=message.caption,
        media_group_id=None,
    )
    url = f"https://t.me/{context.bot.username}?start=gd{result.draft.id}"
    button = InlineKeyboardButton(t.BUTTON_CONTINUE_PRIVATE, url=url)
    await message.reply_html(t.CONTINUE_PRIVATE, reply_markup=InlineKeyboardMarkup([[button]]))
