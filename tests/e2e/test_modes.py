"""Run modes: the CLI's fallbacks, sandbox mode through the mounted emulator, the demo."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.__main__ import main
from bot.app import BotApp, RunOptions
from bot.config import Settings
from bot.modes.demo import run_demo
from bot.modes.sandbox_mode import attach_sandbox
from emulators.telegram import BotMessage, FakeTelegram, FakeUser
from tests.e2e.test_startup import GOOD_TOKEN, bot_env
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


class _Recorder(io.StringIO):
    """Keeps what had been written when the first "Linked" line arrived."""

    at_first_link: str | None = None

    def write(self, text: str) -> int:
        written = super().write(text)
        if self.at_first_link is None and "Linked" in text:
            self.at_first_link = self.getvalue()
        return written


async def test_demo_streams_the_chat_as_a_person_reads_it() -> None:
    out = _Recorder()
    assert await run_demo(out) == 0, out.getvalue()
    story = out.getvalue()
    for expected in (
        "Maya: /start",
        "tiktok.com/@maya.creates/video/",
        "Maya: /comment",
        "Your TikTok accounts",
        "photo",
        "Only me",
        "Maya taps [ ✅ Post to TikTok ]",
        "Maya: /stats",
    ):
        assert expected in story, story
    # As a person sees it: no message ids, no URLs behind buttons, no silent tap answers.
    assert "bot #" not in story and " -> http" not in story, story
    assert "answers the tap" not in story and "[ Link TikTok account ↗ ]" in story, story
    # Streamed: when Maya's account was linked, /stats had not happened yet.
    assert out.at_first_link is not None and "Maya: /stats" not in out.at_first_link
    # Any creator's public stats, from the emulated providers.
    assert "/stats @lily_fashion_us" in story and "Latest videos" in story, story


async def test_sandbox_mode_signs_in_from_the_chat_without_reaching_public_base_url(
    tmp_path: Path,
) -> None:
    """A phone can't open the operator's PUBLIC_BASE_URL: the chat offers the sign-in."""
    telegram = FakeTelegram(files_dir=tmp_path / "tg")
    await telegram.start()
    listener = listening_socket()
    port = int(listener.getsockname()[1])
    settings = Settings(
        _env_file=None,
        telegram_bot_token=telegram.token,
        telegram_api_base_url=telegram.api_base_url,
        telegram_file_base_url=telegram.file_base_url,
        # Nobody can reach this address (TEST-NET-1): only loopback may be used.
        public_base_url="http://192.0.2.10:8080",
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
        prompt = await user.wait_for("Sandbox mode")
        assert [b.text for row in prompt.buttons for b in row] == [
            "Sign in to the sandbox as @maya.creates",
            "Sign in to the sandbox as @ana.makes",
            "Cancel",
        ]
        assert not any(b.url for row in prompt.buttons for b in row)
        await user.tap(prompt, "Sign in to the sandbox as @maya.creates")
        signed_in = await user.wait_for("Signed in at the sandbox")
        code = (signed_in.plain_text or "").split("shows the code ")[1][:2]
        # The same confirmation as with a browser: the page's code, tapped in the chat.
        await user.tap(await harness_code_prompt(user), code)
        await user.wait_for("Linked")
        assert "@maya.creates" in (user.last().text or "")
        await user.send_text("/link")
        again = await user.wait_for("Sandbox mode")
        await user.tap(again, "Cancel")
        await user.wait_for("nothing was linked")
        await user.send_text("/stats @lily_fashion_us")
        await user.wait_for("Latest videos")  # the creator providers are emulated too
        async with httpx.AsyncClient() as browser:
            health = await browser.get(f"http://127.0.0.1:{port}/healthz")
            assert health.json()["database"] == "reachable"
    finally:
        await bot.stop()
        await sandbox.stop()
        await telegram.stop()
        listener.close()


async def harness_code_prompt(user: FakeUser) -> BotMessage:
    return await user.wait_for(
        lambda m: any((b.callback_data or "").startswith("lc:") for row in m.buttons for b in row)
    )


async def test_sandbox_mode_says_what_to_do_next(tmp_path: Path) -> None:
    async with FakeTelegram(token=GOOD_TOKEN, files_dir=tmp_path / "tg") as telegram:
        env = bot_env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=GOOD_TOKEN,
            TELEGRAM_API_BASE_URL=telegram.api_base_url,
            TELEGRAM_FILE_BASE_URL=telegram.file_base_url,
            WEB_PORT="0",  # the OS picks; this check needs no callback
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "sandbox",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stderr is not None
        lines: list[str] = []
        try:
            async with asyncio.timeout(60):  # a deadline for failing, not a wait
                while not any("send /start" in line for line in lines):
                    line = (await process.stderr.readline()).decode()
                    assert line, "".join(lines)  # the process ended before saying it
                    lines.append(line)
        finally:
            process.terminate()
            await process.wait()
    assert f"Open https://t.me/{telegram.bot_username} in Telegram and send /start" in "".join(
        lines
    )
    assert "Traceback" not in "".join(lines)
