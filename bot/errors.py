"""Domain errors the handlers raise and one error handler turns into replies.

BotError                    something the user should hear about
├── NoLinkedAccount         the user has no TikTok account linked yet
├── AccountNotFound         a button/command named an account the user does not own
└── AccountNeedsRelink      the account's refresh token is dead: link again
"""

from __future__ import annotations


class BotError(Exception):
    """An expected failure with a message for the user."""


class NoLinkedAccount(BotError):
    """The user must link a TikTok account first."""


class AccountNotFound(BotError):
    """The account does not exist or belongs to someone else."""


class AccountNeedsRelink(BotError):
    """TikTok no longer accepts the account's tokens."""

    def __init__(self, account_id: int, label: str) -> None:
        super().__init__(f"account {account_id} needs re-link")
        self.account_id = account_id
        self.label = label
