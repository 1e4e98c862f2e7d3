"""The end-to-end harness: the real bot against a fake Telegram server and the sandbox.

Everything talks over real loopback HTTP. The bot and the sandbox share one
clock, so a test can move time (token expiry, state expiry, processing).
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bot.app import BotApp, RunOptions
from bot.config import CONFIRM_STATUS_PATH, Settings
from bot.web import read_sign_in_code
from emulators.telegram import BotMessage, FakeTelegram, FakeUser
from emulators.tiktok import SandboxAccount, SandboxApp, SandboxClock, TikTokSandbox
from emulators.tiktok.consent import submit_consent
from tests.support.databases import database_text, isolated_database

CLIENT_KEY = "test-client-key"
CLIENT_SECRET = "test-client-secret-0123456789"
WEBHOOK_SECRET = "test-webhook-secret_0123"


def free_port() -> int:
    """A port nobody listens on right now, for a separate process that binds it itself
    (benchmarks). It may be taken before that process binds it: tests use
    `listening_socket()` instead."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening_socket() -> socket.socket:
    """A loopback socket bound to a port the OS picked, already listening (kept open,
    so no one else can take the port between choosing it and serving on it)."""
    return socket.create_server(("127.0.0.1", 0))


def default_accounts() -> list[SandboxAccount]:
    """Two TikTok accounts: a public creator and a private one."""
    return [
        SandboxAccount(
            open_id="open-ana",
            username="ana.makes",
            display_name="Ana Makes",
            is_verified=True,
            follower_count=1200,
            following_count=80,
            likes_count=45000,
            processing_seconds=1.0,
        ),
        SandboxAccount(
            open_id="open-bo",
            username="bo.private",
            display_name="Bo",
            private_account=True,
            processing_seconds=1.0,
        ),
    ]


def sandbox_app(public: str, *, webhook_url: str = "") -> SandboxApp:
    """The test TikTok app, registered for a bot whose public URL is `public`."""
    return SandboxApp(
        client_key=CLIENT_KEY,
        client_secret=CLIENT_SECRET,
        redirect_uris=[public + "/oauth/tiktok/callback"],
        verified_url_prefixes=[public + "/media/"],
        allow_http_media=True,
        webhook_url=webhook_url,
    )


async def link_in_chat(
    user: FakeUser, browser: httpx.AsyncClient, *, open_id: str = "open-ana", within: float = 60
) -> None:
    """Link an account as a person does, against a bot in any process: /link, the
    consent page, the page's code tapped in the chat, until the bot says "Linked"."""
    await user.send_text("/link")
    prompt = await user.wait_for(
        lambda m: any(b.url for row in m.buttons for b in row), timeout=within
    )
    url = next(b.url for row in prompt.buttons for b in row if b.url)
    assert url is not None
    page = await browser.get(await submit_consent(browser, url, open_id=open_id))
    code = read_sign_in_code(page.text)
    assert code is not None, page.status_code
    ask = await user.wait_for(
        lambda m: any((b.callback_data or "").startswith("lc:") for row in m.buttons for b in row),
        timeout=within,
    )
    await user.tap(ask, code)
    await user.wait_for("Linked", timeout=within)


