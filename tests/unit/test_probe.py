"""Content sniffing and durations read from the bytes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.publishing.probe import (
    Container,
    HttpRangeFile,
    LocalFile,
    read_head,
    sniff,
    video_duration,
)
from tests.support.media import image_bytes, mp4_bytes, webm_bytes


class MemorySource:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)
        self.reads = 0

    async def read_at(self, offset: int, length: int) -> bytes:
        self.reads += 1
        return self.data[offset : offset + length]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (mp4_bytes(1), Container.MP4),
        (mp4_bytes(1, brand=b"qt  "), Container.QUICKTIME),
        (webm_bytes(1), Container.WEBM),
        (image_bytes("JPEG", 4, 4), Container.JPEG),
        (image_bytes("PNG", 4, 4), Container.PNG),
        (image_bytes("WEBP", 4, 4), Container.WEBP),
        (image_bytes("GIF", 4, 4, mode="P"), Container.GIF),
        (b"\x00\x00\x00\x18ftypheic" + b"\0" * 20, Container.HEIC),
        (b"%PDF-1.7 hello", Container.UNKNOWN),
    ],
)
def test_sniff_by_content(data: bytes, expected: Container) -> None:
    assert sniff(data[:64]) is expected


async def test_mp4_duration_with_moov_at_the_end() -> None:
    source = MemorySource(mp4_bytes(42.5, size=3_000_000))
    assert await video_duration(source, Container.MP4) == pytest.approx(42.5)
    assert source.reads < 10  # walked the boxes, did not read the file


async def test_mp4_v1_and_webm_durations() -> None:
    assert await video_duration(
        MemorySource(mp4_bytes(601, v1=True)), Container.MP4
    ) == pytest.approx(601)
    assert await video_duration(MemorySource(webm_bytes(12.25)), Container.WEBM) == pytest.approx(
        12.25
    )


async def test_garbage_has_no_duration() -> None:
    assert await video_duration(MemorySource(b"\x00" * 100), Container.MP4) is None
    assert await video_duration(MemorySource(b"\x1a\x45\xdf\xa3\xff"), Container.WEBM) is None


async def test_local_and_http_range_sources(tmp_path: Path) -> None:
    data = mp4_bytes(7, size=200_000)
    path = tmp_path / "v.mp4"
    path.write_bytes(data)
    local = LocalFile(path)
    assert sniff(await read_head(local)) is Container.MP4
    assert await video_duration(local, Container.MP4) == pytest.approx(7)

    ranges: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ranges.append(request.headers["Range"])
        first, last = (int(x) for x in request.headers["Range"].split("=")[1].split("-"))
        return httpx.Response(206, content=data[first : last + 1])

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        remote = HttpRangeFile(client, "https://files.example/v.mp4", len(data))
        assert await video_duration(remote, Container.MP4) == pytest.approx(7)
    assert all(r.startswith("bytes=") for r in ranges)

    def ignores_range(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=data)

    async with httpx.AsyncClient(transport=httpx.MockTransport(ignores_range)) as client:
        remote = HttpRangeFile(client, "https://files.example/v.mp4", len(data))
        assert await remote.read_at(10, 5) == data[10:15]
