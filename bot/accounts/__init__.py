"""Linked TikTok accounts: linking, tokens, choosing, unlinking."""

from bot.accounts.linking import (
    ConfirmationStatus,
    ConfirmationView,
    LinkAwaitingConfirmation,
    LinkFailed,
    LinkOutcome,
    LinkProblem,
    LinkService,
    LinkSucceeded,
    Requester,
)
from bot.accounts.service import AccountService
from bot.accounts.tokens import TokenManager, tokens_from_grant

__all__ = [
    "AccountService",
    "ConfirmationStatus",
    "ConfirmationView",
    "LinkAwaitingConfirmation",
    "LinkFailed",
    "LinkOutcome",
    "LinkProblem",
    "LinkService",
    "LinkSucceeded",
    "Requester",
    "TokenManager",
    "tokens_from_grant",
]