@dataclass
class Harness:
    """A running bot plus its two fake worlds and a browser."""

    tg: FakeTelegram
    sandbox: TikTokSandbox
    bot: BotApp
    settings: Settings
    browser: httpx.AsyncClient
    clock: SandboxClock
    data_dir: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, user_id: int = 1001, first_name: str = "Ana") -> FakeUser:
        """A Telegram user with a private chat."""
        return self.tg.user(user_id, first_name=first_name, username=first_name.lower())

    async def open_link(
        self,
        user: FakeUser,
        *,
        open_id: str = "open-ana",
        untick: Sequence[str] = (),
        cancel: bool = False,
        command: str = "/link",
    ) -> httpx.Response:
        """Send /link, follow the button through the sandbox consent page to the callback,
        then confirm the page's code in the chat (as the user would)."""
        await user.send_text(command)
        message = await user.wait_for(lambda m: any(b.url for row in m.buttons for b in row))
        url = next(b.url for row in message.buttons for b in row if b.url)
        assert url is not None
        return await self.follow_authorize(
            url, open_id=open_id, untick=untick, cancel=cancel, confirm_as=user
        )

    async def follow_authorize(
        self,
        url: str,
        *,
        open_id: str = "open-ana",
        untick: Sequence[str] = (),
        cancel: bool = False,
        confirm_as: FakeUser | None = None,
    ) -> httpx.Response:
        """Consent (or cancel) at the sandbox, then load the bot's callback page; with
        `confirm_as`, that user then taps the page's code in their chat."""
        location = await submit_consent(
            self.browser, url, open_id=open_id, untick_scopes=untick, cancel=cancel
        )
        page = await self.browser.get(location)
        code = read_sign_in_code(page.text)
        if confirm_as is not None and code is not None:
            await confirm_as.tap(await self.code_prompt(confirm_as), code)
        return page

    async def code_prompt(self, user: FakeUser) -> BotMessage:
        """The chat message asking `user` for a sign-in page's code."""
        return await user.wait_for(
            lambda m: any(
                (b.callback_data or "").startswith("lc:") for row in m.buttons for b in row
            )
        )

    async def sign_in_status(self) -> httpx.Response:
        """The page the consenting browser shows now (it refreshes to this)."""
        return await self.browser.get(self.settings.public_base_url + CONFIRM_STATUS_PATH)

    async def restart_bot(self) -> BotApp:
        """Stop the bot and start a fresh one on the same settings, data dir and database."""
        await self.bot.stop()
        self.bot = BotApp(self.settings, self.bot.options)
        await self.bot.start()
        return self.bot

    def db_bytes(self) -> bytes:
        """Every byte of the SQLite database files (main, WAL)."""
        return b"".join(p.read_bytes() for p in self.data_dir.glob("bot.db*"))

    async def db_contents(self) -> bytes:
        """Everything the database stores, on SQLite (files) or PostgreSQL (rows)."""
        return await database_text(self.settings.database_url, self.data_dir)


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    accounts: list[SandboxAccount] | None = None,
    allowed_user_ids: str = "",
    options: RunOptions | None = None,
    settings_overrides: dict[str, Any] | None = None,
    local_mode: bool = False,
    webhook: bool = False,
    tiktok_webhooks: bool = False,
    clock: SandboxClock | None = None,
    rate_limiter: bool = False,
) -> AsyncIterator[Harness]:
    """Start sandbox, fake Telegram and the bot; stop all of them afterwards.

    `rate_limiter`: PTB's AIORateLimiter, as in production (off by default: it
    holds messages to a group to 20 a minute, which would slow group tests down)."""
    async with (
        isolated_database(tmp_path) as database_url,
        _running_bot(
            tmp_path,
            database_url,
            accounts=accounts,
            allowed_user_ids=allowed_user_ids,
            options=options,
            settings_overrides=settings_overrides,
            local_mode=local_mode,
            webhook=webhook,
            tiktok_webhooks=tiktok_webhooks,
            clock=clock,
            rate_limiter=rate_limiter,
        ) as harness,
    ):
        yield harness


@asynccontextmanager
async def _running_bot(
    tmp_path: Path,
    database_url: str,
    *,
    accounts: list[SandboxAccount] | None,
    allowed_user_ids: str,
    options: RunOptions | None,
    settings_overrides: dict[str, Any] | None,
    local_mode: bool,
    webhook: bool,
    tiktok_webhooks: bool,
    clock: SandboxClock | None,
    rate_limiter: bool,
) -> AsyncIterator[Harness]:
    clock = clock or SandboxClock()  # tests sharing it with other emulators pass their own
    listener = listening_socket()
    port = int(listener.getsockname()[1])
    public = f"http://127.0.0.1:{port}"
    sandbox = TikTokSandbox(
        # TikTok's webhooks: the sandbox delivers signed events to the bot.
        apps=[
            sandbox_app(public, webhook_url=public + "/webhooks/tiktok" if tiktok_webhooks else "")
        ],
        accounts=accounts if accounts is not None else default_accounts(),
        clock=clock,
    )
    await sandbox.start()
    # local_mode: a `--local` Bot API server (absolute file paths, no 20 MB limit).
    tg = FakeTelegram(
        files_dir=tmp_path / "tg-files",
        local_mode_dir=tmp_path / "tg-local" if local_mode else None,
        webhook_delivery=webhook,
    )
    await tg.start()
    data_dir = tmp_path / "data"
    values: dict[str, Any] = {
        "telegram_bot_token": tg.token,
        "telegram_api_base_url": tg.api_base_url,
        "telegram_file_base_url": tg.file_base_url,
        "tiktok_client_key": CLIENT_KEY,
        "tiktok_client_secret": CLIENT_SECRET,
        "tiktok_api_base_url": sandbox.base_url,
        "tiktok_auth_url": sandbox.base_url + "/v2/auth/authorize/",
        "public_base_url": public,
        "web_host": "127.0.0.1",
        "web_port": port,
        "database_url": database_url,
        "data_dir": data_dir,
        "allowed_telegram_user_ids": allowed_user_ids,
        "tiktok_app_audited": True,
        "telegram_local_mode": local_mode,
    }
    if tiktok_webhooks:
        values["tiktok_webhooks"] = True
    if webhook:
        values["telegram_webhook"] = True
        values["telegram_webhook_secret"] = WEBHOOK_SECRET
    values.update(settings_overrides or {})
    settings = Settings(_env_file=None, **values)
    run = options or RunOptions()
    run.clock = lambda: datetime.fromtimestamp(clock.now(), UTC)
    run.poll_timeout = 1
    run.rate_limiter = rate_limiter
    run.listen_socket = listener
    bot = BotApp(settings, run)
    browser = httpx.AsyncClient(timeout=30)
    harness = Harness(tg, sandbox, bot, settings, browser, clock, data_dir)
    try:
        await bot.start()
        yield harness
    finally:
        await harness.bot.stop()
        await browser.aclose()
        await tg.stop()
        await sandbox.stop()
        listener.close()
