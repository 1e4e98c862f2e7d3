"""`python -m bot demo`: the whole product, offline, in one process.

A fake Telegram Bot API server, the TikTok sandbox and the real bot run on
loopback; a scripted user links an account (confirming the sign-in code),
posts a video, comments on it, links a private account under an unaudited
app, posts an album as "Only me", and looks at /stats. Each line of the chat
is printed as it happens, as a person would read it, so a newcomer sees the
bot work without any account anywhere.
"""

from __future__ import annotations

import io
import re
import socket
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import httpx

from bot.app import BotApp, RunOptions
from bot.config import Settings
from bot.media.sample import sample_video
from bot.modes.creator_emulators import DEMO_CREATOR, emulated_providers
from bot.modes.sandbox_mode import demo_accounts
from bot.web import read_sign_in_code
from emulators.telegram import AlbumItem, BotMessage, FakeTelegram, FakeUser
from emulators.tiktok import SandboxApp, SandboxClock, TikTokSandbox
from emulators.tiktok.consent import submit_consent

Say = Callable[[str], None]

DEMO_CLIENT_KEY = "demo-client-key"
DEMO_CLIENT_SECRET = "demo-client-secret-not-a-real-one"  # noqa: S105 (offline demo only)


def demo_video(seconds: int = 14) -> bytes:
    """A small real MP4 for the scripted upload (the sandbox checks it like TikTok)."""
    return sample_video(seconds)


def _has_button(text: str) -> Callable[[BotMessage], bool]:
    def check(message: BotMessage) -> bool:
        return any(b.text == text for row in message.buttons for b in row)

    return check


def _has_code_prompt(message: BotMessage) -> bool:
    return any((b.callback_data or "").startswith("lc:") for row in message.buttons for b in row)


def demo_photo(colour: tuple[int, int, int]) -> bytes:
    """A plain-colour 1080x1350 JPEG for the scripted album."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1350), colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class _Demo:
    """The scripted user, her browser, and the narrator's voice."""

    def __init__(
        self, user: FakeUser, browser: httpx.AsyncClient, settings: Settings, say: Say
    ) -> None:
        self.user = user
        self.browser = browser
        self.settings = settings
        self.say = say

    async def link(self, open_id: str, label: str) -> None:
        user = self.user
        await user.send_text("/link")
        prompt = await user.wait_for(lambda m: any(b.url for row in m.buttons for b in row))
        url = next(b.url for row in prompt.buttons for b in row if b.url)
        assert url is not None
        self.say(
            f"{user.first_name} opens the link in her browser, signs in to TikTok as {label} "
            "and allows access."
        )
        callback = await submit_consent(self.browser, url, open_id=open_id)
        page = await self.browser.get(callback)
        page.raise_for_status()
        code = read_sign_in_code(page.text)
        assert code is not None, "the sign-in page shows no code"
        self.say(f"The page names her Telegram account and shows the code {code}.")
        await user.tap(await user.wait_for(_has_code_prompt), code)
        await user.wait_for("Linked")

    async def post_video(self) -> str:
        user = self.user
        await user.send_video(
            demo_video(), duration=14, caption="Morning light over the bay #sunrise"
        )
        composer = await user.wait_for("Posting to")
        await user.tap(composer, "🌍 Everyone")
        composer = await user.wait_for(_has_button("✅ 🌍 Everyone"))
        await user.tap(composer, "⬜ Comment")
        composer = await user.wait_for(_has_button("☑️ Comment"))
        await user.tap(composer, "✅ Post to TikTok")
        live = await user.wait_for(lambda m: "tiktok.com/@" in (m.text or ""), timeout=60)
        match = re.search(r"https://www\.tiktok\.com/@[\w.]+/video/\d+", live.visible_text)
        assert match is not None, "the live message has no video link"
        return match.group(0)

    async def comment(self, video_url: str) -> None:
        await self.user.send_text(f"/comment {video_url} Thanks for watching! 🌅")
        await self.user.wait_for("posted on")

    async def unaudited_album(self) -> None:
        user = self.user
        self.say(
            "Until TikTok audits a bot's app, it accepts only 'Only me' posts from private "
            "accounts. Here is the same bot as a new, unaudited app, posting to a private account."
        )
        self.settings.tiktok_app_audited = False
        await self.link(demo_accounts()[1].open_id, "@ana.makes")
        await user.send_text("/accounts")
        listing = await user.wait_for("Your TikTok accounts")
        await user.tap(listing, "⭐ Make @ana.makes default")
        await user.wait_for(lambda m: m.message_id == listing.message_id and bool(m.edits))
        await user.send_album(
            [
                AlbumItem("photo", demo_photo((240, 170, 90)), caption="Studio shelf, 3 ways"),
                AlbumItem("photo", demo_photo((90, 160, 220))),
                AlbumItem("photo", demo_photo((120, 200, 120))),
            ]
        )
        composer = await user.wait_for("Posting to")
        if not _has_button("✅ 🔒 Only me")(composer):
            await user.tap(composer, "🔒 Only me")
            composer = await user.wait_for(_has_button("✅ 🔒 Only me"))
        await user.tap(composer, "✅ Post to TikTok")
        await user.wait_for(
            lambda m: "Only me" in (m.text or "") and "posted" in (m.text or ""), timeout=60
        )


