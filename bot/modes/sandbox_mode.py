"""`python -m bot sandbox`: a real Telegram bot, TikTok emulated in-process.

TikTok's app review takes weeks; this lets an operator try every flow with
their own bot token right away. The emulator is mounted inside the bot's web
server under /sandbox, so its consent page is reachable wherever the OAuth
callback is (PUBLIC_BASE_URL).
"""

from __future__ import annotations

import secrets

import httpx
from aiohttp import web
from pydantic import SecretStr

from bot.accounts.chat_sign_in import SignInAccount
from bot.app import RunOptions
from bot.config import TIKTOK_WEBHOOK_PATH, Settings
from bot.modes.creator_emulators import emulated_providers
from bot.web import read_sign_in_code
from emulators.tiktok import SandboxAccount, SandboxApp, TikTokSandbox
from emulators.tiktok.consent import submit_consent

SANDBOX_PREFIX = "/sandbox"
SANDBOX_CLIENT_KEY = "sandbox-client-key"


def demo_accounts() -> list[SandboxAccount]:
    """Two ready-made TikTok accounts to sign in with."""
    return [
        SandboxAccount(
            open_id="sandbox-open-id-maya",
            username="maya.creates",
            display_name="Maya Creates",
            is_verified=True,
            follower_count=12_480,
            following_count=311,
            likes_count=532_000,
            seed_videos=24,
            processing_seconds=3.0,
        ),
        SandboxAccount(
            open_id="sandbox-open-id-ana",
            username="ana.makes",
            display_name="Ana Makes",
            private_account=True,
            duet_disabled=True,
            follower_count=842,
            following_count=90,
            likes_count=9_100,
            seed_videos=5,
            processing_seconds=3.0,
        ),
    ]


def local_origin(settings: Settings) -> str:
    """Where this process can reach its own web server."""
    host = "127.0.0.1" if settings.web_host in {"0.0.0.0", "::", ""} else settings.web_host
    return f"http://{host}:{settings.web_port}"


def attach_sandbox(
    settings: Settings, options: RunOptions, accounts: list[SandboxAccount] | None = None
) -> tuple[Settings, TikTokSandbox]:
    """Point the bot's TikTok settings at an emulator mounted in its web server."""
    secret = secrets.token_urlsafe(24)
    sandbox = TikTokSandbox(
        apps=[
            SandboxApp(
                client_key=SANDBOX_CLIENT_KEY,
                client_secret=secret,
                name="TikTok Publisher Bot (sandbox)",
                redirect_uris=[settings.redirect_uri],
                verified_url_prefixes=[settings.public_base_url + "/media/"],
                allow_http_media=not settings.public_base_url.startswith("https://"),
                # Straight to this process: the sandbox lives in it.
                webhook_url=(
                    local_origin(settings) + TIKTOK_WEBHOOK_PATH if settings.tiktok_webhooks else ""
                ),
            )
        ],
        accounts=accounts if accounts is not None else demo_accounts(),
    )
    api_base = local_origin(settings) + SANDBOX_PREFIX
    sandbox.base_url = api_base
    sandbox_settings = settings.model_copy(
        update={
            "tiktok_client_key": SANDBOX_CLIENT_KEY,
            "tiktok_client_secret": SecretStr(secret),
            "tiktok_api_base_url": api_base,
            "tiktok_auth_url": settings.public_base_url + SANDBOX_PREFIX + "/v2/auth/authorize/",
            "tiktok_app_audited": True,  # the emulated app is audited
        }
    )

    def mount(app: web.Application) -> None:
        app.add_subapp(SANDBOX_PREFIX, sandbox.web_app())

    options.web_mounts.append(mount)
    # /stats @name, /following, /compare, /watch against emulated providers too.
    sandbox_settings, creator_mounts = emulated_providers(sandbox_settings, local_origin(settings))
    options.web_mounts.extend(creator_mounts)
    options.chat_sign_in = SandboxChatSignIn(
        public_origin=settings.public_base_url,
        local_origin=local_origin(settings),
        accounts=accounts if accounts is not None else demo_accounts(),
    )
    return sandbox_settings, sandbox


class SandboxChatSignIn:
    """Consents at the mounted sandbox over loopback, as the user's browser would."""

    def __init__(
        self, *, public_origin: str, local_origin: str, accounts: list[SandboxAccount]
    ) -> None:
        self._public = public_origin
        self._local = local_origin
        self._accounts = [
            SignInAccount(a.open_id, f"@{a.username}" if a.username else a.display_name)
            for a in accounts
        ]

    def accounts(self) -> list[SignInAccount]:
        """The sandbox's accounts, in button order."""
        return list(self._accounts)

    def _loopback(self, url: str) -> str:
        # The links name PUBLIC_BASE_URL (maybe unreachable from here); the server is local.
        return self._local + url[len(self._public) :] if url.startswith(self._public) else url

    async def consent(self, authorize_url: str, *, open_id: str) -> str | None:
        """Consent as `open_id` at the authorize URL, load the callback; the page's code."""
        async with httpx.AsyncClient(timeout=30) as http:
            callback = await submit_consent(http, self._loopback(authorize_url), open_id=open_id)
            page = await http.get(self._loopback(callback))
        return read_sign_in_code(page.text)
