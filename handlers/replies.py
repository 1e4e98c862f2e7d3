"""The one place that turns an error into what the user reads.

Driven by the error's own policy (bot/errors.py): its `action` picks the
kind of answer (link, re-link, try later, ...) and its `reason` the words.
The PTB error handler answers with it; a failed job's message uses the same
reason codes (bot/texts/publishing.py), so one error reads the same
wherever it surfaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.creators import CreatorDataError
from bot.errors import AccountNeedsRelink, ErrorAction, ErrorPolicy, policy_of
from bot.texts import accounts as ta
from bot.texts import common as t
from handlers.creators import creator_error_text
from handlers.keyboards import relink_keyboard


@dataclass(frozen=True, slots=True)
class Reply:
    """A message for the user, with buttons when there is something to tap."""

    text: str
    markup: InlineKeyboardMarkup | None = None


# By (action, reason): the words for errors whose answer does not depend on
# the account. Anything else is a bug on our side: logged, and told so.
_TEXTS = {
    (ErrorAction.LINK, "no_account"): ta.NO_ACCOUNTS,
    (ErrorAction.TELL_USER, "account_gone"): t.STALE_BUTTON,
    (ErrorAction.RETRY_LATER, "rate_limit_exceeded"): t.TIKTOK_RATE_LIMITED,
    (ErrorAction.RETRY_LATER, "tiktok_unavailable"): t.TIKTOK_UNAVAILABLE,
    (ErrorAction.RELINK, "scope_missing"): ta.SCOPE_MISSING,
}


def error_reply(error: BaseException) -> Reply:
    """What to tell the user about `error`."""
    if isinstance(error, CreatorDataError):
        return Reply(creator_error_text(error))  # words with values (seconds, limits, names)
    if isinstance(error, AccountNeedsRelink):
        return Reply(
            ta.NEEDS_RELINK.format(label=t.esc(error.label)),
            relink_keyboard(error.account_id, error.label),
        )
    key = _key(policy_of(error))
    return Reply(_TEXTS.get(key, t.INTERNAL_ERROR) if key else t.INTERNAL_ERROR)


def is_bug(error: BaseException) -> bool:
    """Whether the error is ours to fix (it is logged with its traceback)."""
    if isinstance(error, CreatorDataError):
        return False  # creator_error_text logs what the operator must see
    return not isinstance(error, AccountNeedsRelink) and _key(policy_of(error)) not in _TEXTS


def _key(policy: ErrorPolicy) -> tuple[ErrorAction, str] | None:
    return (policy.action, policy.reason) if policy.expected else None
