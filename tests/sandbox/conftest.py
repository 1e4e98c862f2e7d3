"""Fixtures: a started sandbox on a frozen clock, an HTTP client, linked accounts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from emulators.tiktok import SandboxAccount, SandboxApp, SandboxClock, TikTokSandbox
from tests.sandbox.helpers import CLIENT_KEY, CLIENT_SECRET, REDIRECT_URI, T0, Api, link


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(start=T0)


@pytest.fixture
async def sandbox(clock: SandboxClock) -> AsyncIterator[TikTokSandbox]:
    apps = [
        SandboxApp(
            CLIENT_KEY,
            CLIENT_SECRET,
            [REDIRECT_URI],
            allow_http_media=True,
            verified_url_prefixes=["https://media.example/"],
            name="Sandbox Poster",
        ),
        SandboxApp("unaudited_key", "unaudited_secret", [REDIRECT_URI], audited=False),
    ]
    accounts = [
        SandboxAccount("alice", "alice.tt", "Alice", seed_videos=25, follower_count=1234),
        SandboxAccount("bob", "bob.tt", "Bob", private_account=True, seed_videos=2),
        SandboxAccount("carol", "carol.tt", "Carol", comment_disabled=True, duet_disabled=True),
    ]
    sb = TikTokSandbox(apps=apps, accounts=accounts, clock=clock)
    await sb.start()
    try:
        yield sb
    finally:
        await sb.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15.0) as http:
        yield http


@pytest.fixture
async def alice(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> Api:
    tokens = await link(client, sandbox.base_url, "alice")
    return Api(client, sandbox.base_url, tokens["access_token"])


@pytest.fixture
async def bob(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> Api:
    tokens = await link(client, sandbox.base_url, "bob")
    return Api(client, sandbox.base_url, tokens["access_token"])
