"""Telling the chat how an OAuth link ended (the web callback's Telegram side).

A finished TikTok sign-in first asks the requester for the code its page
shows (`lc:` buttons, handled in handlers/link_confirm.py); failures get
fixed sentences, never TikTok's own words.
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.accounts import (
    LinkAwaitingConfirmation,
    LinkOutcome,
    LinkProblem,
    LinkSucceeded,
)
from bot.publishing.choices import MediaKind
from bot.services import Services
from bot.texts import accounts as ta
from bot.texts import common
from bot.texts import composer as tc

CODES_PER_ROW = 5
DECLINE = "no"

_FAILURE_TEXTS = {
    LinkProblem.CANCELLED: ta.LINK_CANCELLED,
    LinkProblem.EXPIRED: ta.LINK_EXPIRED,
    LinkProblem.REUSED: ta.LINK_REUSED,
    LinkProblem.WRONG_CODE: ta.LINK_WRONG_CODE,
    LinkProblem.DECLINED: ta.LINK_DECLINED,
}


def failure_text(problem: LinkProblem) -> str:
    """The fixed sentence for a link that did not happen (never TikTok's own words)."""
    return _FAILURE_TEXTS.get(problem, ta.LINK_TIKTOK_ERROR)


def code_keyboard(outcome: LinkAwaitingConfirmation) -> InlineKeyboardMarkup:
    """The ten codes (one is the page's) and "It wasn't me"."""
    buttons = [
        InlineKeyboardButton(code, callback_data=f"lc:{outcome.confirmation_id}:{code}")
        for code in outcome.choices
    ]
    rows = [buttons[i : i + CODES_PER_ROW] for i in range(0, len(buttons), CODES_PER_ROW)]
    decline = f"lc:{outcome.confirmation_id}:{DECLINE}"
    rows.append([InlineKeyboardButton(ta.BUTTON_NOT_ME, callback_data=decline)])
    return InlineKeyboardMarkup(rows)


async def success_message(
    services: Services, outcome: LinkSucceeded
) -> tuple[str, InlineKeyboardMarkup | None]:
    """'Linked @you', with a button back to media kept from before linking."""
    text = ta.linked(outcome.account.label, outcome.missing_scopes, outcome.relinked)
    return text, await continue_button(services, outcome.account.telegram_user_id)


async def notify_link(bot: Bot, services: Services, outcome: LinkOutcome) -> None:
    """Send the link's outcome (or the code prompt) to the chat that asked for it."""
    if outcome.chat_id is None:
        return  # an unknown state, or one whose owner was told already
    markup: InlineKeyboardMarkup | None = None
    if isinstance(outcome, LinkAwaitingConfirmation):
        text = ta.CONFIRM_PROMPT.format(label=common.esc(outcome.account_label))
        markup = code_keyboard(outcome)
    elif isinstance(outcome, LinkSucceeded):
        text, markup = await success_message(services, outcome)
    else:
        text = failure_text(outcome.problem)
    await bot.send_message(outcome.chat_id, text, parse_mode="HTML", reply_markup=markup)


async def continue_button(services: Services, telegram_user_id: int) -> InlineKeyboardMarkup | None:
    """A button back to the media the user sent before linking, if any."""
    waiting = await services.drafts.waiting_for_account(telegram_user_id)
    if not waiting:
        return None
    draft = max(waiting, key=lambda d: d.id)
    what = "video" if draft.kind == MediaKind.VIDEO else "photos"
    button = InlineKeyboardButton(
        tc.BUTTON_CONTINUE.format(what=what), callback_data=f"d:{draft.id}:op"
    )
    return InlineKeyboardMarkup([[button]])
