"""Where a job's media bytes come from: a Telegram file, streamed, never held whole.

Two ways to reach a Telegram file (docs/telegram.md, "Files"):

- cloud Bot API: getFile gives a download URL (with the bot token in it, so
  it is never logged) and refuses files over 20 MB; the file is streamed into
  DATA_DIR/spool/<job>.part;
- local Bot API server (`--local`): getFile gives an absolute path on a disk
  we share; it is read in place.

Either way the uploader reads through `MediaSource.read(offset, size)`, which
for a download in progress waits until those bytes are on disk. That is the
pipeline: chunk i streams to TikTok while chunk i+1 is still downloading, so
a post takes about max(download, upload), not their sum. Memory stays
O(buffer): bytes go network -> disk -> network in buffer-sized pieces.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from bot.errors import ErrorAction
from bot.publishing.spool_writer import SpoolWriter, aligned_down

log = logging.getLogger(__name__)

# What the uploader streams: bytes, a page-cache read, or a view into a received piece.
Piece = bytes | bytearray | memoryview


class FileTooBig(Exception):
    """The cloud Bot API refuses to hand out files over 20 MB."""

    action = ErrorAction.TELL_USER
    retryable = False
    reason = "file_too_big"


class FileUnavailable(Exception):
    """Telegram could not give us the file (expired, unknown, or download failed)."""

    action = ErrorAction.TELL_USER
    reason = "file_unavailable"

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class FileLocation:
    """A Telegram file: an absolute local path (local mode) or a download URL (cloud)."""

    local_path: Path | None = None
    url: str | None = field(default=None, repr=False)  # carries the bot token
    size: int | None = None


class TelegramFiles(Protocol):
    """Resolves file_ids (the Telegram side lives in handlers/telegram_files.py)."""

    async def locate(self, file_id: str) -> FileLocation:
        """Where the file is; raises FileTooBig or FileUnavailable."""
        ...


class MediaSource(Protocol):
    """Random access to a video's bytes for the uploader."""

    @property
    def size(self) -> int:
        """Total bytes."""
        ...

    async def read(self, offset: int, size: int) -> bytes | bytearray:
        """`size` bytes at `offset` (waits for a download to get there)."""
        ...

    async def read_some(self, offset: int, size: int) -> Piece:
        """1 to `size` bytes at `offset`: what is at hand, without copying if possible."""
        ...

    async def close(self) -> None:
        """Release the file (and stop a download)."""
        ...


@functools.cache  # read once: it changes only with a reboot, which ends this process
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "-"


def _progress_path(spool: Path) -> Path:
    return spool.with_name(spool.name + ".len")


def _record_spooled(spool: Path, size: int) -> None:
    """Note how many bytes of the spool are on disk (after writing them)."""
    progress = _progress_path(spool)
    temporary = progress.with_name(progress.name + ".tmp")
    temporary.write_text(f"{size} {_boot_id()}\n")
    temporary.replace(progress)


def _spooled_bytes(spool: Path) -> int:
    """Bytes a spool holds from an earlier run of this boot (0 if unknown)."""
    try:
        size, boot = _progress_path(spool).read_text().split()
        return int(size) if boot == _boot_id() else 0
    except (OSError, ValueError):
        return 0


def remove_spool(spool: Path) -> None:
    """Delete a spool file and its progress note."""
    spool.unlink(missing_ok=True)
    _progress_path(spool).unlink(missing_ok=True)


# Left free for the database and the logs when a spool fills the disk.
SPOOL_KEEPS_FREE = 64 * 1024 * 1024


def _check_room(directory: Path, needed: int) -> None:
    """Refuse a download the disk cannot hold (a write may still meet ENOSPC: retried)."""
    if shutil.disk_usage(directory).free < needed + SPOOL_KEEPS_FREE:
        raise FileUnavailable("no disk space for the spool", retryable=True)


def _pread(fd: int, size: int, offset: int) -> bytes:
    data = os.pread(fd, size, offset)
    if len(data) != size:
        raise FileUnavailable("the file is shorter than expected")
    return data


# preadv(RWF_NOWAIT) reads from the page cache without blocking, or fails with
# EAGAIN when the bytes would have to come from the disk (Linux >= 4.14).
_RWF_NOWAIT: int | None = getattr(os, "RWF_NOWAIT", None)


