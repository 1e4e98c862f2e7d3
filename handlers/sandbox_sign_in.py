"""Sandbox mode: "Sign in to the sandbox as @…" buttons instead of a browser.

Callback data: `sbx:<account index>` or `sbx:cancel`.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.accounts.chat_sign_in import ChatSignIn
from bot.texts import accounts as t
from bot.texts import common
from handlers.context import services, user_id

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
    query, match = update.callback_query, context.match
    if query is None or query.message is None or match is None:
        return
    svc = services(context)
    chat_sign_in = svc.chat_sign_in
    if chat_sign_in is None:
        await query.answer(common.STALE_BUTTON)
        return
    if match["choice"] == CANCEL:
        await query.answer()
        await query.edit_message_text(t.SANDBOX_SIGN_IN_CANCELLED)
        return
    accounts = chat_sign_in.accounts()
    if int(match["choice"]) >= len(accounts):
        await query.answer(common.STALE_BUTTON)
        return
    account = accounts[int(match["choice"])]
    await query.answer()
    url = await svc.links.start(telegram_user_id=user_id(update), chat_id=query.message.chat.id)
    # The callback runs in another request: the new state must be durable first.
    await svc.db.commit_current()
    code = await chat_sign_in.consent(url, open_id=account.open_id)
    if code is None:
        await query.edit_message_text(t.SANDBOX_SIGN_IN_FAILED)
        return
    await query.edit_message_text(
        t.SANDBOX_SIGNED_IN.format(label=common.esc(account.label), code=code), parse_mode="HTML"
    )


BUTTONS = ((rf"^sbx:(?P<choice>\d{{1,2}}|{CANCEL})$", sign_in_button),)
