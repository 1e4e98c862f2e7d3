"""getUpdates long polling and webhooks, with Telegram's semantics."""

from __future__ import annotations

import asyncio
import time

import httpx
from aiohttp import web

from emulators.telegram import FakeTelegram

from .conftest import RawApi


async def test_offset_limit_and_negative_offset(api: RawApi, fake: FakeTelegram) -> None:
    user = fake.user(1)
    for text in ("a", "b", "c"):
        await user.send_text(text)
    first = await api.ok("getUpdates", limit=2)
    assert [u["message"]["text"] for u in first] == ["a", "b"]
    ids = [u["update_id"] for u in first]
    assert ids[1] == ids[0] + 1
    rest = await api.ok("getUpdates", offset=ids[1] + 1)
    assert [u["message"]["text"] for u in rest] == ["c"]
    await user.send_text("d")
    assert [u["message"]["text"] for u in await api.ok("getUpdates", offset=-1)] == ["d"]
    assert fake.pending_update_count == 1


async def test_long_poll_wakes_on_new_update_and_times_out(api: RawApi, fake: FakeTelegram) -> None:
    user = fake.user(2)
    started = time.monotonic()
    assert await api.ok("getUpdates", timeout=0.2) == []
    assert time.monotonic() - started >= 0.15  # it did wait (an upper bound would be flaky)
    poll = asyncio.create_task(api.ok("getUpdates", timeout=30))
    await fake.wait_until_polling()
    await user.send_text("/start")
    # Had the poll run out instead of waking, it would have returned [].
    updates = await poll
    assert updates[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_allowed_updates_filter(api: RawApi, fake: FakeTelegram) -> None:
    user = fake.user(3)
    assert await api.ok("getUpdates", allowed_updates=["callback_query"]) == []
    await user.send_text("ignored")
    await user.tap_data(1, "x")
    updates = await api.ok("getUpdates")
    assert [next(k for k in u if k != "update_id") for u in updates] == ["callback_query"]


async def test_second_poll_terminates_the_first(api: RawApi, fake: FakeTelegram) -> None:
    first = asyncio.create_task(api.call("getUpdates", timeout=5))
    await fake.wait_until_polling()
    assert await api.ok("getUpdates", timeout=0) == []
    response = await first
    assert response.status_code == 409
    assert response.json()["description"] == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot "
        "instance is running"
    )
    assert [e.error_code for e in fake.errors] == [409]


async def test_stop_answers_a_waiting_poll_promptly() -> None:
    fake = FakeTelegram()
    await fake.start()
    async with httpx.AsyncClient(timeout=10) as client:
        poll = asyncio.create_task(
            client.post(f"{fake.api_base_url}{fake.token}/getUpdates", json={"timeout": 30})
        )
        await fake.wait_until_polling()
        await fake.stop()
        # Promptly: the poll asked for 30 s, the client gives up after 10.
        response = await poll
    assert response.json() == {"ok": True, "result": []}


async def test_webhook_blocks_polling(api: RawApi, fake: FakeTelegram) -> None:
    assert await api.error("setWebhook", url="http://example.com/hook") == (
        400,
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    )
    assert (await api.error("setWebhook", url="https://example.com:1234/hook"))[1].endswith(
        "Webhook can be set up only on ports 80, 88, 443 or 8443"
    )
    assert await api.ok("setWebhook", url="https://example.com/hook", secret_token="s3cr-t_")
    await fake.user(4).send_text("pending")
    info = await api.ok("getWebhookInfo")
    assert (info["url"], info["pending_update_count"]) == ("https://example.com/hook", 1)
    assert await api.error("getUpdates") == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
        "delete the webhook first",
    )
    assert await api.ok("deleteWebhook", drop_pending_updates=True) is True
    assert await api.ok("getUpdates") == []
    assert (await api.ok("getWebhookInfo"))["url"] == ""


async def test_webhook_delivery_posts_updates_with_the_secret() -> None:
    received: list[tuple[str | None, dict[str, object]]] = []
    both = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        if len(received) == 2:
            both.set()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        async with FakeTelegram(webhook_delivery=True) as fake, httpx.AsyncClient() as client:
            url = f"{fake.api_base_url}{fake.token}/setWebhook"
            response = await client.post(
                url, json={"url": f"http://{host}:{port}/hook", "secret_token": "abc"}
            )
            assert response.json()["result"] is True
            user = fake.user(5)
            await user.send_text("one")
            await user.send_text("two")
            await asyncio.wait_for(both.wait(), 10)
            await fake.wait_until_delivered()
            assert fake.pending_update_count == 0
    finally:
        await runner.cleanup()
    assert [secret for secret, _ in received] == ["abc", "abc"]
    assert [update["message"]["text"] for _, update in received] == ["one", "two"]  # type: ignore[index]
