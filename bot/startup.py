"""Start-up checks: every configuration problem becomes one line naming what to fix.

Run before anything connects anywhere, so a newcomer reads "TELEGRAM_BOT_TOKEN
doesn't look like a bot token" instead of a 100-line traceback. Problems that
only the network reveals (a rejected token, Telegram unreachable) are turned
into the same kind of line by `explain_start_failure`.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config import Settings

# What @BotFather hands out: the bot's numeric id, a colon, 35 URL-safe characters.
_TOKEN_SHAPE = re.compile(r"^\d{5,16}:[A-Za-z0-9_-]{30,64}$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
EXIT_CONFIG = 2


class StartupError(Exception):
    """A configuration or start-up problem, already worded for the operator."""


def settings_error(exc: ValidationError) -> StartupError:
    """The first invalid variable of a failed Settings(), named the way .env spells it."""
    first = exc.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
    return StartupError(f"{name} is invalid: {first['msg']}. Fix it in .env or the environment.")


def check_token(settings: Settings) -> None:
    """The bot token has BotFather's shape (checked locally, before any request)."""
    token = settings.telegram_bot_token
    if token is None:
        return
    if not _TOKEN_SHAPE.match(token.get_secret_value().strip()):
        raise StartupError(
            "TELEGRAM_BOT_TOKEN doesn't look like a bot token (digits, a colon, then about "
            "35 letters, digits, _ or -): copy it again from @BotFather (/token)."
        )


def check_public_base_url(settings: Settings, *, emulated: bool) -> str | None:
    """PUBLIC_BASE_URL is an http(s) origin; returns a warning for plain http in real runs."""
    url = settings.public_base_url
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise StartupError(
            f"PUBLIC_BASE_URL must be a full origin starting with https:// "
            f"(e.g. https://bot.example.com), not {url!r}."
        )
    if parts.scheme == "http" and not emulated:
        return (
            "PUBLIC_BASE_URL uses http://: TikTok accepts only https redirect URIs and media "
            "URLs, so linking and photo posts will fail outside sandbox mode."
        )
    return None


def check_encryption_key(settings: Settings) -> None:
    """Each key in TOKEN_ENCRYPTION_KEY is a valid Fernet key."""
    secret = settings.token_encryption_key
    if secret is None:
        return
    for key in (k.strip() for k in secret.get_secret_value().split(",")):
        try:
            Fernet(key.encode())
        except ValueError:
            raise StartupError(
                "TOKEN_ENCRYPTION_KEY is not a valid Fernet key (44 URL-safe base64 "
                "characters): generate one with "
                '`python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"`.'
            ) from None


def _writable_dir(path: Path, variable: str, *, private: bool) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if private:
            # Tokens' key file, spool and database live here: owner only.
            path.chmod(0o700)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise StartupError(
            f"{variable} {str(path)!r} is not a writable directory ({exc.strerror or exc}): "
            "choose a directory this user can write to."
        ) from None


def check_storage(settings: Settings) -> None:
    """DATA_DIR and a SQLite database's directory can be created and written; both private."""
    _writable_dir(settings.data_dir, "DATA_DIR", private=True)
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        raise StartupError(
            f"DATABASE_URL {settings.database_url!r} is not a database URL "
            "(e.g. sqlite+aiosqlite:///data/bot.db)."
        ) from None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    database = Path(url.database)
    _writable_dir(database.parent, "DATABASE_URL's directory", private=False)
    if database.exists():
        if not os.access(database, os.W_OK):
            raise StartupError(
                f"DATABASE_URL points at {str(database)!r}, which this user cannot write."
            )
        database.chmod(0o600)


def check_all(settings: Settings, *, emulated: bool) -> list[str]:
    """Run every local check; raise StartupError on the first problem, return warnings."""
    check_token(settings)
    warning = check_public_base_url(settings, emulated=emulated)
    check_encryption_key(settings)
    check_storage(settings)
    return [warning] if warning else []


def explain_start_failure(exc: BaseException, settings: Settings) -> StartupError | None:
    """A known failure while connecting, worded for the operator; None when unknown."""
    from telegram.error import InvalidToken, NetworkError

    if isinstance(exc, StartupError):
        return exc
    if isinstance(exc, InvalidToken):
        return StartupError(
            "TELEGRAM_BOT_TOKEN was rejected by Telegram (revoked, or from another bot): "
            "get the current token from @BotFather (/token)."
        )
    if isinstance(exc, NetworkError):
        host = urlsplit(settings.telegram_api_base_url).netloc or "api.telegram.org"
        return StartupError(
            f"can't reach {host}: {exc.message}. Check the network, or TELEGRAM_API_BASE_URL."
        )
    if isinstance(exc, OSError) and exc.errno in {errno.EADDRINUSE, errno.EADDRNOTAVAIL}:
        return StartupError(
            f"can't start the web server on WEB_HOST={settings.web_host} "
            f"WEB_PORT={settings.web_port}: {exc.strerror}."
        )
    return None
