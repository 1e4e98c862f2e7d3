"""The services handlers may call, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts import AccountService, LinkService, TokenManager
from bot.config import Settings
from bot.tiktok import TikTokClient


@dataclass(slots=True)
class Services:
    """Everything a handler needs, stored in `application.bot_data`."""

    settings: Settings
    accounts: AccountService
    links: LinkService
    tokens: TokenManager
    tiktok: TikTokClient
