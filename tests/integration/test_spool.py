"""SpoolDownload over real loopback HTTP: pipelined reads, Range resume, failures."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from bot.publishing.sources import FileUnavailable, LocalFile, SpoolDownload, remove_spool

MIB = 1024 * 1024
SIZE = 3 * MIB + 123


class FileServer:
    """Serves one file; can ignore Range, or cut the body short."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ranges: list[str | None] = []
        self.honour_range = True
        self.cut_at: int | None = None
        self.gate = asyncio.Event()
        self.gate.set()
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        header = request.headers.get("Range")
        self.ranges.append(header)
        start = 0
        if header and self.honour_range:
            start = int(header.removeprefix("bytes=").rstrip("-"))
        response = web.StreamResponse(status=206 if start else 200)
        response.content_length = len(self.data) - start
        await response.prepare(request)
        end = len(self.data) if self.cut_at is None else self.cut_at
        half = start + (end - start) // 2
        await response.write(self.data[start:half])
        await self.gate.wait()  # lets a test read while the download is half done
        await response.write(self.data[half:end])
        if self.cut_at is not None:
            request.transport.close()  # type: ignore[union-attr]
        return response

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/file", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/file"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def server() -> AsyncIterator[FileServer]:
    data = hashlib.sha256(b"seed").digest() * (SIZE // 32) + b"x" * (SIZE % 32)
    running = FileServer(data)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def read_all(source: SpoolDownload | LocalFile, size: int, step: int = 500_000) -> bytes:
    out = bytearray()
    for offset in range(0, size, step):
        out += await source.read(offset, min(step, size - offset))
    return bytes(out)


async def test_reads_wait_for_the_download(
    server: FileServer, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    server.gate.clear()
    spool = SpoolDownload(http, server.url, tmp_path / "1.part", size=None, buffer_size=64 * 1024)
    await spool.start()
    assert spool.size == SIZE
    head = await spool.read(0, 1000)  # the first half is on disk already
    assert head == server.data[:1000]
    tail = asyncio.ensure_future(spool.read(SIZE - 10, 10))
    await asyncio.sleep(0.05)
    assert not tail.done() and spool.written < SIZE  # waiting for bytes, not failing
    server.gate.set()
    assert await tail == server.data[-10:]
    assert await read_all(spool, SIZE) == server.data
    await spool.close()
    assert (tmp_path / "1.part").read_bytes() == server.data


async def test_an_interrupted_spool_resumes_with_a_range_request(
    server: FileServer, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    part = tmp_path / "2.part"
    server.gate.clear()  # the server stops after half the file
    first = SpoolDownload(http, server.url, part, size=SIZE, buffer_size=64 * 1024)
    await first.start()
    await first.read(MIB - 1, 1)
    await first.close()  # the bot stops mid-download
    server.gate.set()

    again = SpoolDownload(http, server.url, part, size=SIZE, buffer_size=64 * 1024)
    await again.start()
    await again.wait_complete()
    await again.close()
    # Progress is recorded every 16 buffers: the second run asks for the rest only.
    [_, resumed] = server.ranges
    assert resumed is not None and resumed.startswith("bytes=")
    assert MIB <= int(resumed.removeprefix("bytes=").rstrip("-")) < SIZE // 2
    assert part.read_bytes() == server.data


async def test_a_spool_from_before_a_reboot_is_not_trusted(
    server: FileServer, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    part = tmp_path / "2b.part"
    part.write_bytes(server.data[:MIB])
    # Written before a power loss: the page cache may never have reached the disk.
    (tmp_path / "2b.part.len").write_text(f"{MIB} another-boot-id\n")
    spool = SpoolDownload(http, server.url, part, size=SIZE, buffer_size=64 * 1024)
    await spool.start()
    await spool.wait_complete()
    await spool.close()
    assert server.ranges == [None]
    assert part.read_bytes() == server.data
    remove_spool(part)
    assert not part.exists() and not (tmp_path / "2b.part.len").exists()


async def test_a_server_ignoring_range_restarts_from_zero(
    server: FileServer, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    part = tmp_path / "3.part"
    server.gate.clear()
    first = SpoolDownload(http, server.url, part, size=SIZE, buffer_size=64 * 1024)
    await first.start()
    await first.read(MIB - 1, 1)
    await first.close()
    server.gate.set()
    server.honour_range = False
    spool = SpoolDownload(http, server.url, part, size=SIZE, buffer_size=64 * 1024)
    await spool.start()
    await spool.wait_complete()
    await spool.close()
    assert part.read_bytes() == server.data


async def test_a_finished_spool_is_not_downloaded_again(
    server: FileServer, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    part = tmp_path / "4.part"
    first = SpoolDownload(http, server.url, part, size=SIZE, buffer_size=64 * 1024)
    await first.start()
    await first.wait_complete()
    await first.close()
    spool = SpoolDownload(http, server.url, part, size=SIZE, buffer_size=64 * 1024)
    await spool.start()
    assert spool.complete
    assert await read_all(spool, SIZE) == server.data  # read back from disk
    await spool.close()
    assert server.ranges == [None]  # only the first download


async def test_a_download_cut_short_fails_readers_retryably(
    server: FileServer, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    server.cut_at = SIZE // 2
    spool = SpoolDownload(http, server.url, tmp_path / "5.part", size=SIZE, buffer_size=64 * 1024)
    await spool.start()
    with pytest.raises(FileUnavailable) as failed:
        await spool.read(SIZE - 1, 1)
    assert failed.value.retryable
    assert "http://" not in str(failed.value)  # never the URL: it carries the bot token
    await spool.close()


async def test_local_files_are_read_in_place(tmp_path: Path) -> None:
    path = tmp_path / "local.mp4"
    path.write_bytes(b"0123456789")
    source = LocalFile(path)
    assert source.size == 10
    assert await source.read(3, 4) == b"3456"
    with pytest.raises(FileUnavailable):
        await source.read(8, 5)
    await source.close()
