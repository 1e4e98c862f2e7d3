"""The real bot with both creator-data emulators, sharing one clock with a fake sleeper."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app import RunOptions
from emulators.creators import CreatorWorld, UserInfoEmulator, VideoListEmulator, seeded_world
from emulators.tiktok import SandboxClock
from tests.support.harness import Harness, running_bot

API_KEY = "test-video-list-key-5f3a9c0e1b"


class FakeSleep:
    """Stands in for asyncio.sleep: records each wait and moves the shared clock instead."""

    def __init__(self, clock: SandboxClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(max(0.0, seconds))
        await asyncio.sleep(0)  # still a suspension point, like the real one


@dataclass
class CreatorsBot:
    """The harness plus the creators' world and its two emulators."""

    harness: Harness
    world: CreatorWorld
    videos: VideoListEmulator
    profiles: UserInfoEmulator
    sleep: FakeSleep


@asynccontextmanager
async def creators_bot(
    tmp_path: Path,
    *,
    videos: bool = True,
    profiles: bool = True,
    api_key: str = API_KEY,
    overrides: dict[str, Any] | None = None,
) -> AsyncIterator[CreatorsBot]:
    """Start both emulators and the bot configured for the chosen ones."""
    clock = SandboxClock()
    world = seeded_world(clock.now())
    video_emulator = VideoListEmulator(world, api_keys={API_KEY}, now=clock.now)
    profile_emulator = UserInfoEmulator(world, now=clock.now)
    sleep = FakeSleep(clock)
    settings: dict[str, Any] = {}
    try:
        if videos:
            settings["video_list_api_base_url"] = await video_emulator.start()
            settings["video_list_api_key"] = api_key
        if profiles:
            settings["user_info_api_base_url"] = await profile_emulator.start()
        settings.update(overrides or {})
        async with running_bot(
            tmp_path, clock=clock, options=RunOptions(sleep=sleep), settings_overrides=settings
        ) as harness:
            yield CreatorsBot(harness, world, video_emulator, profile_emulator, sleep)
    finally:
        await video_emulator.stop()
        await profile_emulator.stop()
