"""/link and /accounts: link, choose the default, re-link, unlink."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.errors import AccountNotFound
from bot.texts import accounts as t
from bot.texts import common
from handlers.context import parse_callback, services, user_id
from handlers.keyboards import link_button
from handlers.sandbox_sign_in import sign_in_keyboard
from storage.repositories import LinkedAccount

log = logging.getLogger(__name__)


async def send_link(
    update: Update, context: ContextTypes.DEFAULT_TYPE, *, relink: tuple[int, str] | None = None
) -> None:
    """Reply with a one-time TikTok sign-in button."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    # The sign-in page names the requester: keep how Telegram names them now.
    await svc.accounts.remember_user(
        user.id,
        first_name=user.first_name,
        username=user.username,
        language_code=user.language_code,
    )
    if svc.chat_sign_in is not None and relink is None:
        # Sandbox mode: a phone can't open the operator's 127.0.0.1; sign in right here.
        await message.reply_html(
            t.SANDBOX_LINK_PROMPT, reply_markup=sign_in_keyboard(svc.chat_sign_in)
        )
        return
    url = await svc.links.start(
        telegram_user_id=user_id(update),
        chat_id=message.chat_id,
        relink_account_id=relink[0] if relink else None,
    )
    text = t.RELINK_PROMPT.format(label=common.esc(relink[1])) if relink else t.LINK_PROMPT
    try:
        await message.reply_html(text, reply_markup=link_button(url))
    except BadRequest as exc:
        # Telegram refuses URL buttons to hosts it considers invalid (e.g. a
        # local sandbox on 127.0.0.1); a plain link still works.
        log.info("link button refused (%s); sending a text link", exc.message)
        await message.reply_html(f'{text}\n\n<a href="{common.esc(url)}">{t.LINK_BUTTON}</a>')


async def link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start linking a TikTok account."""
    await send_link(update, context)


def _accounts_view(accounts: list[LinkedAccount]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t.ACCOUNTS_HEADER]
    rows: list[list[InlineKeyboardButton]] = []
    for account in accounts:
        lines.append(
            t.account_line(
                account.label, account.display_name, account.is_default, account.needs_relink
            )
        )
        row = []
        if not account.is_default:
            row.append(
                InlineKeyboardButton(
                    t.BUTTON_MAKE_DEFAULT.format(label=account.label),
                    callback_data=f"acc:{account.id}:default",
                )
            )
        row.append(
            InlineKeyboardButton(
                t.BUTTON_RELINK.format(label=account.label),
                callback_data=f"acc:{account.id}:relink",
            )
        )
        row.append(
            InlineKeyboardButton(
                t.BUTTON_UNLINK.format(label=account.label),
                callback_data=f"acc:{account.id}:unlink",
            )
        )
        rows.append(row)
    rows.append([InlineKeyboardButton(t.BUTTON_ADD, callback_data="acc:0:add")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def send_accounts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the user's linked accounts and their buttons."""
    message = update.effective_message
    if message is None:
        return
    accounts = await services(context).accounts.refreshed(user_id(update))
    if not accounts:
        await message.reply_html(t.NO_ACCOUNTS)
        return
    text, keyboard = _accounts_view(accounts)
    await message.reply_html(text, reply_markup=keyboard)


async def accounts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show linked accounts."""
    await send_accounts(update, context)


async def account_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle the /accounts buttons (`acc:<id>:<action>`)."""
    query = update.callback_query
    if query is None:
        return
    parts = parse_callback(query.data, "acc", 2)
    if parts is None or not parts[0].isdigit():
        await query.answer(common.STALE_BUTTON)
        return
    account_id, action = int(parts[0]), parts[1]
    svc = services(context)
    uid = user_id(update)
    if action == "add":
        await query.answer()
        await send_link(update, context)
        return
    try:
        account = await svc.accounts.owned(uid, account_id)
    except AccountNotFound:
        await query.answer(common.STALE_BUTTON)
        return
    label = common.esc(account.label)
    if action == "default":
        await query.answer()
        await svc.accounts.make_default(uid, account_id)
        text, keyboard = _accounts_view(await svc.accounts.linked(uid))
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=keyboard)
    elif action == "relink":
        await query.answer()
        await send_link(update, context, relink=(account.id, account.label))
    elif action == "unlink":
        await query.answer()
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t.BUTTON_CONFIRM_UNLINK.format(label=account.label),
                        callback_data=f"acc:{account.id}:unlinkok",
                    ),
                    InlineKeyboardButton(t.BUTTON_KEEP, callback_data=f"acc:{account.id}:keep"),
                ]
            ]
        )
        await query.edit_message_text(
            t.CONFIRM_UNLINK.format(label=label), parse_mode="HTML", reply_markup=keyboard
        )
    elif action == "unlinkok":
        await query.answer()
        await svc.accounts.unlink(uid, account_id)
        await query.edit_message_text(t.UNLINKED.format(label=label), parse_mode="HTML")
    elif action == "keep":
        await query.answer()
        await query.edit_message_text(t.UNLINK_KEPT)
    else:
        await query.answer(common.STALE_BUTTON)
