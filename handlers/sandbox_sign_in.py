"""Sandbox mode: "Sign in to the sandbox as @…" buttons instead of a browser.

Callback data: `sbx:<account index>` or `sbx:cancel`.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.accounts.chat_sign_in import ChatSignIn
from bot.texts import accounts as t
from bot.texts import common
from handlers.context import parse_callback, services, user_id

CANCEL = "cancel"


def sign_in_keyboard(chat_sign_in: ChatSignIn) -> InlineKeyboardMarkup:
    """One button per emulated account, then Cancel."""
    rows = [
        [
            InlineKeyboardButton(
                t.BUTTON_SANDBOX_AS.format(label=account.label), callback_data=f"sbx:{index}"
            )
        ]
        for index, account in enumerate(chat_sign_in.accounts())
    ]
    rows.append([InlineKeyboardButton(t.BUTTON_CANCEL, callback_data=f"sbx:{CANCEL}")])
    return InlineKeyboardMarkup(rows)


async def sign_in_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Consent at the sandbox as the tapped account; the chat then gets the code prompt."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    svc = services(context)
    chat_sign_in = svc.chat_sign_in
    parts = parse_callback(query.data, "sbx", 1)
    if chat_sign_in is None or parts is None:
        await query.answer(common.STALE_BUTTON)
        return
    if parts[0] == CANCEL:
        await query.answer()
        await query.edit_message_text(t.SANDBOX_SIGN_IN_CANCELLED)
        return
    accounts = chat_sign_in.accounts()
    if not parts[0].isdigit() or int(parts[0]) >= len(accounts):
        await query.answer(common.STALE_BUTTON)
        return
    account = accounts[int(parts[0])]
    await query.answer()
    code = await chat_sign_in.sign_in(
        svc.links,
        telegram_user_id=user_id(update),
        chat_id=query.message.chat.id,
        open_id=account.open_id,
    )
    if code is None:
        await query.edit_message_text(t.SANDBOX_SIGN_IN_FAILED)
        return
    await query.edit_message_text(
        t.SANDBOX_SIGNED_IN.format(label=common.esc(account.label), code=code), parse_mode="HTML"
    )
