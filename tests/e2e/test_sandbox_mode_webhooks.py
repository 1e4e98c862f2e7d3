"""Sandbox mode with TIKTOK_WEBHOOKS=true: the mounted emulator signs and delivers to the bot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.app import BotApp, RunOptions
from bot.config import Settings
from bot.modes.sandbox_mode import attach_sandbox, demo_accounts
from emulators.telegram import BotMessage, FakeTelegram
from emulators.tiktok.webhooks import AUTHORIZATION_REMOVED
from tests.support.harness import listening_socket


def _has_code(message: BotMessage, code: str) -> bool:
    return any(b.text == code for row in message.buttons for b in row)


async def test_sandbox_mode_delivers_signed_webhooks_to_its_own_bot(tmp_path: Path) -> None:
    telegram = FakeTelegram(files_dir=tmp_path / "tg")
    await telegram.start()
    listener = listening_socket()
    port = int(listener.getsockname()[1])
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
    options = RunOptions(poll_timeout=1, rate_limiter=False, listen_socket=listener)
    sandbox_settings, sandbox = attach_sandbox(settings, options)
    options.clock = lambda: datetime.fromtimestamp(sandbox.clock.now(), UTC)
    bot = BotApp(sandbox_settings, options)
    try:
        await bot.start()
        user = telegram.user(77, first_name="Maya")
        await user.send_text("/link")
        # Sandbox mode signs in from the chat; the page's code is then confirmed there.
        prompt = await user.wait_for("Sandbox mode")
        await user.tap(prompt, "Sign in to the sandbox as @maya.creates")
        signed_in = await user.wait_for("Signed in at the sandbox")
        code = signed_in.visible_text.split("shows the code ")[1][:2]
        await user.tap(await user.wait_for(lambda m: _has_code(m, code)), code)
        open_id = demo_accounts()[0].open_id
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
        listener.close()
