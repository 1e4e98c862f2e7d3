"""Streaming chunks to TikTok's upload URL, each chunk retried on its own.

What a chunk PUT's answer means (docs/tiktok-api.md, "Chunked upload"):

- 206 more expected, 201 the upload is complete;
- 5xx, 408, timeouts, dropped connections: retry the same chunk with backoff
  (if TikTok did get it, the retry answers 416 and we resync);
- 416 our range does not match TikTok's progress: ask status, resync;
- 403 the upload URL expired, 404 TikTok forgot the task: ask status;
- anything else (400): our request is wrong, a bug.

The caller handles 416/403/404 (`UploadInterrupted`) because only it can ask
TikTok for status and decide whether a fresh init is allowed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx

from bot.errors import ErrorAction
from bot.publishing.chunks import Chunk, ChunkPlan
from bot.publishing.sources import MediaSource, Piece
from bot.tiktok import PublishingAPI, TikTokUnavailable

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int], None]


class UploadInterrupted(Exception):
    """TikTok's answer needs a status check before going on (416, 403, 404)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"chunk answered HTTP {status}")
        self.status = status

    @property
    def url_gone(self) -> bool:
        """The upload URL is expired or unknown (403/404), not just out of step."""
        return self.status in (403, 404)


class UploadRejected(Exception):
    """TikTok refused a chunk's headers (400): a bug on our side."""

    action = ErrorAction.BUG
    retryable = False
    reason = "tiktok_rejected"

    def __init__(self, status: int) -> None:
        super().__init__(f"chunk refused with HTTP {status}")
        self.status = status


@dataclass(slots=True)
class ChunkUploader:
    """PUTs chunks of one video to one upload URL."""

    api: PublishingAPI
    upload_url: str
    plan: ChunkPlan
    source: MediaSource
    content_type: str
    buffer_size: int
    attempts: int
    retry_base: float
    retry_max: float
    read_timeout: float
    on_progress: ProgressCallback
    http: httpx.AsyncClient | None = None  # the transfer lane's client (None: the API's)

    async def upload_from(self, start: int) -> None:
        """Send chunks `start`.. in order; returns when TikTok answered 201."""
        for chunk in self.plan.chunks(start):
            status = await self._put(chunk)
            if status == 201:
                return
        # Every chunk got 206 but none 201: TikTok's count differs from ours.
        raise UploadInterrupted(416)

    async def _put(self, chunk: Chunk) -> int:
        for attempt in range(1, self.attempts + 1):
            try:
                status = await self.api.upload_chunk(
                    self.upload_url,
                    self._body(chunk),
                    first=chunk.first,
                    last=chunk.last,
                    total=self.plan.video_size,
                    content_type=self.content_type,
                    read_timeout=self.read_timeout,
                    http=self.http,
                )
            except TikTokUnavailable as exc:
                log.info("chunk %s: %s (attempt %s)", chunk.index, exc, attempt)
                status = 0
            if status in (201, 206):
                self.on_progress(chunk.last + 1)
                return status
            if status in (403, 404, 416):
                raise UploadInterrupted(status)
            if status not in (0, 408, 429) and status < 500:
                raise UploadRejected(status)
            if attempt < self.attempts:
                log.info("chunk %s answered %s, retrying", chunk.index, status or "nothing")
                await asyncio.sleep(min(self.retry_base * 2 ** (attempt - 1), self.retry_max))
        raise TikTokUnavailable(f"chunk {chunk.index} failed {self.attempts} times")

    async def _body(self, chunk: Chunk) -> AsyncIterator[Piece]:
        offset = chunk.first
        end = chunk.last + 1
        while offset < end:
            # Whatever the source has at hand, up to a buffer: a download's
            # pieces go out as they came in, never cut up and joined again.
            data = await self.source.read_some(offset, min(self.buffer_size, end - offset))
            offset += len(data)
            yield data
            self.on_progress(offset)
