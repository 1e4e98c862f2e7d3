"""POST /webhooks/tiktok: where TikTok delivers its signed events.

The answer is quick and carries nothing: 200 once the event is stored (or
was stored before), 401 without a valid signature, 403 for a stale or
replayed one, 400 for a signed body we cannot read, 503 while this process
shuts down (TikTok delivers again). The effects run after
the answer (WebhookService.dispatch).
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.config import TIKTOK_WEBHOOK_PATH
from bot.publishing.webhooks import Verdict, WebhookService
from bot.tiktok.signature import SIGNATURE_HEADER

log = logging.getLogger(__name__)

WEBHOOK_SERVICE = web.AppKey("tiktok_webhook_service", WebhookService)

_REFUSALS = {
    Verdict.UNSIGNED: 401,
    Verdict.STALE: 403,
    Verdict.REPLAY: 403,
    Verdict.UNREADABLE: 400,
    Verdict.STOPPING: 503,
}


async def tiktok_webhook(request: web.Request) -> web.Response:
    """Verify and store one TikTok event, answer at once, act afterwards."""
    service = request.app[WEBHOOK_SERVICE]
    body = await request.read()
    receipt = await service.receive(body, request.headers.get(SIGNATURE_HEADER))
    if receipt.verdict.refused:
        log.warning("tiktok webhook refused (%s) from %s", receipt.verdict.value, request.remote)
        return web.Response(status=_REFUSALS[receipt.verdict])
    if receipt.event_id is not None:
        service.dispatch(receipt.event_id)
    return web.Response(status=200)


def mount_tiktok_webhooks(app: web.Application, service: WebhookService) -> None:
    """Add the TikTok webhook route (TIKTOK_WEBHOOKS=true)."""
    app[WEBHOOK_SERVICE] = service
    app.router.add_post(TIKTOK_WEBHOOK_PATH, tiktok_webhook)