async def _script(demo: _Demo) -> None:
    user = demo.user
    await user.send_text("/start")
    await user.wait_for("TikTok")
    await demo.link(demo_accounts()[0].open_id, "@maya.creates")
    video_url = await demo.post_video()
    await demo.comment(video_url)
    await demo.unaudited_album()
    await user.send_text("/stats")
    picker = await user.wait_for("Which account")
    await user.tap(picker, "@maya.creates")
    await user.wait_for(lambda m: "followers" in (m.text or "").lower(), timeout=30)
    await user.send_text(f"/stats @{DEMO_CREATOR}")
    await user.wait_for("Latest videos", timeout=30)


async def run_demo(out: TextIO | None = None) -> int:
    """Run the scripted conversation and print its transcript; 0 on success."""
    stream = out if out is not None else sys.stdout
    with tempfile.TemporaryDirectory(prefix="tiktok-bot-demo-") as scratch:
        root = Path(scratch)
        # Bound now and kept: the bot serves on this socket, nobody can take the port.
        listener = socket.create_server(("127.0.0.1", 0))
        port = int(listener.getsockname()[1])
        public = f"http://127.0.0.1:{port}"
        clock = SandboxClock()
        sandbox = TikTokSandbox(
            apps=[
                SandboxApp(
                    client_key=DEMO_CLIENT_KEY,
                    client_secret=DEMO_CLIENT_SECRET,
                    redirect_uris=[public + "/oauth/tiktok/callback"],
                    verified_url_prefixes=[public + "/media/"],
                    allow_http_media=True,
                )
            ],
            accounts=demo_accounts(),
            clock=clock,
        )
        telegram = FakeTelegram(bot_username="tiktok_demo_bot", files_dir=root / "telegram")
        await sandbox.start()
        await telegram.start()
        settings = Settings(
            _env_file=None,
            telegram_bot_token=telegram.token,
            telegram_api_base_url=telegram.api_base_url,
            telegram_file_base_url=telegram.file_base_url,
            tiktok_client_key=DEMO_CLIENT_KEY,
            tiktok_client_secret=DEMO_CLIENT_SECRET,
            tiktok_api_base_url=sandbox.base_url,
            tiktok_auth_url=sandbox.base_url + "/v2/auth/authorize/",
            tiktok_app_audited=True,
            public_base_url=public,
            web_port=port,
            database_url=f"sqlite+aiosqlite:///{root / 'bot.db'}",
            data_dir=root,
        )
        options = RunOptions(
            clock=lambda: datetime.fromtimestamp(clock.now(), UTC),
            poll_timeout=1,
            rate_limiter=False,
            listen_socket=listener,
        )
        settings, creator_mounts = emulated_providers(settings, public, now=clock.now)
        options.web_mounts.extend(creator_mounts)
        bot = BotApp(settings, options)
        user = telegram.user(4242, first_name="Maya", username="maya")

        def say(line: str) -> None:
            print(f"\n({line})", file=stream, flush=True)

        print(
            "Offline demo: a fake Telegram and an emulated TikTok, the real bot in between.",
            file=stream,
            flush=True,
        )
        # Each line as it happens, the way Maya's phone would show it.
        user.follow(lambda line: print(line, file=stream, flush=True))
        ok = True
        async with httpx.AsyncClient(timeout=30) as browser:
            try:
                await bot.start()
                await _script(_Demo(user, browser, settings, say))
            except AssertionError as exc:
                ok = False
                print(f"demo stopped early: {str(exc).splitlines()[0]}", file=sys.stderr)
            finally:
                await bot.stop()
                await telegram.stop()
                await sandbox.stop()
                listener.close()
        return 0 if ok else 1
