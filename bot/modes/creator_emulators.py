"""Sandbox and demo: the creator-data providers emulated locally, so /stats @name works offline.

Only providers the operator has not configured are emulated; a configured
one is used as is.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from aiohttp import web
from pydantic import SecretStr

from bot.config import Settings
from emulators.creators import UserInfoEmulator, VideoListEmulator, seeded_world

VIDEO_LIST_PREFIX = "/creators-sandbox/video-list"
USER_INFO_PREFIX = "/creators-sandbox/user-info"
DEMO_CREATOR = "lily_fashion_us"  # the creator of the provider documentation's own sample

WebMount = Callable[[web.Application], None]


def emulated_providers(
    settings: Settings, origin: str, *, now: Callable[[], float] = time.time
) -> tuple[Settings, list[WebMount]]:
    """Settings pointing the missing providers at emulators, and how to mount those."""
    world = seeded_world(now())
    update: dict[str, object] = {}
    mounts: list[WebMount] = []
    if not settings.video_list_api_base_url:
        key = secrets.token_urlsafe(18)
        videos = VideoListEmulator(world, api_keys={key}, now=now)
        update["video_list_api_base_url"] = origin + VIDEO_LIST_PREFIX
        update["video_list_api_key"] = SecretStr(key)
        mounts.append(_mount(VIDEO_LIST_PREFIX, videos.web_app))
    if not settings.user_info_api_base_url:
        profiles = UserInfoEmulator(world, now=now)
        update["user_info_api_base_url"] = origin + USER_INFO_PREFIX + profiles.prefix
        mounts.append(_mount(USER_INFO_PREFIX, profiles.web_app))
    return settings.model_copy(update=update), mounts


def _mount(prefix: str, build: Callable[[], web.Application]) -> WebMount:
    def mount(app: web.Application) -> None:
        app.add_subapp(prefix, build())

    return mount
