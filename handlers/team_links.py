"""The one reply a team group gets for media dropped there: continue in the private chat.

Apart from handlers/team_intake.py so the private intake's album timer
(which finishes albums left over by a restart) can use it too.
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import teams as t


async def continue_private(bot: Bot, chat_id: int, reply_to: int | None, draft_id: int) -> None:
    """The group's one reply: a deep link that opens the draft's composer in private."""
    url = f"https://t.me/{bot.username}?start=gd{draft_id}"
    button = InlineKeyboardButton(t.BUTTON_CONTINUE_PRIVATE, url=url)
    await bot.send_message(
        chat_id,
        t.CONTINUE_PRIVATE,
        parse_mode="HTML",
        reply_to_message_id=reply_to,
        reply_markup=InlineKeyboardMarkup([[button]]),
    )
