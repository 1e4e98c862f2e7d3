"""Reading a remote file for probing: HTTP ranges, cached in blocks, with a budget.

FFmpeg reads a file in small pieces and seeks around (an MP4's index may sit
at the end). Over HTTP each miss would be a request, so reads go through
block-aligned ranges kept in a small cache, the head and the tail (where
every container keeps what a probe needs) are fetched up front, and a file
gets at most `max_requests` range requests: a crafted file cannot make the
bot hammer the file server.
"""

from __future__ import annotations

import asyncio
import collections
import io
import time
from pathlib import Path
from typing import Protocol

import httpx

from bot.media.sniff import HEAD_BYTES

BLOCK = 1024 * 1024
HEAD = 2 * 1024 * 1024
TAIL = 2 * 1024 * 1024
MAX_REQUESTS = 32
MAX_CACHED_BLOCKS = 8  # 8 MiB at most in memory per probe
DEADLINE = 60.0  # seconds a probe may spend reading one file, all requests together


class ByteSource(Protocol):
    """Random access to a file's bytes."""

    @property
    def size(self) -> int:
        """Total bytes."""
        ...

    async def read(self, offset: int, size: int) -> bytes:
        """`size` bytes at `offset` (the caller keeps within the file)."""
        ...

    async def close(self) -> None:
        """Release the file."""
        ...


class ReadBudgetExceeded(OSError):
    """The probe needed more range requests than a file is allowed."""


class RemoteReadFailed(OSError):
    """A range request failed (network, HTTP error): the file could not be read now."""


class HttpRangeFile:
    """A remote file read with Range requests; never downloads it whole."""

    def __init__(self, client: httpx.AsyncClient, url: str, size: int) -> None:
        self._client = client
        self._url = url  # carries the bot token: never logged
        self._size = size
        self.requests = 0
        self.bytes_read = 0

    @property
    def size(self) -> int:
        """Total bytes (as Telegram reported them)."""
        return self._size

    async def read(self, offset: int, size: int) -> bytes:
        """GET one range; if the server ignores Range, read only what is needed."""
        if offset >= self._size or size <= 0:
            return b""
        last = min(offset + size, self._size) - 1
        self.requests += 1
        headers = {"Range": f"bytes={offset}-{last}"}
        async with self._client.stream("GET", self._url, headers=headers) as response:
            response.raise_for_status()
            skip = offset if response.status_code == 200 else 0
            wanted = last - offset + 1
            out = bytearray()
            async for block in response.aiter_bytes():
                if skip:
                    cut = min(skip, len(block))
                    block, skip = block[cut:], skip - cut
                out += block
                if len(out) >= wanted:
                    break
        self.bytes_read += min(len(out), wanted)
        return bytes(out[:wanted])

    async def close(self) -> None:
        """Nothing to release (the HTTP client is shared)."""


async def read_head(source: ByteSource | Path) -> bytes:
    """The first bytes of a file, enough to sniff it."""
    if isinstance(source, Path):
        return await asyncio.to_thread(_read_head, source)
    remote: ByteSource = source
    return await remote.read(0, min(HEAD_BYTES, remote.size))


def _read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


class CachedReader(io.RawIOBase):
    """A synchronous, seekable file over a ByteSource, for FFmpeg in a worker thread.

    Misses are fetched on the event loop `loop` (the source is async) in
    BLOCK-aligned ranges; at most `max_requests` per file within DEADLINE
    seconds, then reads fail with ReadBudgetExceeded and `exhausted` is set.
    """

    def __init__(
        self,
        source: ByteSource,
        loop: asyncio.AbstractEventLoop,
        *,
        max_requests: int | None = None,
    ) -> None:
        super().__init__()
        self._source = source
        self._loop = loop
        self._size = source.size
        self._pos = 0
        self._blocks: collections.OrderedDict[int, bytes] = collections.OrderedDict()
        self._max_requests = MAX_REQUESTS if max_requests is None else max_requests
        self.requests = 0
        self.exhausted = False
        self.failed = False
        self._deadline = time.monotonic() + DEADLINE

    async def prefetch(self) -> None:
        """Fetch the head and the tail in (at most) two requests."""
        head_end = min(HEAD, self._size)
        await self._fetch_span(0, head_end)
        tail_start = max(head_end, (self._size - TAIL) // BLOCK * BLOCK)
        if tail_start < self._size:
            await self._fetch_span(tail_start, self._size)

    async def _fetch_span(self, start: int, end: int) -> None:
        self.requests += 1
        data = await self._source.read(start, end - start)
        for offset in range(0, len(data), BLOCK):
            self._store((start + offset) // BLOCK, data[offset : offset + BLOCK])

    def _store(self, index: int, data: bytes) -> None:
        self._blocks[index] = data
        self._blocks.move_to_end(index)
        while len(self._blocks) > MAX_CACHED_BLOCKS:
            self._blocks.popitem(last=False)

    def _block(self, index: int) -> bytes:
        cached = self._blocks.get(index)
        if cached is not None:
            self._blocks.move_to_end(index)
            return cached
        remaining = self._deadline - time.monotonic()
        if self.requests >= self._max_requests or remaining <= 0:
            self.exhausted = True
            raise ReadBudgetExceeded("too many range requests (or too slow) for one file")
        start = index * BLOCK
        length = min(BLOCK, self._size - start)
        self.requests += 1
        future = asyncio.run_coroutine_threadsafe(self._source.read(start, length), self._loop)
        try:
            data = future.result(remaining)
        except TimeoutError:
            future.cancel()
            self.exhausted = True
            raise ReadBudgetExceeded("the file server is too slow") from None
        except Exception as exc:
            # Never str(exc): an httpx message carries the URL, and the URL the token.
            self.failed = True
            raise RemoteReadFailed(type(exc).__name__) from None
        self._store(index, data)
        return data

    def readable(self) -> bool:
        """Always readable."""
        return True

    def seekable(self) -> bool:
        """Seeks are cheap: they only move the position."""
        return True

    def tell(self) -> int:
        """The current position."""
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move the position (FFmpeg seeks to read an index at the end)."""
        if whence == io.SEEK_SET:
            self._pos = offset
        elif whence == io.SEEK_CUR:
            self._pos += offset
        elif whence == io.SEEK_END:
            self._pos = self._size + offset
        else:
            raise ValueError(f"bad whence {whence}")
        self._pos = max(0, self._pos)
        return self._pos

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes from the current position (b"" at the end)."""
        if size < 0:
            size = self._size - self._pos
        end = min(self._pos + size, self._size)
        out = bytearray()
        while self._pos < end:
            index, skip = divmod(self._pos, BLOCK)
            block = self._block(index)
            piece = block[skip : skip + end - self._pos]
            if not piece:
                break  # the server sent less than it announced
            out += piece
            self._pos += len(piece)
        return bytes(out)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """io.RawIOBase's primitive, in terms of read()."""
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
