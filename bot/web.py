"""The bot's own web server (aiohttp, same event loop as the bot).

Routes: the OAuth callback page, and whatever features add (/healthz and
/metrics from bot/ops, photo media for TikTok pulls, the sandbox in sandbox mode).
"""

from __future__ import annotations

import hmac
import html
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.accounts import (
    ConfirmationStatus,
    ConfirmationView,
    LinkAwaitingConfirmation,
    LinkFailed,
    LinkOutcome,
    LinkProblem,
    LinkService,
    Requester,
)
from bot.config import CALLBACK_PATH, CONFIRM_STATUS_PATH, WEBHOOK_PATH
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
# The browser that finished a sign-in follows it here; the token never goes in a URL.
PAGE_COOKIE = "tiktok_sign_in"
# Every page: never framed (clickjacking the consent), never sniffed, no referrer.
SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
{refresh}<title>{title}</title>
<style>
 body{{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
   font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;
   background:linear-gradient(135deg,#25f4ee22,#fe2c5522),#fafafa;color:#161823}}
 main{{background:#fff;border-radius:20px;box-shadow:0 10px 40px #0001;padding:40px 32px;
   max-width:380px;margin:16px;text-align:center}}
 .icon{{font-size:56px;line-height:1}}
 h1{{font-size:24px;margin:16px 0 8px}}
 p{{color:#555;line-height:1.5;margin:0 0 28px}}
 .code{{font-size:44px;font-weight:700;letter-spacing:8px;margin:0 0 20px;color:#161823}}
 .warn{{font-size:14px;color:#8a6d00}}
 a.button{{display:inline-block;background:#fe2c55;color:#fff;text-decoration:none;
   padding:14px 28px;border-radius:12px;font-weight:600}}
</style></head>
<body><main><div class="icon">{icon}</div><h1>{title}</h1><p>{body}</p>{extra}
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


def render_page(
    *,
    ok: bool,
    title: str,
    body: str,
    bot_username: str,
    code: str | None = None,
    warning: str = "",
    refresh_url: str | None = None,
) -> str:
    """The small HTML page the browser shows after the OAuth callback."""
    extra = f'<p class="code">{html.escape(code)}</p>' if code else ""
    if warning:
        extra += f'<p class="warn">{html.escape(warning)}</p>'
    refresh = (
        f'<meta http-equiv="refresh" content="3;url={html.escape(refresh_url)}">\n'
        if refresh_url
        else ""
    )
    return _PAGE.format(
        icon=_ICON_OK if ok else _ICON_PROBLEM,
        title=html.escape(title),
        body=html.escape(body),
        extra=extra,
        refresh=refresh,
        back=html.escape(f"https://t.me/{bot_username}"),
        button=html.escape(t.PAGE_BUTTON),
    )


_CODE_RE = re.compile(r'<p class="code">(\d+)</p>')


def read_sign_in_code(page: str) -> str | None:
    """The code a sign-in page shows (what a person reads off it; scripted runs use this)."""
    match = _CODE_RE.search(page)
    return match.group(1) if match else None


def _name(requester: Requester) -> str:
    return t.requester_name(requester.first_name, requester.username)


def _confirmation_page(view: ConfirmationView, bot_username: str) -> str:
    name = _name(view.requester)
    if view.status is ConfirmationStatus.PENDING:
        return render_page(
            ok=True,
            title=t.PAGE_CONFIRM_TITLE,
            body=t.PAGE_CONFIRM_BODY.format(name=name, label=view.account_label),
            code=view.code,
            warning=t.PAGE_CONFIRM_WARNING.format(name=name),
            refresh_url=CONFIRM_STATUS_PATH,
            bot_username=bot_username,
        )
    if view.status is ConfirmationStatus.CONFIRMED:
        return render_page(
            ok=True,
            title=t.PAGE_CONFIRMED_TITLE,
            body=t.PAGE_CONFIRMED_BODY.format(name=name, label=view.account_label),
            bot_username=bot_username,
        )
    return render_page(
        ok=False,
        title=t.PAGE_NOT_CONFIRMED_TITLE,
        body=t.PAGE_NOT_CONFIRMED_BODY[view.status.value],
        bot_username=bot_username,
    )


def _html(page: str, status: int = 200) -> web.Response:
    return web.Response(
        text=page, status=status, content_type="text/html", headers={"Cache-Control": "no-store"}
    )


async def oauth_callback(request: web.Request) -> web.Response:
    """Finish TikTok's side of a link; the requester then confirms the page's code in Telegram."""
    outcome = await request.app[LINK_SERVICE].complete(dict(request.query))
    try:
        await request.app[NOTIFY](outcome)
    except Exception:  # the page must still render if Telegram is down
        log.exception("could not notify the user about a link outcome")
    bot_username = request.app[BOT_USERNAME]
    if isinstance(outcome, LinkAwaitingConfirmation):
        view = ConfirmationView(
            ConfirmationStatus.PENDING, outcome.account_label, outcome.code, outcome.requester
        )
        response = _html(_confirmation_page(view, bot_username))
        response.set_cookie(
            PAGE_COOKIE,
            outcome.page_token,
            path=CONFIRM_STATUS_PATH,
            max_age=3600,
            httponly=True,
            samesite="Lax",
            secure=request.secure,
        )
        return response
    assert isinstance(outcome, LinkFailed)
    page = render_page(
        ok=False,
        title=t.PAGE_FAIL_TITLE,
        body=t.PAGE_FAIL_BODY[outcome.problem.value],
        bot_username=bot_username,
    )
    return _html(page, 200 if outcome.problem is LinkProblem.CANCELLED else 400)


async def confirmation_status(request: web.Request) -> web.Response:
    """The consenting browser's view of its sign-in: waiting, linked or cancelled."""
    view = await request.app[LINK_SERVICE].page_view(request.cookies.get(PAGE_COOKIE, ""))
    bot_username = request.app[BOT_USERNAME]
    if view is None:
        page = render_page(
            ok=False, title=t.PAGE_FAIL_TITLE, body=t.PAGE_NO_SIGN_IN, bot_username=bot_username
        )
        return _html(page, 404)
    return _html(_confirmation_page(view, bot_username))


async def _security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


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
    app.on_response_prepare.append(_security_headers)
    app.router.add_get(CALLBACK_PATH, oauth_callback)
    app.router.add_get(CONFIRM_STATUS_PATH, confirmation_status)
    return app
