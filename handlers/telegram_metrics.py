"""Counting failed Bot API calls for /metrics, in one place for every send and edit."""

from __future__ import annotations

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import HTTPXRequest, RequestData

from bot.ops import metrics


class CountingRequest(HTTPXRequest):
    """PTB's HTTP transport for bot calls; a refused or failed call bumps a counter."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the call; count it when Telegram refuses it or cannot be reached."""
        api_method = url.rsplit("/", 1)[-1]
        try:
            code, payload = await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except Exception:
            metrics.telegram_send_failed(api_method)
            raise
        if code >= 400:
            metrics.telegram_send_failed(api_method)
        return code, payload
