"""Start-up as an operator meets it: `python -m bot` with a bad or half-filled configuration.

Every problem must be one line naming the variable (or path) and what to do,
exit code 2, no traceback, and never the bot token.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

from emulators.telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[2]
GOOD_TOKEN = "7012345678:AAFakeButWellFormedToken_abcdefghij"
OTHER_TOKEN = "7087654321:AAAnotherWellFormedToken_klmnopqrst"
KEY_ENV = ("TELEGRAM_", "TIKTOK_", "PUBLIC_BASE_URL", "WEB_", "DATA_DIR", "DATABASE_URL")


def bot_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """The process environment with no bot settings but `values` (and a private DATA_DIR)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(KEY_ENV)}
    env.pop("TOKEN_ENCRYPTION_KEY", None)
    env.pop("LOG_LEVEL", None)
    env["PYTHONPATH"] = str(REPO)
    env["DATA_DIR"] = str(tmp_path / "data")
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"
    env.update(values)
    return env


def run_bot(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output, output
    errors = [line for line in result.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1, output
    for needle in needles:
        assert needle in errors[0], output


def with_app(tmp_path: Path, **values: str) -> dict[str, str]:
    """A configuration that would run for real (token, TikTok app), plus `values`."""
    base = {
        "TELEGRAM_BOT_TOKEN": GOOD_TOKEN,
        "TIKTOK_CLIENT_KEY": "key",
        "TIKTOK_CLIENT_SECRET": "secret-value",
        "PUBLIC_BASE_URL": "https://bot.example.com",
        "WEB_PORT": "0",
        # Never the real Telegram, even if a check regressed: nothing listens on port 9.
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
    }
    return bot_env(tmp_path, **{**base, **values})


def test_help_explains_each_mode(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "--help", env=bot_env(tmp_path))
    assert result.returncode == 0
    for mode in ("run ", "sandbox ", "demo ", "db "):
        [line] = [line for line in result.stdout.splitlines() if line.strip().startswith(mode)]
        assert len(line.split()) > 4, result.stdout


def test_env_example_copied_unchanged_falls_back_to_the_demo(tmp_path: Path) -> None:
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    env = bot_env(tmp_path)
    del env["DATA_DIR"], env["DATABASE_URL"]  # as in .env.example
    result = run_bot(tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output and "InvalidToken" not in output, output
    assert "missing: TELEGRAM_BOT_TOKEN" in result.stderr
    assert "running the offline demo" in result.stderr and "sandbox mode" not in result.stderr
    assert "Linked" in result.stdout
    assert " INFO " not in result.stderr  # the chat is not buried under routine logs


def test_malformed_token_is_named_before_anything_connects(tmp_path: Path) -> None:
    result = run_bot(tmp_path, env=with_app(tmp_path, TELEGRAM_BOT_TOKEN="12345-not-a-token"))
    assert_one_clear_line(result, "TELEGRAM_BOT_TOKEN", "@BotFather")
    assert "12345-not-a-token" not in result.stdout + result.stderr


def test_settings_that_do_not_parse_are_named(tmp_path: Path) -> None:
    result = run_bot(tmp_path, env=with_app(tmp_path, ALLOWED_TELEGRAM_USER_IDS="ana,bo"))
    assert_one_clear_line(result, "ALLOWED_TELEGRAM_USER_IDS")


def test_public_base_url_without_scheme(tmp_path: Path) -> None:
    result = run_bot(tmp_path, env=with_app(tmp_path, PUBLIC_BASE_URL="bot.example.com"))
    assert_one_clear_line(result, "PUBLIC_BASE_URL", "https://")


def test_invalid_encryption_key_is_named(tmp_path: Path) -> None:
    result = run_bot(tmp_path, env=with_app(tmp_path, TOKEN_ENCRYPTION_KEY="not-a-fernet-key"))
    assert_one_clear_line(result, "TOKEN_ENCRYPTION_KEY")
    assert "not-a-fernet-key" not in result.stdout + result.stderr


def test_unwritable_data_dir_and_database_are_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = run_bot(tmp_path, env=with_app(tmp_path, DATA_DIR=str(blocker / "data")))
    assert_one_clear_line(result, "DATA_DIR", str(blocker / "data"))
    database = f"sqlite+aiosqlite:///{blocker / 'bot.db'}"
    result = run_bot(tmp_path, env=with_app(tmp_path, DATABASE_URL=database))
    assert_one_clear_line(result, "DATABASE_URL", str(blocker))


def test_webhook_mode_without_a_secret_exits_with_what_is_missing(tmp_path: Path) -> None:
    result = run_bot(tmp_path, env=with_app(tmp_path, TELEGRAM_WEBHOOK="true"))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "missing: TELEGRAM_WEBHOOK_SECRET" in result.stderr
    assert "Traceback" not in output and "AssertionError" not in output, output
    assert "sandbox" not in output.lower(), output


def test_data_dir_and_database_are_private(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "db", "upgrade", env=bot_env(tmp_path))
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "bot.db").stat().st_mode) == 0o600


def test_debug_logging_keeps_sql_and_bot_api_payloads_out(tmp_path: Path) -> None:
    quiet = run_bot(tmp_path, "db", "upgrade", env=bot_env(tmp_path, LOG_LEVEL="DEBUG"))
    assert quiet.returncode == 0, quiet.stderr
    assert " DEBUG aiosqlite" not in quiet.stderr and " DEBUG sqlalchemy" not in quiet.stderr
    verbose = run_bot(
        tmp_path / "data",
        "db",
        "upgrade",
        env=bot_env(tmp_path, LOG_LEVEL="DEBUG", LOG_VERBOSE="1"),
    )
    assert " DEBUG aiosqlite" in verbose.stderr


async def run_bot_async(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return subprocess.CompletedProcess([], process.returncode, out.decode(), err.decode())


async def test_rejected_token_is_one_line_and_never_printed(tmp_path: Path) -> None:
    async with FakeTelegram(token=OTHER_TOKEN, files_dir=tmp_path / "tg") as telegram:
        env = with_app(
            tmp_path,
            TELEGRAM_API_BASE_URL=telegram.api_base_url,
            TELEGRAM_FILE_BASE_URL=telegram.file_base_url,
        )
        result = await run_bot_async(tmp_path, env)
    assert_one_clear_line(result, "TELEGRAM_BOT_TOKEN", "rejected")
    assert GOOD_TOKEN not in result.stdout + result.stderr
    assert GOOD_TOKEN.split(":")[1] not in result.stdout + result.stderr


async def test_unreachable_telegram_is_one_line(tmp_path: Path) -> None:
    # Bound but not listening: every connection is refused, and no one else gets the port.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        env = with_app(
            tmp_path,
            PUBLIC_BASE_URL="http://bot.example.com",
            TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot",
        )
        result = await run_bot_async(tmp_path, env)
    assert_one_clear_line(result, f"can't reach 127.0.0.1:{port}")
    # A real run on http gets told that TikTok wants https.
    assert "PUBLIC_BASE_URL uses http://" in result.stderr
    assert GOOD_TOKEN.split(":")[1] not in result.stdout + result.stderr
