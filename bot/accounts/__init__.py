"""Linked TikTok accounts: linking, tokens, choosing, unlinking."""

from bot.accounts.linking import LinkFailed, LinkOutcome, LinkProblem, LinkService, LinkSucceeded
from bot.accounts.service import AccountService
from bot.accounts.tokens import TokenManager, tokens_from_grant

__all__ = [
    "AccountService",
    "LinkFailed",
    "LinkOutcome",
    "LinkProblem",
    "LinkService",
    "LinkSucceeded",
    "TokenManager",
    "tokens_from_grant",
]
