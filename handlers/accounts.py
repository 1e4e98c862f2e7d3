"""/link and /accounts: link, choose the default, re-link, unlink."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.errors import AccountNotFound
from bot.texts import accounts as t
from bot.texts import common
from handlers.context import services, user_id
from handlers.keyboards import link_button
from handlers.sandbox_sign_in import sign_in_keyboard
from handlers.teams import share_rows, unshare_everywhere
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
    sharing = await share_rows(services(context), user_id(update))  # teams (handlers/teams.py)
    if sharing:
        keyboard = InlineKeyboardMarkup([*keyboard.inline_keyboard, *sharing])
    await message.reply_html(text, reply_markup=keyboard)


async def accounts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show linked accounts."""
    await send_accounts(update, context)


Button = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
AccountTap = Callable[
    [Update, ContextTypes.DEFAULT_TYPE, CallbackQuery, LinkedAccount], Coroutine[Any, Any, None]
]


def _account_tap(tap: AccountTap) -> Button:
    """An /accounts button of one of the user's accounts (`acc:<id>:<action>`).

    A forged id, or an account unlinked meanwhile, gets "no longer active".
    """

    @functools.wraps(tap)
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, match = update.callback_query, context.match
        if query is None or match is None:
            return
        try:
            account = await services(context).accounts.owned(user_id(update), int(match["id"]))
        except AccountNotFound:
            await query.answer(common.STALE_BUTTON)
            return
        await query.answer()
        await tap(update, context, query, account)

    return handle


async def add_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Link another account (`acc:0:add`)."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        await send_link(update, context)


@_account_tap
async def default_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, account: LinkedAccount
) -> None:
    """Make the account the default (`acc:<id>:default`)."""
    svc, uid = services(context), user_id(update)
    await svc.accounts.make_default(uid, account.id)
    text, keyboard = _accounts_view(await svc.accounts.linked(uid))
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=keyboard)


@_account_tap
async def relink_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, account: LinkedAccount
) -> None:
    """Sign in to TikTok again for this account (`acc:<id>:relink`)."""
    await send_link(update, context, relink=(account.id, account.label))


@_account_tap
async def unlink_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, account: LinkedAccount
) -> None:
    """Ask before unlinking (`acc:<id>:unlink`)."""
    confirm = InlineKeyboardButton(
        t.BUTTON_CONFIRM_UNLINK.format(label=account.label),
        callback_data=f"acc:{account.id}:unlinkok",
    )
    keep = InlineKeyboardButton(t.BUTTON_KEEP, callback_data=f"acc:{account.id}:keep")
    await query.edit_message_text(
        t.CONFIRM_UNLINK.format(label=common.esc(account.label)),
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup([[confirm, keep]]),
    )


@_account_tap
async def unlink_confirmed_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, account: LinkedAccount
) -> None:
    """Unlink (`acc:<id>:unlinkok`): TikTok's grant is revoked too."""
    closed = await unshare_everywhere(context, user_id(update), account.id)  # teams
    await services(context).accounts.unlink(user_id(update), account.id)
    label = common.esc(account.label)
    await query.edit_message_text(t.UNLINKED.format(label=label), parse_mode="HTML")
    await closed()


@_account_tap
async def keep_button(
    _update: Update,
    _context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    _account: LinkedAccount,
) -> None:
    """Keep the account after all (`acc:<id>:keep`)."""
    await query.edit_message_text(t.UNLINK_KEPT)


# One handler per button, routed by PTB's CallbackQueryHandler patterns.
BUTTONS: tuple[tuple[str, Button], ...] = (
    (r"^acc:\d+:add$", add_button),
    (r"^acc:(?P<id>\d{1,12}):default$", default_button),
    (r"^acc:(?P<id>\d{1,12}):relink$", relink_button),
    (r"^acc:(?P<id>\d{1,12}):unlink$", unlink_button),
    (r"^acc:(?P<id>\d{1,12}):unlinkok$", unlink_confirmed_button),
    (r"^acc:(?P<id>\d{1,12}):keep$", keep_button),
)
