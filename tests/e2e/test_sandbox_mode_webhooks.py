"""Sandbox mode with TIKTOK_WEBHOOKS=true: the mounted emulator signs and delivers to the bot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx

from bot.app import BotApp, RunOptions
from bot.config import Settings
from bot.modes.sandbox_mode import attach_sandbox, demo_accounts
from emulators.telegram import FakeTelegram
from emulators.tiktok.consent import submit_consent
from emulators.tiktok.webhooks import AUTHORIZATION_REMOVED
from tests.support.harness import free_port


async def test_sandbox_mode_delivers_signed_webhooks_to_its_own_bot(tmp_path: Path) -> None:
    telegram = FakeTelegram(files_dir=tmp_path / "tg")
    await telegram.start()
    port = free_port()
    settings = Settings(
        _env_file=None,
        telegram_bot_token=telegram.token,
        telegram_api_base_url=telegram.api_base_url,
        telegram_file_base_url=telegram.file_base_url,
        public_base_url=f"http://127.0.0.1:{port}",
        web_port=port,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        data_dir=tmp_path,
        tiktok_webhooks=True,
    )
    options = RunOptions(poll_timeout=1, rate_limiter=False)
    sandbox_settings, sandbox = attach_sandbox(settings, options)
    options.clock = lambda: datetime.fromtimestamp(sandbox.clock.now(), UTC)
    bot = BotApp(sandbox_settings, options)
    try:
        await bot.start()
        user = telegram.user(77, first_name="Maya")
        await user.send_text("/link")
        prompt = await user.wait_for(lambda m: any(b.url for row in m.buttons for b in row))
        url = next(b.url for row in prompt.buttons for b in row if b.url)
        assert url is not None
        open_id = demo_accounts()[0].open_id
        async with httpx.AsyncClient() as browser:
            callback = await submit_consent(browser, url, open_id=open_id)
            await browser.get(callback)
        await user.wait_for("Linked")

        sandbox.remove_authorization(open_id)
        await user.wait_for("removed this bot's access")
        await sandbox.webhooks.wait_idle()
        [delivery] = sandbox.webhooks.sent(AUTHORIZATION_REMOVED)
        assert delivery.url == f"http://127.0.0.1:{port}/webhooks/tiktok"
        assert delivery.status == 200
    finally:
        await bot.stop()
        await sandbox.stop()
        await telegram.stop()
