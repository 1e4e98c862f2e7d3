"""Domain errors, each carrying its own policy; one place turns them into replies.

BotError                    something the user should hear about
├── NoLinkedAccount         the user has no TikTok account linked yet      (link)
├── AccountNotFound         a button/command named an account the user does not own
└── AccountNeedsRelink      the account's refresh token is dead: link again (relink)

Every error the bot expects (these, bot.tiktok's tree, the publishing
errors) answers three questions as attributes:

- `action`: what should happen next (an ErrorAction: relink, retry later, ...);
- `retryable`: whether the same step may succeed later without the user;
- `reason`: the code the user's message is chosen by (bot/texts).

`policy_of` reads them for any exception; the publishing worker decides a
job's fate from it (bot/publishing/outcomes.py) and the chat side picks its
reply from it (handlers/replies.py). See docs/architecture.md, "Errors".
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.tiktok import ErrorAction

__all__ = [
    "AccountNeedsRelink",
    "AccountNotFound",
    "BotError",
    "ErrorAction",
    "ErrorPolicy",
    "NoLinkedAccount",
    "policy_of",
]


class BotError(Exception):
    """An expected failure with a message for the user."""

    action: ErrorAction = ErrorAction.TELL_USER
    retryable: bool = False
    reason: str = "internal"
    # Whether the bot can no longer act for the account (a job TikTok may
    # already hold then ends "unconfirmed", never "failed").
    loses_access: bool = False


class NoLinkedAccount(BotError):
    """The user must link a TikTok account first."""

    action = ErrorAction.LINK
    reason = "no_account"


class AccountNotFound(BotError):
    """The account does not exist or belongs to someone else."""

    reason = "account_gone"
    loses_access = True


class AccountNeedsRelink(BotError):
    """TikTok no longer accepts the account's tokens."""

    action = ErrorAction.RELINK
    reason = "needs_relink"
    loses_access = True

    def __init__(self, account_id: int, label: str) -> None:
        super().__init__(f"account {account_id} needs re-link")
        self.account_id = account_id
        self.label = label


@dataclass(frozen=True, slots=True)
class ErrorPolicy:
    """What an exception means, read from the exception itself."""

    action: ErrorAction
    retryable: bool
    reason: str
    loses_access: bool
    expected: bool  # False: nobody declared a policy, so it is a bug


def policy_of(error: BaseException) -> ErrorPolicy:
    """The policy an exception carries; a bug (retry later, "internal") when it has none."""
    action = getattr(error, "action", None)
    if not isinstance(action, ErrorAction):
        return ErrorPolicy(ErrorAction.BUG, True, "internal", False, expected=False)
    return ErrorPolicy(
        action=action,
        retryable=bool(getattr(error, "retryable", False)),
        reason=str(getattr(error, "reason", "internal")),
        loses_access=bool(getattr(error, "loses_access", False)) or action is ErrorAction.RELINK,
        expected=True,
    )
