"""Inline keyboards shared by several handlers."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import accounts as t


def link_button(url: str, text: str = t.LINK_BUTTON) -> InlineKeyboardMarkup:
    """One URL button that opens TikTok's sign-in page."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url)]])


def relink_keyboard(account_id: int, label: str) -> InlineKeyboardMarkup:
    """A button that starts a re-link of one account."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.BUTTON_RELINK.format(label=label), callback_data=f"acc:{account_id}:relink"
                )
            ]
        ]
    )
