"""Repositories: the only code that talks SQL. They flush, never commit."""

from storage.repositories.accounts import AccountRepository
from storage.repositories.drafts import DraftRepository, DraftRow
from storage.repositories.insights import (
    BotCommentRecord,
    BotCommentRepository,
    PendingCommentRecord,
    PendingCommentRepository,
    PublishedPostsRepository,
    SnapshotRecord,
    SnapshotRepository,
)
from storage.repositories.link_confirmations import (
    ConfirmationRecord,
    LinkConfirmationRepository,
)
from storage.repositories.oauth_states import OAuthStateRepository, StateProblem
from storage.repositories.publish_jobs import PublishJobRecord, PublishJobRepository
from storage.repositories.records import AccountTokens, LinkedAccount, PendingLink
from storage.repositories.users import UserRepository

__all__ = [
    "AccountRepository",
    "AccountTokens",
    "BotCommentRecord",
    "BotCommentRepository",
    "ConfirmationRecord",
    "DraftRepository",
    "DraftRow",
    "LinkConfirmationRepository",
    "LinkedAccount",
    "OAuthStateRepository",
    "PendingCommentRecord",
    "PendingCommentRepository",
    "PendingLink",
    "PublishJobRecord",
    "PublishJobRepository",
    "PublishedPostsRepository",
    "SnapshotRecord",
    "SnapshotRepository",
    "StateProblem",
    "UserRepository",
]