def _pread_cached(fd: int, size: int, offset: int) -> bytearray | None:
    """The bytes if the page cache holds all of them (no blocking), else None."""
    if _RWF_NOWAIT is None:
        return None
    buffer = bytearray(size)
    try:
        done = os.preadv(fd, [buffer], offset, _RWF_NOWAIT)
    except OSError:  # EAGAIN (not cached), EOPNOTSUPP (filesystem cannot say)
        return None
    return buffer if done == size else None


class LocalFile:
    """A file already on disk (local Bot API server, or a finished spool)."""

    def __init__(self, path: Path, *, may_block: bool = False) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self._size = os.fstat(self._fd).st_size
        # On a loop of its own (the transfer lane) a read from the disk blocks
        # nobody else: plain preads, which cost less than a non-blocking try.
        self._may_block = may_block

    @property
    def size(self) -> int:
        """Total bytes."""
        return self._size

    async def read(self, offset: int, size: int) -> bytes | bytearray:
        """Positional read: from the page cache at once, from the disk in a thread.

        A thread round trip per buffer left the event loop idle for a third of
        an upload; a cached read costs no more than the copy itself, and only a
        read that would block on the disk goes to a thread. (A cached read
        gives a bytearray: bytes-like, sent as it is.)
        """
        if self._may_block:
            return _pread(self._fd, size, offset)
        cached = _pread_cached(self._fd, size, offset)
        if cached is not None:
            return cached
        return await asyncio.to_thread(_pread, self._fd, size, offset)

    async def read_some(self, offset: int, size: int) -> Piece:
        """The same as `read`: a file on disk has every byte at hand.

        A cached read's bytearray goes out as a memoryview: the HTTP client
        slices every piece to the remaining length, and slicing a bytearray
        copies it where slicing a view (or bytes) does not.
        """
        data = await self.read(offset, size)
        return memoryview(data) if isinstance(data, bytearray) else data

    async def close(self) -> None:
        """Close the file descriptor."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class SpoolDownload:
    """Streams a Telegram file into a spool file while readers consume it.

    Received pieces are kept as they arrive (no joining); a writer task puts
    them on disk, several per call, while the next ones are being received
    (the socket is never left idle during a disk write). The newest pieces
    also stay in memory for a while (`window_buffers` buffers' worth), so an
    uploader running right behind the download is served the pieces
    themselves (`read_some`) without copying or reading the disk back; one
    that lags or restarts reads the spool. Memory: the window plus at most
    `QUEUED_PIECES` pieces (each at most one read of the HTTP client).

    The writes go past the page cache where the disk allows
    (bot/publishing/spool_writer.py); free space is checked before the first
    byte. A small `<name>.len` file next to the spool records how many bytes
    are on disk, written after the bytes themselves, with the boot id (after a power loss the page
    cache may not have reached the disk, so such a spool is not trusted). A
    spool left by an earlier run (restart) is continued with an HTTP Range
    request; if the server ignores the Range, it starts over.
    """

    QUEUED_PIECES = 64  # pieces waiting for the disk before the download pauses
    WRITE_BATCH = 64  # pieces per write call at most (well under IOV_MAX)
    PROGRESS_EVERY = 16  # buffers' worth of bytes between updates of the `.len` file

    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str,
        path: Path,
        *,
        size: int | None,
        buffer_size: int,
        window_buffers: int = 8,
    ) -> None:
        self._http = http
        self._url = url
        self._path = path
        self._expected = size
        self._buffer_size = buffer_size
        self._window_limit = window_buffers * buffer_size
        self._received = 0  # bytes in memory or on disk
        self._on_disk = 0  # bytes written to the spool file
        self._window: collections.deque[tuple[int, bytes]] = collections.deque()
        # The same pieces by their first byte: a sequential reader finds the
        # next one at once (a download is thousands of small pieces).
        self._starts: dict[int, bytes] = {}
        self._window_bytes = 0
        self._size: int | None = None
        self._error: BaseException | None = None
        self._changed = asyncio.Condition()
        self._queue: asyncio.Queue[tuple[int, bytes] | None] = asyncio.Queue(self.QUEUED_PIECES)
        self._task: asyncio.Task[None] | None = None
        self._fd = -1

    @property
    def written(self) -> int:
        """Bytes on disk so far."""
        return self._on_disk

    @property
    def size(self) -> int:
        """Total bytes (known once `start` returned)."""
        assert self._size is not None, "start() first"
        return self._size

    @property
    def complete(self) -> bool:
        """Whether every byte is on disk."""
        return self._size is not None and self._on_disk >= self._size

    async def start(self) -> None:
        """Begin downloading in the background; returns once the size is known."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        existing = min(_spooled_bytes(self._path), os.fstat(self._fd).st_size)
        if self._expected is not None and existing > self._expected:
            existing = 0
        if self._expected is not None and existing == self._expected:
            # A finished spool from an earlier run.
            self._size = self._received = self._on_disk = existing
            return
        known = asyncio.get_running_loop().create_future()
        # Direct writes continue at a block boundary: up to 4095 bytes come again.
        self._task = asyncio.get_running_loop().create_task(
            self._run(aligned_down(existing), known)
        )
        try:
            self._size = await asyncio.shield(known)
        except BaseException:
            await self.close()
            raise

    async def _run(self, offset: int, known: asyncio.Future[int]) -> None:
        writer = asyncio.get_running_loop().create_task(self._write_queued())
        try:
            await self._download(offset, known)
        except BaseException as exc:
            # Stopped or broken: still put what arrived on disk, so a later run
            # continues from there instead of downloading it again.
            await self._finish_writes(writer)
            await self._fail(exc, known)
            if isinstance(exc, asyncio.CancelledError):
                raise
            return
        if not await self._finish_writes(writer) or self._on_disk != self._size:
            await self._fail(FileUnavailable("the spool is incomplete", retryable=True), known)

    async def _finish_writes(self, writer: asyncio.Task[None]) -> bool:
        """Let the writer empty its queue and stop; False if writing failed."""
        if not writer.done():
            await self._queue.put(None)
        try:
            try:
                await asyncio.shield(writer)
            except asyncio.CancelledError:
                # Stopped while the last buffers go to disk: let them land (a
                # later run continues from there), then stop.
                await writer
                raise
        except Exception as exc:
            log.warning("spool write failed: %s", type(exc).__name__)
            return False
        return True

    async def _fail(self, exc: BaseException, known: asyncio.Future[int]) -> None:
        self._error = exc if isinstance(exc, FileUnavailable) else _download_error(exc)
        if not known.done():
            known.set_exception(self._error)
        async with self._changed:
            self._changed.notify_all()

    async def _download(self, offset: int, known: asyncio.Future[int]) -> None:
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        async with self._http.stream("GET", self._url, headers=headers) as response:
            if response.status_code == 206 and offset:
                start = offset
            elif response.status_code == 200:
                start = 0
            else:
                raise FileUnavailable(
                    f"file download answered HTTP {response.status_code}",
                    retryable=response.status_code >= 500 or response.status_code == 429,
                )
            total = self._expected
            if total is None:
                length = response.headers.get("Content-Length")
                if length is None:
                    raise FileUnavailable("the file's size is unknown")
                total = start + int(length)
            await asyncio.to_thread(_check_room, self._path.parent, total - start)
            self._received = self._on_disk = start
            known.set_result(total)
            async for piece in response.aiter_raw():
                await self._receive(piece)
        if self._received != total:
            raise FileUnavailable("the download ended early", retryable=True)

    async def _receive(self, data: bytes) -> None:
        """A buffer arrived: readers may use it now, the writer puts it on disk."""
        offset = self._received
        await self._queue.put((offset, data))  # waits while the disk is behind
        self._window.append((offset, data))
        self._starts[offset] = data
        self._window_bytes += len(data)
        self._received += len(data)
        async with self._changed:
            self._changed.notify_all()

    async def _write_queued(self) -> None:
        writer: SpoolWriter | None = None
        recorded = self._on_disk
        last = False
        try:
            while not last and (item := await self._queue.get()) is not None:
                offset, data = item
                if writer is None:  # opened at the first piece: where this download starts
                    writer = await asyncio.to_thread(SpoolWriter, self._path, offset)
                batch = [data]
                # Whatever else already waits goes in the same call (pieces are consecutive).
                while len(batch) < self.WRITE_BATCH and not self._queue.empty():
                    queued = self._queue.get_nowait()
                    if queued is None:
                        last = True
                        break
                    batch.append(queued[1])
                self._on_disk = await asyncio.to_thread(writer.write, batch)
                if self._on_disk - recorded >= self.PROGRESS_EVERY * self._buffer_size:
                    recorded = self._on_disk
                    await asyncio.to_thread(_record_spooled, self._path, self._on_disk)
                await self._forget_written()
            if writer is not None:
                self._on_disk = await asyncio.to_thread(writer.finish)
                await asyncio.to_thread(_record_spooled, self._path, self._on_disk)
                await self._forget_written()
        finally:
            if writer is not None:
                writer.close()

    async def _forget_written(self) -> None:
        """Drop buffers that are on disk once the window is full; wake readers."""
        while self._window_bytes > self._window_limit:
            first, oldest = self._window[0]
            if first + len(oldest) > self._on_disk:
                break
            self._window.popleft()
            del self._starts[first]
            self._window_bytes -= len(oldest)
        async with self._changed:
            self._changed.notify_all()

    def _from_memory(self, offset: int, size: int) -> bytes | None:
        """The window's bytes: the stored buffer itself for an aligned read (no copy)."""
        if not self._window or offset < self._window[0][0]:
            return None
        end = offset + size
        parts = []
        for first, data in self._window:
            last = first + len(data)
            if last <= offset:
                continue
            if first >= end:
                break
            if first == offset and len(data) == size:
                return data
            parts.append(data[max(offset - first, 0) : min(end - first, len(data))])
        joined = b"".join(parts)
        return joined if len(joined) == size else None

    async def read(self, offset: int, size: int) -> bytes | bytearray:
        """`size` bytes at `offset`, waiting until the download got there."""
        end = offset + size
        if self._received < end:
            async with self._changed:
                await self._changed.wait_for(
                    lambda: self._received >= end or self._error is not None
                )
        if self._received < end and self._error is not None:
            raise self._error
        data = self._from_memory(offset, size)
        if data is not None:
            return data
        if self._on_disk < end:
            async with self._changed:
                await self._changed.wait_for(
                    lambda: self._on_disk >= end or self._error is not None
                )
            if self._on_disk < end and self._error is not None:
                raise self._error
        cached = _pread_cached(self._fd, size, offset)
        if cached is not None:
            return cached
        return await asyncio.to_thread(_pread, self._fd, size, offset)

    async def read_some(self, offset: int, size: int) -> Piece:
        """1 to `size` bytes at `offset`: the received piece itself (or a view into it).

        Waits until the download got past `offset`; falls back to the disk for
        bytes that left the window.
        """
        if self._received <= offset:
            async with self._changed:
                await self._changed.wait_for(
                    lambda: self._received > offset or self._error is not None
                )
            if self._received <= offset and self._error is not None:
                raise self._error
        piece = self._starts.get(offset)
        if piece is not None:
            return piece if len(piece) <= size else memoryview(piece)[:size]
        if self._window and offset >= self._window[0][0]:
            for first, data in self._window:
                if first <= offset < first + len(data):
                    if first == offset and len(data) <= size:
                        return data
                    start = offset - first
                    return memoryview(data)[start : start + size]
        stored = await self.read(offset, min(size, self._received - offset))
        return memoryview(stored) if isinstance(stored, bytearray) else stored  # see LocalFile

    async def wait_complete(self) -> None:
        """Wait until the whole file is on disk (raises the download's error)."""
        if self.complete:
            return
        async with self._changed:
            await self._changed.wait_for(lambda: self.complete or self._error is not None)
        if not self.complete and self._error is not None:
            raise self._error

    async def close(self) -> None:
        """Stop the download if it still runs and close the spool file (kept on disk)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, FileUnavailable):
                await task
        self._window.clear()
        self._starts.clear()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _download_error(exc: BaseException) -> FileUnavailable:
    # Never include str(exc): httpx messages contain the URL, and the URL the token.
    return FileUnavailable(f"file download failed: {type(exc).__name__}", retryable=True)


async def download_to(
    http: httpx.AsyncClient, location: FileLocation, path: Path, *, buffer_size: int
) -> None:
    """Copy a (small) Telegram file to `path`, streamed; used for photos."""
    if location.local_path is not None:
        await asyncio.to_thread(_copy, location.local_path, path)
        return
    assert location.url is not None
    spool = SpoolDownload(http, location.url, path, size=location.size, buffer_size=buffer_size)
    await spool.start()
    try:
        await spool.wait_complete()
    finally:
        await spool.close()


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while block := src.read(1024 * 1024):
            dst.write(block)
