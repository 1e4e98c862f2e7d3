"""Logging set-up that keeps secrets out of every log line.

The bot token sits in every Bot API URL and TikTok tokens look like
`act.…`/`rft.…`; the filter rewrites them, and any configured secret, before
a record is formatted. Libraries that quote payloads are held at INFO or
WARNING even under LOG_LEVEL=DEBUG (LOG_VERBOSE lifts that).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_PATTERNS = [
    re.compile(r"bot\d{3,}:[\w-]{20,}"),  # Telegram bot token in URLs
    re.compile(r"\b\d{6,}:[\w-]{30,}\b"),  # a bare bot token
    re.compile(r"\b(?:act|rft|clt)\.[\w.!*~-]{8,}"),  # TikTok tokens
    re.compile(r"(?i)(upload_token|access_token|refresh_token|client_secret|code)=[^&\s\"']+"),
]


class RedactSecrets(logging.Filter):
    """Replace secrets in the message and its arguments with `<redacted>`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._literals = [s for s in secrets if s and len(s) >= 6]

    def redact(self, text: str) -> str:
        """`text` with every known secret shape replaced."""
        for literal in self._literals:
            text = text.replace(literal, "<redacted>")
        for pattern in _PATTERNS:
            text = pattern.sub(
                lambda m: (m.group(1) + "=<redacted>") if m.lastindex else "<redacted>", text
            )
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True


# Libraries whose chatter quotes SQL parameters, Bot API payloads and URLs (OAuth
# states, media tokens): held at these levels whatever LOG_LEVEL says, unless verbose.
# SQLAlchemy logs statements with their parameters at INFO; httpx every URL at INFO.
_LIBRARY_LEVELS = {
    "sqlalchemy": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "telegram": logging.INFO,
    "aiohttp": logging.INFO,
    "asyncio": logging.INFO,
}


def configure_logging(
    level: str, secrets: Iterable[str] = (), *, verbose: bool = False
) -> RedactSecrets:
    """Root logging to stderr with redaction on every handler.

    Raises ValueError for an unknown level name.
    """
    redactor = RedactSecrets(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name, floor in _LIBRARY_LEVELS.items():
        quiet = max(floor, root.level)
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else quiet)
    return redactor
