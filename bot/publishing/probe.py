"""What a file really is, and how long a video lasts, read from its bytes.

Names and MIME types sent by Telegram clients lie (a .mp4 that is an MKV, a
"video" that is a GIF); TikTok checks the content, so we do too before the
composer opens. Duration matters for documents: Telegram reports it for
videos only. MP4/MOV keep it in moov/mvhd (possibly at the END of the file,
so we walk top-level boxes with ranged reads); WebM keeps it in
Segment/Info/Duration near the start.
"""

from __future__ import annotations

import asyncio
import struct
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import httpx


class Container(StrEnum):
    """File kinds we recognise by signature."""

    MP4 = "video/mp4"
    QUICKTIME = "video/quicktime"
    WEBM = "video/webm"
    MATROSKA = "video/x-matroska"
    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"
    GIF = "image/gif"
    HEIC = "image/heic"
    UNKNOWN = "application/octet-stream"

    @property
    def is_video(self) -> bool:
        """A container TikTok accepts for video (MP4, MOV, WebM)."""
        return self in {Container.MP4, Container.QUICKTIME, Container.WEBM}

    @property
    def is_photo(self) -> bool:
        """An image we can convert to TikTok's JPEG."""
        return self in {Container.JPEG, Container.PNG, Container.WEBP}


HEAD_BYTES = 64


def sniff(head: bytes) -> Container:
    """The container of a file from its first bytes."""
    if head.startswith(b"\xff\xd8\xff"):
        return Container.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Container.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Container.WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Container.GIF
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"avif"):
            return Container.HEIC
        return Container.QUICKTIME if brand == b"qt  " else Container.MP4
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return Container.QUICKTIME  # old QuickTime files start without ftyp
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Container.WEBM if b"webm" in head[:HEAD_BYTES] else Container.MATROSKA
    return Container.UNKNOWN


class ByteSource(Protocol):
    """Random access to a file's bytes (local disk or HTTP ranges)."""

    size: int

    async def read_at(self, offset: int, length: int) -> bytes:
        """Up to `length` bytes from `offset` (fewer at the end of the file)."""
        ...


class LocalFile:
    """A file on this machine (local Bot API mode)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size

    async def read_at(self, offset: int, length: int) -> bytes:
        """Read a slice in a worker thread (disk reads must not block the loop)."""
        return await asyncio.to_thread(self._read, offset, length)

    def _read(self, offset: int, length: int) -> bytes:
        with self.path.open("rb") as handle:
            handle.seek(offset)
            return handle.read(length)


class HttpRangeFile:
    """A remote file read with Range requests; never downloads it whole."""

    def __init__(self, client: httpx.AsyncClient, url: str, size: int) -> None:
        self._client = client
        self._url = url
        self.size = size

    async def read_at(self, offset: int, length: int) -> bytes:
        """GET one range; if the server ignores Range, read only what is needed."""
        if offset >= self.size or length <= 0:
            return b""
        last = min(offset + length, self.size) - 1
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
            return bytes(out[:wanted])


async def read_head(source: ByteSource) -> bytes:
    """The first bytes, enough to sniff."""
    return await source.read_at(0, HEAD_BYTES)


async def video_duration(source: ByteSource, container: Container) -> float | None:
    """Duration in seconds, or None when the file does not say."""
    if container in (Container.MP4, Container.QUICKTIME):
        return await _mp4_duration(source)
    if container in (Container.WEBM, Container.MATROSKA):
        return _ebml_duration(await source.read_at(0, 256 * 1024))
    return None


# -- MP4 / QuickTime ---------------------------------------------------------------

_MAX_BOXES = 10_000  # a corrupt file must not loop forever


async def _find_box(
    source: ByteSource, start: int, end: int, wanted: bytes
) -> tuple[int, int] | None:
    """(payload offset, payload size) of the first `wanted` box in [start, end)."""
    offset = start
    for _ in range(_MAX_BOXES):
        if offset + 8 > end:
            return None
        header = await source.read_at(offset, 16)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header[:8])
        header_len = 8
        if size == 1:
            if len(header) < 16:
                return None
            size = struct.unpack(">Q", header[8:16])[0]
            header_len = 16
        elif size == 0:
            size = end - offset
        if size < header_len:
            return None
        if kind == wanted:
            return offset + header_len, size - header_len
        offset += size
    return None


async def _mp4_duration(source: ByteSource) -> float | None:
    moov = await _find_box(source, 0, source.size, b"moov")
    if moov is None:
        return None
    mvhd = await _find_box(source, moov[0], moov[0] + moov[1], b"mvhd")
    if mvhd is None:
        return None
    body = await source.read_at(mvhd[0], 32)
    if not body:
        return None
    if body[0] == 1:
        if len(body) < 32:
            return None
        timescale, duration = struct.unpack(">IQ", body[20:32])
    else:
        if len(body) < 20:
            return None
        timescale, duration = struct.unpack(">II", body[12:20])
    if timescale == 0:
        return None
    return float(duration) / float(timescale)


# -- WebM / Matroska (EBML) --------------------------------------------------------------

_SEGMENT, _INFO, _TIMECODE_SCALE, _DURATION = 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489
_UNKNOWN_SIZE = -1


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `pos`: (value, length)."""
    first = data[pos]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        mask >>= 1
        length += 1
    if length > 8 or pos + length > len(data):
        raise ValueError("bad EBML varint")
    value = first if keep_marker else first & (mask - 1)
    all_ones = value == mask - 1 and not keep_marker
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
        all_ones = all_ones and byte == 0xFF
    return (_UNKNOWN_SIZE if all_ones else value), length


def _elements(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """(id, payload start, payload size) of the elements in [start, end)."""
    found = []
    pos = start
    while pos < end and pos < len(data):
        try:
            element_id, id_len = _vint(data, pos, keep_marker=True)
            size, size_len = _vint(data, pos + id_len, keep_marker=False)
        except (ValueError, IndexError):
            break
        payload = pos + id_len + size_len
        if size == _UNKNOWN_SIZE:
            size = len(data) - payload
        found.append((element_id, payload, size))
        pos = payload + size
    return found


def _ebml_duration(data: bytes) -> float | None:
    for element_id, start, size in _elements(data, 0, len(data)):
        if element_id != _SEGMENT:
            continue
        for child_id, child_start, child_size in _elements(data, start, start + size):
            if child_id != _INFO:
                continue
            scale, duration = 1_000_000, None
            for item_id, item_start, item_size in _elements(
                data, child_start, child_start + child_size
            ):
                raw = data[item_start : item_start + item_size]
                if item_id == _TIMECODE_SCALE and raw:
                    scale = int.from_bytes(raw, "big")
                elif item_id == _DURATION and len(raw) in (4, 8):
                    duration = struct.unpack(">f" if len(raw) == 4 else ">d", raw)[0]
            if duration is None:
                return None
            return float(duration) * scale / 1e9
    return None
