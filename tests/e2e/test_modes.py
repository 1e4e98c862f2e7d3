"""Run modes: the CLI's fallbacks, sandbox mode through the mounted emulator, the demo."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.__main__ import main
from bot.app import BotApp, RunOptions
from bot.config import Settings
from bot.modes.demo import run_demo
from bot.modes.sandbox_mode import attach_sandbox, demo_accounts
from bot.web import read_sign_in_code
from emulators.telegram import FakeTelegram
from emulators.tiktok.consent import submit_consent
from tests.support.harness import listening_socket

REPO = Path(__file__).resolve().parents[2]


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TIKTOK_"))}
    env["DATA_DIR"] = str(tmp_path / "data")
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"
    return env


def test_sandbox_mode_without_a_telegram_token_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "TIKTOK_")):
            monkeypatch.delenv(name)
    assert main(["sandbox"]) == 2
    captured = capsys.readouterr()
    assert "TELEGRAM_BOT_TOKEN is not set" in captured.err
    assert "BotFather" in captured.err
    assert "python -m bot demo" in captured.out


async def test_demo_prints_a_whole_conversation() -> None:
    out = io.StringIO()
    assert await run_demo(out) == 0, out.getvalue()
    transcript = out.getvalue()
    for expected in ("/start", "/link", "Linked", "Posting to", "tiktok.com/@maya.creates/video/"):
        assert expected in transcript, transcript


async def test_sandbox_mode_links_through_the_emulator_mounted_in_the_web_server(
    tmp_path: Path,
) -> None:
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
    )
    assert settings.missing_for_run()  # no TikTok app: sandbox mode is the way in
    options = RunOptions(poll_timeout=1, rate_limiter=False, listen_socket=listener)
    sandbox_settings, sandbox = attach_sandbox(settings, options)
    options.clock = lambda: datetime.fromtimestamp(sandbox.clock.now(), UTC)
    bot = BotApp(sandbox_settings, options)
    try:
        await bot.start()
        user = telegram.user(77, first_name="Maya")
        await user.send_text("/link")
        prompt = await user.wait_for(lambda m: bool(m.buttons) or "Link" in (m.text or ""))
        url = next((b.url for row in prompt.buttons for b in row if b.url), None)
        assert url is not None
        assert url.startswith(f"http://127.0.0.1:{port}/sandbox/v2/auth/authorize/")
        async with httpx.AsyncClient() as browser:
            callback = await submit_consent(browser, url, open_id=demo_accounts()[0].open_id)
            page = await browser.get(callback)
            assert page.status_code == 200
            code = read_sign_in_code(page.text)
            assert code is not None
            await user.tap(await user.wait_for("tap the code"), code)
            await user.wait_for("Linked")
            health = await browser.get(f"http://127.0.0.1:{port}/healthz")
            assert health.json() == {"ok": True}
    finally:
        await bot.stop()
        await sandbox.stop()
        await telegram.stop()
        listener.close()
