"""The requester's tap on a sign-in code (or "It wasn't me"): settle the sign-in once.

Callback data: `lc:<confirmation id>:<code>` or `lc:<id>:no`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.accounts import LinkFailed, LinkProblem, LinkSucceeded
from bot.texts import common
from handlers.context import services, user_id
from handlers.linked import DECLINE, failure_text, success_message


async def confirm_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A code tapped under the prompt: link on the right one, cancel on any other."""
    query, match = update.callback_query, context.match
    if query is None or match is None:
        return
    svc = services(context)
    confirmation_id, answer = int(match["id"]), match["answer"]
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
        text, markup = await success_message(svc, outcome)
    else:
        assert isinstance(outcome, LinkFailed)
        text, markup = failure_text(outcome.problem), None
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


# Ids are range-checked by the pattern (at most 12 digits) before any query.
BUTTONS = ((rf"^lc:(?P<id>\d{{1,12}}):(?P<answer>\d{{2}}|{DECLINE})$", confirm_button),)
