"""The two provider adapters against their emulators, over loopback HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from bot.creators import CreatorNotFound, CreatorPrivate, ProviderKeyInvalid, ProviderUnavailable
from bot.creators.errors import ProviderRateLimited
from bot.creators.user_info_api import UserInfoAPI
from bot.creators.video_list_api import VideoListAPI
from emulators.creators import (
    CreatorWorld,
    UserInfoEmulator,
    VideoListEmulator,
    raw_video,
    seeded_world,
)
from emulators.tiktok import SandboxClock

KEY = "integration-key-123456"


@pytest.fixture
async def world() -> CreatorWorld:
    return seeded_world(time.time())


@pytest.fixture
async def video_list(world: CreatorWorld) -> AsyncIterator[VideoListEmulator]:
    emulator = VideoListEmulator(world, api_keys={KEY})
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def test_a_single_video_and_a_page_match_the_world(
    world: CreatorWorld, video_list: VideoListEmulator, http: httpx.AsyncClient
) -> None:
    api = VideoListAPI(http=http, base_url=video_list.base_url, api_key=SecretStr(KEY))
    lily = world.by_username("lily_fashion_us")
    assert lily is not None
    seeded = lily.public_videos()[3]
    video = await api.video(seeded.aweme_id)
    assert video.stats.play == seeded.play_count and video.video_desc == seeded.desc
    assert video.author_info.unique_id == "lily_fashion_us"
    page = await api.videos(lily.sec_uid, cursor="0", limit=99)  # clamped to the documented 35
    assert len(page.videos) == 35 and page.has_more
    assert [v.as_standard()["aweme_id"] for v in page.videos] == [
        raw_video(lily, v)["aweme_id"] for v in lily.public_videos()[:35]
    ]
    assert video_list.requests[-1].query["limit"] == "35"
    with pytest.raises(CreatorNotFound):
        await api.video("7000000000000000000")


async def test_key_rate_limit_and_outage_are_classified(
    world: CreatorWorld, video_list: VideoListEmulator, http: httpx.AsyncClient
) -> None:
    lily = world.by_username("lily_fashion_us")
    assert lily is not None
    wrong = VideoListAPI(http=http, base_url=video_list.base_url, api_key=SecretStr("nope-nope"))
    with pytest.raises(ProviderKeyInvalid) as refused:
        await wrong.videos(lily.sec_uid, cursor="0", limit=20)
    assert "nope-nope" not in str(refused.value)
    api = VideoListAPI(http=http, base_url=video_list.base_url, api_key=SecretStr(KEY))
    for _ in range(3):
        await api.videos(lily.sec_uid, cursor="0", limit=1)
    with pytest.raises(ProviderRateLimited) as limited:
        await api.videos(lily.sec_uid, cursor="0", limit=1)
    assert limited.value.retry_after == 15
    video_list.down = True
    with pytest.raises(ProviderUnavailable):
        await api.videos(lily.sec_uid, cursor="0", limit=1)


async def test_the_video_list_emulator_is_strict(
    world: CreatorWorld, http: httpx.AsyncClient
) -> None:
    clock = SandboxClock(start=1_800_000_000)
    emulator = VideoListEmulator(world, api_keys={KEY}, now=clock.now)
    base = await emulator.start()
    try:
        lily = world.by_username("lily_fashion_us")
        assert lily is not None
        url = base + "/api/v1/tiktok/user/post/listjson"
        auth = {"Authorization": f"Bearer {KEY}"}
        for params in (
            {"sec_user_id": lily.sec_uid, "limit": "0"},
            {"sec_user_id": lily.sec_uid, "limit": "36"},
            {"sec_user_id": lily.sec_uid, "region": "usa"},
            {"sec_user_id": lily.sec_uid, "max_cursor": "-1"},
            {},
        ):
            reply = await http.get(url, params=params, headers=auth)
            assert reply.status_code == 400 and reply.json()["code"] == 400, params
            clock.advance(1.0)  # stay under 3 requests a second
        reply = await http.get(url, params={"sec_user_id": lily.sec_uid})
        assert reply.status_code == 401 and reply.json()["msg"] == "ApiKey invalid or expired"
        statuses = []
        for _ in range(4):
            statuses.append(
                (
                    await http.get(url, params={"sec_user_id": lily.sec_uid}, headers=auth)
                ).status_code
            )
        assert statuses == [200, 200, 200, 429]
        clock.advance(14.0)
        blocked = await http.get(url, params={"sec_user_id": lily.sec_uid}, headers=auth)
        assert blocked.json()["msg"] == "Request frequency limit, wait 1s"
        clock.advance(1.0)
        assert (
            await http.get(url, params={"sec_user_id": lily.sec_uid}, headers=auth)
        ).status_code == 200
    finally:
        await emulator.stop()


async def test_profiles_and_followings(world: CreatorWorld, http: httpx.AsyncClient) -> None:
    emulator = UserInfoEmulator(world)
    base = await emulator.start()
    try:
        api = UserInfoAPI(http=http, base_url=base)
        lily = world.by_username("lily_fashion_us")
        assert lily is not None
        profile = await api.profile("lily_fashion_us")
        assert (profile.followers, profile.likes, profile.sec_uid) == (
            lily.followers,
            lily.likes,
            lily.sec_uid,
        )
        page = await api.following(lily.sec_uid, cursor=0, count=50)
        assert not page.has_more and page.total == len(lily.followings)
        assert [a.username for a in page.accounts] == [f.unique_id for f in lily.followings]
        with pytest.raises(CreatorNotFound):
            await api.profile("no.such.person")
        quiet = world.by_username("quiet.corner")
        assert quiet is not None
        with pytest.raises(CreatorPrivate):
            await api.following(quiet.sec_uid, cursor=0, count=10)
        bad = await http.get(
            base + "/user-followings", params={"secUid": lily.sec_uid, "count": "0"}
        )
        assert bad.status_code == 400
    finally:
        await emulator.stop()
