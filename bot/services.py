"""The services handlers may call, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts import AccountService, LinkService, TokenManager
from bot.accounts.chat_sign_in import ChatSignIn
from bot.comments import CommentService
from bot.config import Settings
from bot.creators import CreatorService
from bot.insights import InsightsService
from bot.publishing.albums import AlbumService
from bot.publishing.drafts import DraftService
from bot.publishing.worker import PublishService
from bot.scheduling.preferences import UserPreferences
from bot.scheduling.queue import PostQueue
from bot.teams import TeamService
from bot.tiktok import TikTokClient
from storage.db import Database


@dataclass(slots=True)
class Services:
    """Everything a handler needs, stored in `application.bot_data`."""

    settings: Settings
    db: Database
    accounts: AccountService
    links: LinkService
    tokens: TokenManager
    tiktok: TikTokClient
    drafts: DraftService
    publishing: PublishService
    albums: AlbumService  # albums collected in the database (any process gets any item)
    # /stats and /comment (built by BotApp; None only in partial test setups).
    insights: InsightsService | None = None
    comments: CommentService | None = None
    # Time zone and typed-answer state (scheduling, /settings).
    preferences: UserPreferences | None = None
    queue: PostQueue | None = None
    # /stats @anyone, /following, /compare, /watch.
    creators: CreatorService | None = None
    # Sandbox mode only: consent at the emulated TikTok from inside the chat.
    chat_sign_in: ChatSignIn | None = None
    # Teams: a group shares accounts, the owner approves (/team).
    teams: TeamService | None = None
