"""Which providers the settings enable, and the one-line problems."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from bot.config import Settings
from bot.creators import build_creator_service
from bot.creators.setup import config_problems


def clock() -> datetime:
    return datetime(2026, 12, 1, tzinfo=UTC)


async def test_providers_follow_the_settings() -> None:
    async with httpx.AsyncClient() as http:
        none = build_creator_service(Settings(_env_file=None), http=http, clock=clock)
        assert not none.configured
        both = build_creator_service(
            Settings(
                _env_file=None,
                video_list_api_base_url="https://videos.example",
                video_list_api_key="k-123",
                user_info_api_base_url="http://localhost:3000/tiktok",
            ),
            http=http,
            clock=clock,
        )
        assert both.has_videos and both.has_profiles


async def test_a_base_url_without_a_key_is_one_clear_line_and_no_provider() -> None:
    for key in (None, "", "  "):
        settings = Settings(
            _env_file=None, video_list_api_base_url="https://videos.example", video_list_api_key=key
        )
        [problem] = config_problems(settings)
        assert problem.startswith("VIDEO_LIST_API_KEY is not set but VIDEO_LIST_API_BASE_URL is")
        async with httpx.AsyncClient() as http:
            service = build_creator_service(settings, http=http, clock=clock)
        assert not service.has_videos
    assert config_problems(Settings(_env_file=None)) == []
