"""Everything the sandbox remembers, shared by all of its endpoints."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Coroutine, Sequence
from typing import Any

import httpx
from aiohttp import web

from emulators.tiktok.clock import SandboxClock
from emulators.tiktok.config import SandboxAccount, SandboxApp
from emulators.tiktok.faults import SandboxFaults
from emulators.tiktok.grants import TokenStore
from emulators.tiktok.ratelimit import RateLimiter
from emulators.tiktok.records import (
    Publish,
    RecordedRequest,
    SandboxComment,
    UploadSession,
    Video,
)
from emulators.tiktok.seeding import seed_videos
from emulators.tiktok.webhooks import WebhookSender

# Where the request's path relative to the sandbox is stored by the middleware.
RELATIVE_PATH_KEY = web.RequestKey("sandbox_relative_path", str)


class SandboxState:
    """Apps, accounts, tokens, publishes, videos and comments of one sandbox."""

    def __init__(
        self,
        *,
        apps: Sequence[SandboxApp],
        clock: SandboxClock,
    ) -> None:
        self.clock = clock
        self.faults = SandboxFaults()
        self.apps: dict[str, SandboxApp] = {app.client_key: app for app in apps}
        self.accounts: dict[str, SandboxAccount] = {}
        self.tokens = TokenStore(clock)
        self.limiter = RateLimiter()
        self.requests: list[RecordedRequest] = []
        self.publishes: dict[str, Publish] = {}
        self.uploads: dict[str, UploadSession] = {}
        self.videos: dict[str, Video] = {}
        self.comments: dict[str, SandboxComment] = {}
        # client_key -> open_id -> last direct-post init time (unaudited user cap).
        self.posting_users: dict[str, dict[str, float]] = {}
        self.base_url = ""
        self.webhooks = WebhookSender(self)
        # 19-digit ids above 2**53, so a client parsing them as floats loses digits.
        self._next_id = 7_300_000_000_000_000_000 + secrets.randbelow(10**15) * 1000
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None

    def add_account(self, account: SandboxAccount) -> None:
        """Register an account and create its seeded videos."""
        if account.open_id in self.accounts:
            raise ValueError(f"account {account.open_id!r} already exists")
        self.accounts[account.open_id] = account
        for video in seed_videos(account, now=self.clock.now(), new_id=self.new_numeric_id):
            self.add_video(video)

    def new_numeric_id(self) -> str:
        """Return a fresh 19-digit numeric id (videos and comments)."""
        self._next_id += 1 + secrets.randbelow(997)
        return str(self._next_id)

    def add_video(self, video: Video) -> None:
        """Store a video, moving it a second later if needed so cursors never tie.

        List cursors are ``create_time * 1000`` and select strictly older
        videos, so two videos of one account in the same second would make
        paging skip one (posts on a frozen test clock easily share a second).
        """
        taken = {v.create_ms for v in self.videos.values() if v.open_id == video.open_id}
        while video.create_ms in taken:
            video.create_ms += 1000
        self.videos[video.id] = video

    def posts(self, open_id: str) -> list[Video]:
        """The account's videos, newest first."""
        mine = [v for v in self.videos.values() if v.open_id == open_id]
        return sorted(mine, key=lambda v: v.create_ms, reverse=True)

    def base_for(self, request: web.Request) -> str:
        """The external base URL: ``base_url`` if set, else derived from the request."""
        if self.base_url:
            return self.base_url.rstrip("/")
        relative = request.get(RELATIVE_PATH_KEY, request.path)
        prefix = request.path[: len(request.path) - len(relative)]
        return str(request.url.origin()) + prefix

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run background work, keeping a reference until it is done."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def wait_background(self) -> None:
        """Wait until every background task (media pulls and checks) has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def http_client(self) -> httpx.AsyncClient:
        """The one client used to pull media (created on first use)."""
        if self._http is None:
            # No redirects: TikTok treats a redirected media URL as a failed pull.
            self._http = httpx.AsyncClient(
                follow_redirects=False, trust_env=False, timeout=httpx.Timeout(30.0)
            )
        return self._http

    async def close(self) -> None:
        """Cancel background tasks and webhook deliveries, close the pull client."""
        await self.webhooks.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for session in self.uploads.values():
            if session.spool is not None:  # an upload that never finished
                session.spool.close()
                session.spool = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None
