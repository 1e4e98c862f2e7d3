"""The bot's own web server (aiohttp, same event loop as the bot).

Routes: the OAuth callback page, and whatever features add (/healthz and
/metrics from bot/ops, photo media for TikTok pulls, the sandbox in sandbox mode).
"""

from __future__ import annotations

import hmac
import html
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.accounts import LinkFailed, LinkOutcome, LinkProblem, LinkService, LinkSucceeded
from bot.config import CALLBACK_PATH, WEBHOOK_PATH
from bot.texts import accounts as t

log = logging.getLogger(__name__)

Notify = Callable[[LinkOutcome], Awaitable[None]]
UpdateSink = Callable[[dict[str, Any]], Awaitable[None]]

LINK_SERVICE = web.AppKey("link_service", LinkService)
NOTIFY: web.AppKey[Notify] = web.AppKey("notify")
BOT_USERNAME = web.AppKey("bot_username", str)
WEBHOOK_SINK: web.AppKey[UpdateSink] = web.AppKey("webhook_sink")
WEBHOOK_SECRET = web.AppKey("webhook_secret", str)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>
 body{{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
   font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;
   background:linear-gradient(135deg,#25f4ee22,#fe2c5522),#fafafa;color:#161823}}
 main{{background:#fff;border-radius:20px;box-shadow:0 10px 40px #0001;padding:40px 32px;
   max-width:380px;margin:16px;text-align:center}}
 .icon{{font-size:56px;line-height:1}}
 h1{{font-size:24px;margin:16px 0 8px}}
 p{{color:#555;line-height:1.5;margin:0 0 28px}}
 a.button{{display:inline-block;background:#fe2c55;color:#fff;text-decoration:none;
   padding:14px 28px;border-radius:12px;font-weight:600}}
</style></head>
<body><main><div class="icon">{icon}</div><h1>{title}</h1><p>{body}</p>
<a class="button" href="{back}">{button}</a></main></body></html>
"""


# Inline SVG, not emoji: emoji depend on the device's fonts.
_ICON_OK = (
    '<svg width="64" height="64" viewBox="0 0 64 64" aria-hidden="true">'
    '<circle cx="32" cy="32" r="30" fill="#25c26e"/>'
    '<path d="M19 33l9 9 17-19" fill="none" stroke="#fff" stroke-width="6" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)
_ICON_PROBLEM = (
    '<svg width="64" height="64" viewBox="0 0 64 64" aria-hidden="true">'
    '<circle cx="32" cy="32" r="30" fill="#ffb020"/>'
    '<path d="M32 17v20" stroke="#fff" stroke-width="6" stroke-linecap="round"/>'
    '<circle cx="32" cy="47" r="4" fill="#fff"/></svg>'
)


def render_page(*, ok: bool, title: str, body: str, bot_username: str) -> str:
    """The small HTML page the browser shows after the OAuth callback."""
    return _PAGE.format(
        icon=_ICON_OK if ok else _ICON_PROBLEM,
        title=html.escape(title),
        body=html.escape(body),
        back=html.escape(f"https://t.me/{bot_username}"),
        button=html.escape(t.PAGE_BUTTON),
    )


async def oauth_callback(request: web.Request) -> web.Response:
    """Complete a link: validate state, exchange the code, tell the user in Telegram."""
    outcome = await request.app[LINK_SERVICE].complete(dict(request.query))
    try:
        await request.app[NOTIFY](outcome)
    except Exception:  # the page must still render if Telegram is down
        log.exception("could not notify the user about a link outcome")
    bot_username = request.app[BOT_USERNAME]
    if isinstance(outcome, LinkSucceeded):
        page = render_page(
            ok=True,
            title=t.PAGE_SUCCESS_TITLE,
            body=t.PAGE_SUCCESS_BODY.format(label=outcome.account.label),
            bot_username=bot_username,
        )
        status = 200
    else:
        assert isinstance(outcome, LinkFailed)
        page = render_page(
            ok=False,
            title=t.PAGE_FAIL_TITLE,
            body=t.PAGE_FAIL_BODY[outcome.problem.value],
            bot_username=bot_username,
        )
        status = 200 if outcome.problem is LinkProblem.CANCELLED else 400
    return web.Response(
        text=page,
        status=status,
        content_type="text/html",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


async def telegram_webhook(request: web.Request) -> web.Response:
    """Accept an update from Telegram, only with the shared secret header."""
    given = request.headers.get(SECRET_HEADER, "").encode()
    # Constant-time comparison; an unset secret never matches (webhook mode requires one).
    expected = request.app[WEBHOOK_SECRET].encode()
    if not expected or not hmac.compare_digest(given, expected):
        log.warning("webhook call without the right secret from %s", request.remote)
        return web.Response(status=403)
    try:
        payload = await request.json()
    except ValueError:
        return web.Response(status=400)
    if not isinstance(payload, dict):
        return web.Response(status=400)
    await request.app[WEBHOOK_SINK](payload)
    return web.Response(status=200)


def mount_webhook(app: web.Application, *, sink: UpdateSink, secret: str) -> None:
    """Add the Telegram webhook route (webhook mode only)."""
    app[WEBHOOK_SINK] = sink
    app[WEBHOOK_SECRET] = secret
    app.router.add_post(WEBHOOK_PATH, telegram_webhook)


def build_web_app(*, links: LinkService, notify: Notify, bot_username: str) -> web.Application:
    """The aiohttp application with the core routes."""
    app = web.Application(client_max_size=1024**2)
    app[LINK_SERVICE] = links
    app[NOTIFY] = notify
    app[BOT_USERNAME] = bot_username
    app.router.add_get(CALLBACK_PATH, oauth_callback)
    return app
