"""Webhook mode: Telegram POSTs updates to the bot's web server with a shared secret."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.harness import WEBHOOK_SECRET, running_bot


async def test_updates_arrive_by_webhook_and_forgeries_are_refused(tmp_path: Path) -> None:
    async with running_bot(tmp_path, webhook=True) as harness:
        [set_call] = harness.tg.calls_to("setWebhook")
        assert set_call.params["url"] == harness.settings.public_base_url + "/telegram/webhook"
        assert set_call.params["secret_token"] == WEBHOOK_SECRET
        assert harness.tg.calls_to("getUpdates") == []  # no polling in webhook mode

        user = harness.user()
        await user.send_text("/start")
        await user.wait_for("I post to")
        page = await harness.open_link(user)
        assert page.status_code == 200
        await user.wait_for("Linked")

        forged = {
            "update_id": 999_999,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 6666, "type": "private"},
                "from": {"id": 6666, "is_bot": False, "first_name": "Eve"},
                "text": "/accounts",
            },
        }
        url = harness.settings.public_base_url + "/telegram/webhook"
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, json=forged)
            wrong = await client.post(
                url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
            )
        assert (missing.status_code, wrong.status_code) == (403, 403)
        sends = [c for c in harness.tg.calls_to("sendMessage") if c.params.get("chat_id") == 6666]
        assert sends == []
