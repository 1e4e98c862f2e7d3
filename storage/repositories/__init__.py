"""Repositories: the only code that talks SQL. They flush, never commit."""

from storage.repositories.accounts import AccountRepository
from storage.repositories.oauth_states import OAuthStateRepository, StateProblem
from storage.repositories.records import AccountTokens, LinkedAccount, PendingLink
from storage.repositories.users import UserRepository

__all__ = [
    "AccountRepository",
    "AccountTokens",
    "LinkedAccount",
    "OAuthStateRepository",
    "PendingLink",
    "StateProblem",
    "UserRepository",
]
