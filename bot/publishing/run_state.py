"""What every step of a publish-job run shares: its job row, the lease, TikTok.

`RunState` holds one run's state and its persistence (`_save` writes under
the lease and raises LeaseLost when it is gone); the video and photo steps
(bot/publishing/video_steps.py, photo_steps.py) and the run itself
(bot/publishing/runner.py) build on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from bot.accounts import TokenManager
from bot.clock import Clock
from bot.publishing.events import (
    JobEvents,
)
from bot.publishing.jobs import PublishTuning
from bot.publishing.lane import InlineLane, TransferLane
from bot.publishing.pacing import SharedPacer
from bot.publishing.polling import PollSchedule
from bot.publishing.requests import PublishRequest
from bot.publishing.sources import (
    MediaSource,
    Piece,
    TelegramFiles,
)
from bot.tiktok import (
    PublishingAPI,
    PublishStatus,
    RateLimited,
    VideosAPI,
)
from storage.crypto import TokenCipher
from storage.db import Database
from storage.media_store import MediaStore
from storage.repositories import LinkedAccount
from storage.repositories.publish_jobs import PublishJobRecord, PublishJobRepository

if TYPE_CHECKING:
    from bot.publishing.webhook_wait import WebhookOutcomes
    from bot.scheduling.due_gate import DueGate

log = logging.getLogger(__name__)

T = TypeVar("T")

# TikTok's status values (strings, as TikTok sends them).
PROCESSING_UPLOAD = "PROCESSING_UPLOAD"
PUBLISH_COMPLETE = "PUBLISH_COMPLETE"
SEND_TO_USER_INBOX = "SEND_TO_USER_INBOX"
FAILED = "FAILED"
# The fail_reason TikTok gives an upload whose URL expired before it completed.
PUBLISH_CANCELLED = "publish_cancelled"
# Status checks in a row during one upload before the run gives up for now.
MAX_UPLOAD_CHECKS = 8


class LeaseLost(Exception):
    """Another worker owns the job now: stop without writing anything."""


class LeaseCheckedSource:
    """A MediaSource that confirms the lease (and records progress) at each chunk.

    The uploader streams chunk after chunk; without this a run whose lease
    was taken would keep sending until its next state write. At the first
    bytes of chunk n it writes `uploaded_bytes` under the lease, which fails
    with LeaseLost when another worker owns the job now. The write runs while
    the chunk's first buffers go out (a database round trip per chunk left
    the connection idle), and the chunk's last buffer waits for it: a run
    whose lease is gone never completes a chunk, and once it knows, every
    later read raises LeaseLost.
    """

    def __init__(
        self, source: MediaSource, chunk_size: int, check: Callable[[int], Awaitable[None]]
    ) -> None:
        self._source = source
        self._chunk_size = chunk_size
        self._check = check
        self._checked = 0
        self._pending: asyncio.Future[None] | None = None

    @property
    def size(self) -> int:
        """Total bytes."""
        return self._source.size

    async def read(self, offset: int, size: int) -> bytes | bytearray:
        """The bytes at `offset`, the lease confirmed before a chunk's end goes out."""
        self._begin_check(offset)
        data = await self._source.read(offset, size)
        await self._before_chunk_end(offset + len(data))
        return data

    async def read_some(self, offset: int, size: int) -> Piece:
        """What the source has at hand at `offset`, the lease confirmed the same way."""
        self._begin_check(offset)
        data = await self._source.read_some(offset, size)
        await self._before_chunk_end(offset + len(data))
        return data

    def _begin_check(self, offset: int) -> None:
        if self._pending is not None and self._pending.done():
            self._pending.result()  # LeaseLost stays raised for every later read
        if offset and offset % self._chunk_size == 0 and offset != self._checked:
            self._checked = offset
            self._pending = asyncio.ensure_future(self._check(offset))

    async def _before_chunk_end(self, end: int) -> None:
        if self._pending is not None and (end % self._chunk_size == 0 or end == self.size):
            await self._pending

    async def close(self) -> None:
        """Close the wrapped source (a check still running is waited for)."""
        if self._pending is not None and not self._pending.done():
            with contextlib.suppress(Exception):
                await self._pending
        await self._source.close()


@dataclass(slots=True)
class RunContext:
    """What every run needs; built once by PublishService."""

    db: Database
    cipher: TokenCipher
    owner: str
    clock: Clock
    tuning: PublishTuning
    api: PublishingAPI
    videos: VideosAPI
    tokens: TokenManager
    files: TelegramFiles
    http: httpx.AsyncClient
    pacer: SharedPacer
    spool_dir: Path
    media: MediaStore
    public_base_url: str
    on_change: Callable[[int], None]
    # Told when a run only waits for TikTok's processing (its worker place is free).
    on_waiting: Callable[[int], None] = lambda _job_id: None
    # TikTok's webhooks, when on: the outcome comes from them, polling is a safety net.
    webhooks: WebhookOutcomes | None = None
    # Scheduled posts: fresh creator info at the due time (None: no check).
    due_gate: DueGate | None = None
    # Replaceable policy: when to poll status while TikTok processes.
    poll_schedule: PollSchedule = field(default_factory=PollSchedule)
    # Where video bytes move (a thread of their own, or this loop).
    lane: TransferLane = field(default_factory=InlineLane)


class RunState:
    """One run's job, account and context, and the writes every step makes."""

    def __init__(
        self,
        ctx: RunContext,
        job: PublishJobRecord,
        account: LinkedAccount | None,
        events: JobEvents,
    ) -> None:
        self._ctx = ctx
        self.job = job
        self._account = account
        self._events = events
        self._request: PublishRequest = PublishRequest.from_json(job.request_json)
        self._label = account.label if account else "TikTok"
        self._shown_percent = -1
        self._rate_limited = 0  # 429s in a row on status

    # -- persistence -----------------------------------------------------------

    async def _save(self, **values: Any) -> None:
        """Write job fields if we still hold the lease (committed at once)."""
        async with self._ctx.db.transaction() as session:
            saved = await PublishJobRepository(session, self._ctx.cipher).update_leased(
                self.job.id, owner=self._ctx.owner, **dict(values)
            )
        if not saved:
            raise LeaseLost(str(self.job.id))
        self.job = replace(self.job, **values)
        self._ctx.on_change(self.job.id)

    def _now_plus(self, seconds: float) -> Any:
        return self._ctx.clock() + timedelta(seconds=seconds)

    async def _tiktok(self, operation: Callable[[str], Awaitable[T]]) -> T:
        """Call TikTok with the account's token (refreshed once if TikTok refuses it)."""
        return await self._ctx.tokens.call(self.job.account_id, operation)

    async def _status(self) -> PublishStatus:
        publish_id = self.job.publish_id
        assert publish_id is not None
        pacer = self._ctx.pacer
        await pacer.wait(self.job.account_id)
        try:
            status = await self._tiktok(lambda token: self._ctx.api.status(token, publish_id))
        except RateLimited:
            # One account's jobs share its token's budget: all of them pause.
            tuning = self._ctx.tuning
            self._rate_limited += 1
            pause = tuning.rate_limit_pause * 2 ** (self._rate_limited - 1)
            await pacer.pause(self.job.account_id, min(pause, tuning.rate_limit_pause_max))
            raise
        self._rate_limited = 0
        return status

    @property
    def _spool_path(self) -> Path:
        return self._ctx.spool_dir / f"{self.job.id}.part"

    async def _remove_media(self) -> None:
        """Delete the job's photo files: from now on /media answers 404 for them."""
        token = self.job.media_token
        if token:
            await self._ctx.media.delete(token)
