"""Counting failed Bot API calls for /metrics, in one place for every send and edit."""

from __future__ import annotations

from typing import Any

from bot.ops import metrics
from handlers.boundary import CommitBeforeSending


class CountingRequest(CommitBeforeSending):
    """The bot's HTTP transport (commit first, then send); a failed call bumps a counter."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send the call; count it when Telegram refuses it or cannot be reached."""
        url = str(args[0] if args else kwargs.get("url", ""))
        api_method = url.rsplit("/", 1)[-1]
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except Exception:
            metrics.telegram_send_failed(api_method)
            raise
        if code >= 400:
            metrics.telegram_send_failed(api_method)
        return code, payload
