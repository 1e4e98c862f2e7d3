"""Telling the chat how an OAuth link ended (the web callback's Telegram side)."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.accounts import LinkFailed, LinkOutcome, LinkProblem, LinkSucceeded
from bot.publishing.choices import MediaKind
from bot.services import Services
from bot.texts import accounts as ta
from bot.texts import composer as tc

_FAILURE_TEXTS = {
    LinkProblem.CANCELLED: ta.LINK_CANCELLED,
    LinkProblem.EXPIRED: ta.LINK_EXPIRED,
    LinkProblem.REUSED: ta.LINK_REUSED,
}


async def notify_link(bot: Bot, services: Services, outcome: LinkOutcome) -> None:
    """Send the link's outcome to the chat that asked for it."""
    markup = None
    if isinstance(outcome, LinkSucceeded):
        text = ta.linked(outcome.account.label, outcome.missing_scopes, outcome.relinked)
        markup = await continue_button(services, outcome.account.telegram_user_id)
    else:
        assert isinstance(outcome, LinkFailed)
        text = _FAILURE_TEXTS.get(outcome.problem) or ta.LINK_TIKTOK_ERROR.format(
            detail=outcome.detail or outcome.problem.value
        )
    if outcome.chat_id is None:
        return  # an unknown state: nobody to tell
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
