"""Webhook delivery (opt-in): POST each pending update to the webhook URL, in order.

Like Telegram: one update per request, JSON body, the
``X-Telegram-Bot-Api-Secret-Token`` header when a secret was set, the update
is confirmed only on a 2xx answer, otherwise retried after a pause, and the
failure shows in getWebhookInfo's ``last_error_date``/``last_error_message``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import aiohttp

from ._world import World

RETRY_PAUSE = 0.5
IDLE_WAIT = 0.2
POST_TIMEOUT = 10.0


class WebhookDelivery:
    """Background task delivering updates while a webhook is set."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the delivery loop on the running event loop."""
        self._task = asyncio.create_task(self._run(), name="fake-telegram-webhook")

    async def stop(self) -> None:
        """Stop delivering and close the HTTP session."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=POST_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                hook = self.world.profile.webhook
                update = self.world.updates.peek()
                if not hook.get("url") or update is None:
                    await self.world.updates.arrived.wait(IDLE_WAIT)
                    continue
                if await self._post(session, hook, update):
                    self.world.updates.confirm(update["update_id"] + 1)
                else:
                    await asyncio.sleep(RETRY_PAUSE)

    async def _post(
        self, session: aiohttp.ClientSession, hook: dict[str, Any], update: dict[str, Any]
    ) -> bool:
        headers = {}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        try:
            async with session.post(hook["url"], json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return True
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"Connection error: {exc}"
        hook["last_error_date"] = int(time.time())
        hook["last_error_message"] = error
        return False
