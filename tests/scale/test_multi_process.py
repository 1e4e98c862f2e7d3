"""Two real bot processes in webhook mode on one database, behind a round-robin balancer.

The fake Telegram server delivers every update to the balancer, which hands
them to the processes in turn (so do OAuth callbacks and TikTok's photo
pulls); the sandbox is TikTok, reached through a tap that can hold a request.
A video, an album split across both processes, and a video whose process is
killed mid-upload: every post exactly once, every photo present, the user
told once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from aiohttp import web
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.config import WEBHOOK_PATH
from emulators.balancer import Proxy
from emulators.telegram import AlbumItem, BotMessage, FakeTelegram, FakeUser
from emulators.tiktok import SandboxClock, TikTokSandbox
from emulators.tiktok.records import PublishStatus
from storage.db import Database
from storage.schema_version import code_heads
from tests.integration.support import write_video
from tests.support.databases import isolated_database
from tests.support.harness import (
    CLIENT_KEY,
    CLIENT_SECRET,
    WEBHOOK_SECRET,
    default_accounts,
    link_in_chat,
    sandbox_app,
)
from tests.support.media import image_bytes

REPO = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
CHUNK = 5 * MIB  # the test bots' chunk size (fast tuning)
STARTUP_GUARD = 600.0


@dataclass
class BotProcess:
    """One `python -m tests.scale.bot_process` and what it printed."""

    process: asyncio.subprocess.Process
    port: int = 0
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    tg: FakeTelegram
    sandbox: TikTokSandbox
    balancer: Proxy
    tap: Proxy
    bots: list[BotProcess]
    database_url: str
    browser: httpx.AsyncClient


async def _drain(stream: asyncio.StreamReader, into: list[str]) -> None:
    while line := await stream.readline():
        into.append(line.decode(errors="replace").rstrip())


async def _launch(env: dict[str, str]) -> BotProcess:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.scale.bot_process",
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    bot = BotProcess(process)
    assert process.stdout is not None and process.stderr is not None
    asyncio.get_running_loop().create_task(_drain(process.stderr, bot.log))
    return bot


async def _ready(bot: BotProcess) -> None:
    assert bot.process.stdout is not None
    # A guard, not a measurement: ten processes on two busy cores take a while to import.
    line = (await asyncio.wait_for(bot.process.stdout.readline(), STARTUP_GUARD)).decode()
    assert line.startswith("listening "), "\n".join(bot.log[-30:])
    bot.port = int(line.split()[1])


@asynccontextmanager
async def cluster(tmp_path: Path, processes: int = 2) -> AsyncIterator[Cluster]:
    async with AsyncExitStack() as stack:
        database_url = await stack.enter_async_context(isolated_database(tmp_path))
        balancer = Proxy()
        public = await balancer.start()
        stack.push_async_callback(balancer.stop)
        sandbox = TikTokSandbox(
            apps=[sandbox_app(public)],
            accounts=default_accounts(),
            clock=SandboxClock(),
        )
        sandbox_url = await sandbox.start()
        stack.push_async_callback(sandbox.stop)
        tap = Proxy([sandbox_url])
        sandbox.base_url = await tap.start()  # upload URLs point at the tap too
        stack.push_async_callback(tap.stop)
        tg = FakeTelegram(files_dir=tmp_path / "tg-files", webhook_delivery=True)
        await tg.start()
        stack.push_async_callback(tg.stop)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TIKTOK_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=tg.token,
            TELEGRAM_API_BASE_URL=tg.api_base_url,
            TELEGRAM_FILE_BASE_URL=tg.file_base_url,
            TELEGRAM_WEBHOOK="true",
            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
            TIKTOK_CLIENT_KEY=CLIENT_KEY,
            TIKTOK_CLIENT_SECRET=CLIENT_SECRET,
            TIKTOK_API_BASE_URL=sandbox.base_url,
            TIKTOK_AUTH_URL=sandbox.base_url + "/v2/auth/authorize/",
            TIKTOK_APP_AUDITED="true",
            PUBLIC_BASE_URL=public,
            WEB_HOST="127.0.0.1",
            WEB_PORT="0",
            DATABASE_URL=database_url,
            TOKEN_ENCRYPTION_KEY=Fernet.generate_key().decode(),
            LOG_LEVEL="INFO",
        )
        bots: list[BotProcess] = []

        async def stop_bots() -> None:
            for bot in bots:
                if bot.process.returncode is None:
                    bot.process.send_signal(signal.SIGTERM)
            for bot in bots:
                try:
                    await asyncio.wait_for(bot.process.wait(), 30)
                except TimeoutError:
                    bot.process.kill()
                    await bot.process.wait()

        stack.push_async_callback(stop_bots)
        # Separate DATA_DIRs: nothing but the database is shared.
        # Registered before waiting: a failed start still stops every process.
        for n in range(processes):
            bots.append(await _launch({**env, "DATA_DIR": str(tmp_path / f"data-{n}")}))
        await asyncio.gather(*(_ready(bot) for bot in bots))
        balancer.set_backends([bot.url for bot in bots])
        browser = await stack.enter_async_context(httpx.AsyncClient(timeout=30))
        yield Cluster(tg, sandbox, balancer, tap, bots, database_url, browser)


def has(label: str) -> object:
    return lambda m: label in [b.text for row in m.buttons for b in row]


async def tap_and_wait(user: FakeUser, message: BotMessage, label: str, after: str) -> BotMessage:
    await user.tap(message, label)
    return await user.wait_for(has(after), timeout=30)  # type: ignore[arg-type]


async def compose_and_post(user: FakeUser, composer: BotMessage | None = None) -> BotMessage:
    if composer is None:
        composer = await user.wait_for("Posting to", timeout=30)
    composer = await tap_and_wait(user, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await user.tap(composer, "🚀 Post to TikTok")
    return composer


async def live_post(user: FakeUser, within: float = 60) -> BotMessage:
    """The next progress message to say the post "is/are live" (one not live before)."""
    before = {m.message_id for m in user.messages() if " live on " in (m.text or "")}
    return await user.wait_for(
        lambda m: " live on " in (m.text or "") and m.message_id not in before, timeout=within
    )


def told(cluster: Cluster, user: FakeUser, share_url: str) -> int:
    """How many messages (not edits) ever showed the post's link to the user."""
    return sum(1 for m in cluster.tg.messages(user.id) if share_url in (m.text or ""))


