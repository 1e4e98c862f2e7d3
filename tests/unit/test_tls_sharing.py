"""The bot's Telegram clients share the process's one TLS context (bot/tls.py)."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest

from bot.app import BotApp
from bot.config import Settings
from bot.tls import client_tls


def test_building_the_telegram_application_loads_the_ca_bundle_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[ssl.SSLContext] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        context = real(*args, **kwargs)
        made.append(context)
        return context

    monkeypatch.setattr(ssl, "create_default_context", counting)
    client_tls.cache_clear()  # an earlier test of this process may have loaded it
    settings = Settings(
        _env_file=None,
        telegram_bot_token="1234567:" + "A" * 35,
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
    )
    BotApp(settings)._build_application()
    # Each context costs 40-90 ms of CPU at start-up: getUpdates and the other
    # Bot API calls (two clients) must both use the shared one.
    assert made == [client_tls()]
