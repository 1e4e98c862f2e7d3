"""Command line: `python -m bot [run|sandbox|demo|db upgrade]`.

- run (default): real Telegram, real TikTok. Missing credentials are listed,
  one line each, and the bot falls back to what can run without them:
  sandbox mode when only the TikTok app is missing, the offline demo when the
  Telegram token is missing too.
- sandbox: real Telegram bot, TikTok emulated in-process (no TikTok app needed).
- demo: no accounts at all: a scripted conversation against a fake Telegram
  server and the emulator, printed as a transcript.
- db upgrade: apply database migrations and exit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from bot.app import BotApp, RunOptions, run_until_stopped
from bot.config import Settings
from bot.logs import configure_logging
from storage.db import Database, SchemaTooNew


def _secrets_of(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.tiktok_client_secret]
    values.append(settings.token_encryption_key)
    values.append(settings.video_list_api_key)
    return [v.get_secret_value() for v in values if v is not None]


async def _serve(bot_app: BotApp) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await run_until_stopped(bot_app, stop)


async def _run_sandbox(settings: Settings) -> None:
    from bot.modes.sandbox_mode import attach_sandbox

    options = RunOptions()
    sandbox_settings, sandbox = attach_sandbox(settings, options)
    print(
        "Sandbox mode: TikTok is emulated in this process. Sign in with one of the demo "
        "accounts on the consent page; nothing reaches the real TikTok.",
        file=sys.stderr,
    )
    try:
        await _serve(BotApp(sandbox_settings, options))
    finally:
        await sandbox.stop()


async def _db_upgrade(settings: Settings) -> None:
    db = Database(settings.database_url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()
    print("database is at the newest migration")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    try:
        return _main(argv)
    except SchemaTooNew as refused:
        print(f"refusing to start: {refused}", file=sys.stderr)
        return 2


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "sandbox", "demo", "db"])
    parser.add_argument("db_action", nargs="?", choices=["upgrade"])
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level, _secrets_of(settings))

    if args.mode == "db":
        asyncio.run(_db_upgrade(settings))
        return 0
    if args.mode in ("run", "sandbox") and settings.missing_for_scale_out():
        for line in settings.missing_for_scale_out():
            print(f"missing: {line}", file=sys.stderr)
        return 2
    if args.mode == "demo":
        from bot.modes.demo import run_demo

        return asyncio.run(run_demo())
    if args.mode == "sandbox":
        if settings.telegram_bot_token is None:
            print(settings.missing_for_run()[0], file=sys.stderr)
            print("Sandbox mode needs a real Telegram bot. Try `python -m bot demo`.")
            return 2
        asyncio.run(_run_sandbox(settings))
        return 0

    missing = settings.missing_for_run()
    if missing:
        for line in missing:
            print(f"missing: {line}", file=sys.stderr)
        if settings.telegram_bot_token is None:
            print(
                "\nNo Telegram bot token, so running the offline demo instead "
                "(`python -m bot demo`). Set the variables above in .env to run for real.\n",
                file=sys.stderr,
            )
            from bot.modes.demo import run_demo

            return asyncio.run(run_demo())
        print(
            "\nNo TikTok app credentials, so running in sandbox mode (`python -m bot sandbox`): "
            "your Telegram bot works, TikTok is emulated.\n",
            file=sys.stderr,
        )
        asyncio.run(_run_sandbox(settings))
        return 0
    asyncio.run(_serve(BotApp(settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
