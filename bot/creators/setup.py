"""Build the creator service from the settings: which providers, one policy each."""

from __future__ import annotations

import asyncio
import logging

import httpx

from bot.clock import Clock
from bot.config import Settings
from bot.creators.policy import ClientPolicy, RateLimiter, Seconds, Sleep, TTLCache, UserQuota
from bot.creators.service import CreatorService
from bot.creators.user_info_api import UserInfoAPI
from bot.creators.video_list_api import VideoListAPI

log = logging.getLogger(__name__)

CACHE_TTL = 600.0  # 10 minutes: a repeated lookup costs nothing, numbers stay fresh enough
VIDEO_LIST_PER_SECOND = 3  # the video-list provider's documented limit
USER_INFO_PER_SECOND = 5  # undocumented; a local service, kept gentle


def config_problems(settings: Settings) -> list[str]:
    """One line per creator-provider setting that cannot work as given."""
    if settings.video_list_api_base_url and not _key(settings):
        return [
            "VIDEO_LIST_API_KEY is not set but VIDEO_LIST_API_BASE_URL is: paste the API key from "
            "your video-list provider, or unset the base URL. Creator videos stay off until then."
        ]
    return []


def build_creator_service(
    settings: Settings,
    *,
    http: httpx.AsyncClient,
    clock: Clock,
    sleep: Sleep = asyncio.sleep,
) -> CreatorService:
    """The service with whichever providers the settings enable (possibly none)."""
    for problem in config_problems(settings):
        log.error(problem)

    def seconds() -> float:
        return clock().timestamp()

    quota = UserQuota(settings.creator_lookups_per_day, now=seconds)  # shared by both providers
    profiles = profile_policy = videos = video_policy = None
    if settings.user_info_api_base_url:
        profiles = UserInfoAPI(http=http, base_url=settings.user_info_api_base_url)
        profile_policy = _policy(profiles.name, USER_INFO_PER_SECOND, quota, seconds, sleep)
    key = settings.video_list_api_key
    if settings.video_list_api_base_url and key is not None and _key(settings):
        videos = VideoListAPI(
            http=http,
            base_url=settings.video_list_api_base_url,
            api_key=key,
            region=settings.video_list_api_region,
        )
        video_policy = _policy(videos.name, VIDEO_LIST_PER_SECOND, quota, seconds, sleep)
    return CreatorService(
        profiles=profiles,
        profile_policy=profile_policy,
        videos=videos,
        video_policy=video_policy,
        clock=clock,
    )


def _key(settings: Settings) -> str:
    # An empty VIDEO_LIST_API_KEY= line in .env is no key at all.
    key = settings.video_list_api_key
    return key.get_secret_value().strip() if key is not None else ""


def _policy(name: str, rate: int, quota: UserQuota, now: Seconds, sleep: Sleep) -> ClientPolicy:
    return ClientPolicy(
        name,
        limiter=RateLimiter(rate, 1.0, now=now, sleep=sleep),
        cache=TTLCache(CACHE_TTL, now=now),
        quota=quota,
        sleep=sleep,
    )
