"""Settings from the environment."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_SCOPES, Settings


def test_defaults_follow_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.tiktok_scopes == DEFAULT_SCOPES
    assert settings.redirect_uri == "http://127.0.0.1:8080/oauth/tiktok/callback"
    assert settings.database_url == "sqlite+aiosqlite:///data/bot.db"
    missing = settings.missing_for_run()
    assert len(missing) == 3
    assert "TELEGRAM_BOT_TOKEN" in missing[0] and "BotFather" in missing[0]
    assert "TIKTOK_CLIENT_KEY" in missing[1] and "developers.tiktok.com" in missing[1]


def test_environment_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TIKTOK_SCOPES", "user.info.basic, video.publish")
    monkeypatch.setenv("ALLOWED_TELEGRAM_USER_IDS", "1, 2,3")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://bot.example.com/")
    monkeypatch.setenv("TIKTOK_CLIENT_KEY", "k")
    monkeypatch.setenv("TIKTOK_CLIENT_SECRET", "s")
    settings = Settings(_env_file=None)
    assert settings.tiktok_scopes == ("user.info.basic", "video.publish")
    assert settings.allowed_telegram_user_ids == frozenset({1, 2, 3})
    # No trailing slash: the redirect URI must match the registered one exactly.
    assert settings.redirect_uri == "https://bot.example.com/oauth/tiktok/callback"
    assert settings.missing_for_run() == []
    assert "123:abc" not in repr(settings)


def test_webhook_mode_needs_a_shared_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "TELEGRAM_BOT_TOKEN": "1:a",
        "TIKTOK_CLIENT_KEY": "k",
        "TIKTOK_CLIENT_SECRET": "s",
        "TELEGRAM_WEBHOOK": "true",
        "PUBLIC_BASE_URL": "https://bot.example.com",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    settings = Settings(_env_file=None)
    [line] = settings.missing_for_run()
    assert "TELEGRAM_WEBHOOK_SECRET" in line
    assert settings.webhook_url == "https://bot.example.com/telegram/webhook"
