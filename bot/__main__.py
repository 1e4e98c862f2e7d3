"""Command line: `python -m bot [run|sandbox|demo|db upgrade]` (see MODES)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys

from pydantic import ValidationError

from bot.app import BotApp, RunOptions, run_until_stopped
from bot.config import Settings
from bot.logs import configure_logging
from bot.startup import (
    EXIT_CONFIG,
    StartupError,
    check_all,
    check_storage,
    explain_start_failure,
    settings_error,
)
from storage.db import Database, SchemaTooNew

log = logging.getLogger("bot")

MODES = {
    "run": "real Telegram and real TikTok (the default); without credentials it says what "
    "is missing and falls back to sandbox or demo",
    "sandbox": "your real Telegram bot, TikTok emulated in this process: try every flow with "
    "only a bot token",
    "demo": "no accounts at all: a scripted chat against a fake Telegram and the emulated "
    "TikTok, printed as it happens",
    "db": "`db upgrade`: apply database migrations and exit",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Post to TikTok from a Telegram chat. Settings come from .env "
        "(see .env.example).",
        epilog="modes:\n" + "\n".join(f"  {name:<8} {text}" for name, text in MODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("mode", nargs="?", default="run", choices=list(MODES))
    parser.add_argument("db_action", nargs="?", choices=["upgrade"])
    return parser


def _secrets_of(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.tiktok_client_secret]
    values.append(settings.token_encryption_key)
    values.append(settings.telegram_webhook_secret)
    values.append(settings.video_list_api_key)
    return [v.get_secret_value() for v in values if v is not None]


def _started(bot_app: BotApp) -> None:
    # What start-up built (modules, models, handlers) lives as long as the
    # process: the collector's full passes no longer walk it (docs/performance.md).
    gc.freeze()
    _next_step(bot_app)


def _next_step(bot_app: BotApp) -> None:
    application = bot_app.application
    if application is not None:
        print(
            f"Ready. Open https://t.me/{application.bot.username} in Telegram and send /start.",
            file=sys.stderr,
        )


async def _serve(bot_app: BotApp) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await run_until_stopped(bot_app, stop, on_started=_started)


async def _run_sandbox(settings: Settings) -> None:
    from bot.modes.sandbox_mode import attach_sandbox

    options = RunOptions()
    sandbox_settings, sandbox = attach_sandbox(settings, options)
    print(
        "Sandbox mode: TikTok is emulated in this process. Send /link to the bot and sign in "
        "with a demo account right in the chat; nothing reaches the real TikTok.",
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


def _webhook_without_secret(settings: Settings) -> bool:
    return settings.telegram_webhook and not settings.telegram_webhook_secret


def _print_missing(settings: Settings) -> None:
    for line in settings.missing_for_run():
        print(f"missing: {line}", file=sys.stderr)


def _print_scale_out_missing(settings: Settings) -> None:
    for line in settings.missing_for_scale_out():
        print(f"missing: {line}", file=sys.stderr)


def _sandbox(settings: Settings) -> int:
    for warning in check_all(settings, emulated=True):
        log.warning(warning)
    asyncio.run(_run_sandbox(settings))
    return 0


def _demo(settings: Settings) -> int:
    from bot.modes.demo import run_demo

    if settings.log_level.upper() == "INFO" and not settings.log_verbose:
        # The chat is the show: routine INFO lines would bury it (warnings still print).
        configure_logging("WARNING", _secrets_of(settings))
    return asyncio.run(run_demo())


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.mode == "db":
        check_storage(settings)
        asyncio.run(_db_upgrade(settings))
        return 0
    if args.mode == "demo":
        return _demo(settings)
    if _webhook_without_secret(settings):
        # Webhook mode was asked for explicitly: never fall back to something else.
        _print_missing(settings)
        _print_scale_out_missing(settings)
        return EXIT_CONFIG
    if args.mode in ("run", "sandbox") and settings.missing_for_scale_out():
        _print_scale_out_missing(settings)
        return EXIT_CONFIG
    if args.mode == "sandbox":
        if settings.telegram_bot_token is None:
            print(settings.missing_for_run()[0], file=sys.stderr)
            print("Sandbox mode needs a real Telegram bot. Try `python -m bot demo`.")
            return EXIT_CONFIG
        return _sandbox(settings)
    if settings.missing_for_run():
        _print_missing(settings)
        if settings.telegram_bot_token is None:
            print(
                "\nNo Telegram bot token, so running the offline demo instead "
                "(`python -m bot demo`). Set the variables above in .env to run for real.\n",
                file=sys.stderr,
            )
            return _demo(settings)
        print(
            "\nNo TikTok app credentials, so running in sandbox mode (`python -m bot sandbox`): "
            "your Telegram bot works, TikTok is emulated.\n",
            file=sys.stderr,
        )
        return _sandbox(settings)
    for warning in check_all(settings, emulated=False):
        log.warning(warning)
    asyncio.run(_serve(BotApp(settings)))
    return 0


def _fail(problem: StartupError) -> int:
    log.error("%s", problem)
    return EXIT_CONFIG


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (2: fix the configuration)."""
    # Everything the bot writes (database, key file, spool) is for this user only.
    os.umask(0o077)
    args = _parser().parse_args(argv)
    # Redacting from the very first line: even a Settings error must not print a secret.
    configure_logging("INFO")
    try:
        settings = Settings()
        configure_logging(settings.log_level, _secrets_of(settings), verbose=settings.log_verbose)
    except ValidationError as exc:
        return _fail(settings_error(exc))
    except ValueError:
        return _fail(StartupError("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR."))
    try:
        return _dispatch(args, settings)
    except KeyboardInterrupt:
        return 130
    except SchemaTooNew as refused:
        return _fail(StartupError(f"refusing to start: {refused}"))
    except Exception as exc:
        known = explain_start_failure(exc, settings)
        if known is not None:
            return _fail(known)
        # Still through the redacting handler: tracebacks can quote the token.
        log.exception("the bot stopped on an unexpected error")
        return 1


if __name__ == "__main__":
    sys.exit(main())
