"""The sandbox's webhooks: TikTok's body and signature, retries, duplicates, no URL no call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.tiktok.signature import verify
from emulators.tiktok import TikTokSandbox
from emulators.tiktok.webhooks import AUTHORIZATION_REMOVED
from tests.sandbox.helpers import CLIENT_KEY, CLIENT_SECRET, T0, Api


@dataclass
class Receiver:
    """A webhook endpoint answering `statuses` in turn (then 200), recording every call."""

    statuses: list[int] = field(default_factory=list)
    calls: list[tuple[bytes, str]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((await request.read(), request.headers.get("TikTok-Signature", "")))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
async def receiver(sandbox: TikTokSandbox) -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/hook", found.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    sandbox.apps[CLIENT_KEY].webhook_url = f"http://127.0.0.1:{port}/hook"
    sandbox.webhooks.retry_delays = (0.0, 0.0)
    try:
        yield found
    finally:
        await runner.cleanup()


async def test_authorization_removed_is_signed_like_tiktok(
    sandbox: TikTokSandbox, alice: Api, receiver: Receiver
) -> None:
    sandbox.remove_authorization("alice")
    await sandbox.webhooks.wait_idle()
    [(body, header)] = receiver.calls
    signed = verify(header, body, secret=CLIENT_SECRET, now=T0)
    assert signed.timestamp == int(T0)
    payload = json.loads(body)
    assert payload["client_key"] == CLIENT_KEY
    assert payload["event"] == AUTHORIZATION_REMOVED
    assert payload["user_openid"] == "alice"
    assert payload["create_time"] == int(T0)
    assert isinstance(payload["content"], str)  # a JSON document inside a string
    assert json.loads(payload["content"]) == {"reason": 1}
    # The grant is gone: the old token no longer works.
    reply = await alice.get("/v2/user/info/", fields="open_id")
    assert reply.status_code == 401


async def test_failed_deliveries_are_retried_and_signed_anew(
    sandbox: TikTokSandbox, alice: Api, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    sandbox.remove_authorization("alice")
    await sandbox.webhooks.wait_idle()
    assert [d.status for d in sandbox.webhooks.sent()] == [500, 503, 200]
    bodies = {body for body, _ in receiver.calls}
    assert len(bodies) == 1  # the same event
    times = [verify(h, b, secret=CLIENT_SECRET, now=T0 + 5).timestamp for b, h in receiver.calls]
    assert times == sorted(set(times))  # every attempt has its own, later signature time


async def test_a_duplicate_is_sent_on_purpose(
    sandbox: TikTokSandbox, alice: Api, receiver: Receiver
) -> None:
    sandbox.webhooks.duplicate_next()
    sandbox.remove_authorization("alice")
    await sandbox.webhooks.wait_idle()
    assert [d.duplicate for d in sandbox.webhooks.sent()] == [False, True]
    assert receiver.calls[0][0] == receiver.calls[1][0]
    assert receiver.calls[0][1] != receiver.calls[1][1]


async def test_no_url_no_delivery(sandbox: TikTokSandbox, alice: Api) -> None:
    sandbox.remove_authorization("alice")
    await sandbox.webhooks.wait_idle()
    assert sandbox.webhooks.sent() == []
