"""Link outcomes in the chat: the code prompt, its buttons, and the final word.

Callback data: `lc:<confirmation id>:<code>` for a code, `lc:<id>:no` for
"It wasn't me".
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.accounts import (
    LinkAwaitingConfirmation,
    LinkFailed,
    LinkOutcome,
    LinkProblem,
    LinkSucceeded,
)
from bot.services import Services
from bot.texts import accounts as ta
from bot.texts import common
from bot.texts import composer as tc
from handlers.context import parse_callback, services, user_id

CODES_PER_ROW = 5
DECLINE = "no"

_FAILURE_TEXTS = {
    LinkProblem.CANCELLED: ta.LINK_CANCELLED,
    LinkProblem.EXPIRED: ta.LINK_EXPIRED,
    LinkProblem.REUSED: ta.LINK_REUSED,
    LinkProblem.WRONG_CODE: ta.LINK_WRONG_CODE,
    LinkProblem.DECLINED: ta.LINK_DECLINED,
}


def _code_keyboard(outcome: LinkAwaitingConfirmation) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(code, callback_data=f"lc:{outcome.confirmation_id}:{code}")
        for code in outcome.choices
    ]
    rows = [buttons[i : i + CODES_PER_ROW] for i in range(0, len(buttons), CODES_PER_ROW)]
    rows.append(
        [
            InlineKeyboardButton(
                ta.BUTTON_NOT_ME, callback_data=f"lc:{outcome.confirmation_id}:{DECLINE}"
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def failure_text(problem: LinkProblem) -> str:
    """The fixed sentence for a link that did not happen (never TikTok's own words)."""
    return _FAILURE_TEXTS.get(problem, ta.LINK_TIKTOK_ERROR)


async def _continue_button(svc: Services, telegram_user_id: int) -> InlineKeyboardMarkup | None:
    """A button back to the media the user sent before linking, if any."""
    waiting = await svc.drafts.waiting_for_account(telegram_user_id)
    if not waiting:
        return None
    draft = max(waiting, key=lambda d: d.id)
    what = "video" if draft.kind == "video" else "photos"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tc.BUTTON_CONTINUE.format(what=what), callback_data=f"d:{draft.id}:op"
                )
            ]
        ]
    )


async def _success(
    svc: Services, outcome: LinkSucceeded
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = ta.linked(outcome.account.label, outcome.missing_scopes, outcome.relinked)
    return text, await _continue_button(svc, outcome.account.telegram_user_id)


class LinkNotifier:
    """Tells the requester's chat what the web callback did."""

    def __init__(self, bot: Bot, svc: Services) -> None:
        self._bot = bot
        self._svc = svc

    async def notify(self, outcome: LinkOutcome) -> None:
        """Send the code prompt, or say why nothing was linked."""
        markup: InlineKeyboardMarkup | None = None
        if outcome.chat_id is None:
            return
        if isinstance(outcome, LinkAwaitingConfirmation):
            text = ta.CONFIRM_PROMPT.format(label=common.esc(outcome.account_label))
            markup = _code_keyboard(outcome)
        elif isinstance(outcome, LinkSucceeded):
            text, markup = await _success(self._svc, outcome)
        else:
            text = failure_text(outcome.problem)
        await self._bot.send_message(outcome.chat_id, text, parse_mode="HTML", reply_markup=markup)


async def confirm_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A code (or "It wasn't me") tapped under the prompt: settle the sign-in once."""
    query = update.callback_query
    if query is None:
        return
    parts = parse_callback(query.data, "lc", 2)
    # Range-checked before any query: ids are database integers.
    if parts is None or not parts[0].isdigit() or len(parts[0]) > 12:
        await query.answer(common.STALE_BUTTON)
        return
    svc = services(context)
    confirmation_id, answer = int(parts[0]), parts[1]
    if answer == DECLINE:
        outcome = await svc.links.decline(confirmation_id, telegram_user_id=user_id(update))
    else:
        outcome = await svc.links.confirm(
            confirmation_id, telegram_user_id=user_id(update), answer=answer
        )
    if isinstance(outcome, LinkFailed) and outcome.problem is LinkProblem.UNKNOWN_STATE:
        await query.answer(common.STALE_BUTTON)
        return
    await query.answer()
    if isinstance(outcome, LinkSucceeded):
        text, markup = await _success(svc, outcome)
    else:
        assert isinstance(outcome, LinkFailed)
        text, markup = failure_text(outcome.problem), None
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