async def lease_owner_pid(database_url: str) -> int:
    db = Database(database_url)
    try:
        async with db.engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT lease_owner FROM publish_jobs WHERE state = 'uploading'")
            )
            [owner] = [row[0] for row in rows]
    finally:
        await db.dispose()
    return int(str(owner).split("-", 1)[0])


def chunk_put_from(offset: int) -> object:
    def match(request: web.Request) -> bool:
        return request.method == "PUT" and request.headers.get("Content-Range", "").startswith(
            f"bytes {offset}-"
        )

    return match


async def test_two_processes_post_everything_exactly_once(tmp_path: Path) -> None:
    async with cluster(tmp_path) as c:
        user = c.tg.user(1001, first_name="Ana", username="ana")
        await link_in_chat(user, c.browser, within=30)

        # 1. A video.
        first = write_video(tmp_path / "first.mp4", 3 * MIB)
        await user.send_video(first.path, duration=12, caption="first")
        await compose_and_post(user)
        await live_post(user)

        # 2. An album: its four updates go to both processes in turn.
        jpeg = image_bytes("JPEG", 1200, 900)
        delivered_before = len(c.balancer.log)
        sent = await user.send_album(
            [AlbumItem("photo", jpeg, caption="Four photos")]
            + [AlbumItem("photo", image_bytes("JPEG", 640 + n, 480)) for n in range(3)]
        )
        assert len(sent) == 4
        composer = await user.wait_for("Posting to", timeout=30)
        assert "4 photos" in (composer.text or "")
        album_updates = [
            backend
            for method, path, backend in c.balancer.log[delivered_before:]
            if (method, path) == ("POST", WEBHOOK_PATH)
        ][:4]
        assert sorted(album_updates) == sorted([c.bots[0].url, c.bots[1].url] * 2)
        await compose_and_post(user, composer)
        await live_post(user)

        # 3. A video whose process is killed while its second chunk is on the way.
        held = c.tap.hold(chunk_put_from(CHUNK))  # type: ignore[arg-type]
        big = write_video(tmp_path / "big.mp4", 2 * CHUNK + 123)
        await user.send_video(big.path, duration=30, caption="survives a crash")
        await compose_and_post(user)
        await asyncio.wait_for(held.arrived.wait(), 60)
        victim_pid = await lease_owner_pid(c.database_url)
        [victim] = [b for b in c.bots if b.process.pid == victim_pid]
        victim.process.send_signal(signal.SIGKILL)
        await victim.process.wait()
        held.release.set()
        await live_post(user)

        publishes = list(c.sandbox.publishes.values())
        completed = [p for p in publishes if p.status is PublishStatus.PUBLISH_COMPLETE]
        assert len(completed) == 3 and len(publishes) == 3  # nothing posted twice
        posts = c.sandbox.posts("open-ana")
        assert len(posts) == 3
        [album] = [p for p in completed if p.images]
        assert len(album.images) == 4  # every photo present
        videos = sorted((p for p in completed if not p.images), key=lambda p: p.upload_size or 0)
        assert [(v.upload_size, v.upload_sha256) for v in videos] == [
            (first.size, first.sha256),
            (big.size, big.sha256),
        ]
        # The survivor resumed at the chunk the victim never delivered: one init, no chunk twice.
        assert videos[1].chunk_log == [
            f"bytes 0-{CHUNK - 1}/{big.size}",
            f"bytes {CHUNK}-{big.size - 1}/{big.size}",  # the last chunk takes the remainder
        ]
        inits = [r for r in c.sandbox.requests if r.path == "/v2/post/publish/video/init/"]
        assert len(inits) == 2  # one per video
        for post in posts:
            assert told(c, user, post.share_url) == 1, post.share_url
        # Both processes did work: updates and photo pulls were spread over them.
        assert len(c.balancer.served) == 2
        # The only refusal allowed: the survivor re-showing the progress text the victim
        # had already put there ("message is not modified"), which the bot takes as done.
        refused = [e for e in c.tg.errors if "message is not modified" not in (e.description or "")]
        assert refused == []


async def test_ten_processes_started_at_once_on_an_empty_database_all_come_up(
    tmp_path: Path,
) -> None:
    async with cluster(tmp_path, processes=10) as c:
        for bot in c.bots:
            health = await c.browser.get(bot.url + "/healthz")
            assert health.json()["database"] == "reachable", bot.log[-20:]
        db = Database(c.database_url)
        try:
            async with db.engine.connect() as connection:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                assert {str(r[0]) for r in rows} == set(code_heads())
        finally:
            await db.dispose()
