"""TikTok's video checks on what was uploaded or pulled: the sandbox's own judge.

TikTok decodes every upload and fails the publish when the file breaks its
rules (MP4/MOV/WebM; H.264, H.265, VP8, VP9; 23-60 fps; 360-4096 px per side;
the creator's maximum duration). The sandbox does the same with FFmpeg
(PyAV), independently of the bot, so a test that posts proves the video
passed these checks. The bytes are kept in a temporary spool file only until
the check ran.
"""

from __future__ import annotations

import asyncio
import functools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_CODEC_NAMES = ("h264", "hevc", "vp8", "vp9")
_MIN_FPS, _MAX_FPS = 23.0, 60.0
_MIN_SIDE, _MAX_SIDE = 360, 4096
_FPS_SLACK = 0.01


@dataclass(frozen=True)
class MediaVerdict:
    """A fail_reason (None when the video passes) and the duration TikTok measured."""

    fail_reason: str | None
    duration: float | None = None
    width: int | None = None
    height: int | None = None


class Spool:
    """An upload being written to a temporary file, in order, off the event loop."""

    FLUSH = 1024 * 1024

    def __init__(self) -> None:
        handle, name = tempfile.mkstemp(prefix="sandbox-upload-", suffix=".bin")
        self._fd = handle
        self.path = Path(name)
        self._pending: list[bytes] = []
        self._pending_bytes = 0

    async def add(self, data: bytes) -> None:
        """Append bytes (written in MiB pieces)."""
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= self.FLUSH:
            await self.flush()

    async def flush(self) -> None:
        """Write what is pending."""
        if self._pending:
            data, self._pending, self._pending_bytes = b"".join(self._pending), [], 0
            await asyncio.to_thread(_write_all, self._fd, data)

    async def cut(self, size: int) -> None:
        """Keep only the first `size` bytes (a chunk broke off; the client sends it again)."""
        self._pending, self._pending_bytes = [], 0
        await asyncio.to_thread(_truncate, self._fd, size)

    def close(self) -> None:
        """Delete the spool."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self.path.unlink(missing_ok=True)


def _truncate(fd: int, size: int) -> None:
    os.ftruncate(fd, size)
    os.lseek(fd, size, os.SEEK_SET)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


async def judge_video(path: Path, max_duration: int) -> MediaVerdict:
    """Check a complete video file like TikTok does (in a worker thread)."""
    return await asyncio.to_thread(_judge, path, max_duration)


@functools.cache
def _codec_ids() -> frozenset[int]:
    import av

    return frozenset(av.Codec(name, "r").id for name in _CODEC_NAMES)


def _judge(path: Path, max_duration: int) -> MediaVerdict:
    import av  # loaded on the first check: importing the sandbox stays quick

    with path.open("rb") as handle:
        head = handle.read(64)
    if not _accepted_container(head):
        return MediaVerdict("file_format_check_failed")
    try:
        with av.open(str(path)) as opened:
            return _check(opened, max_duration)
    except (av.FFmpegError, OSError, StopIteration, ValueError):
        return MediaVerdict("file_format_check_failed")


def _accepted_container(head: bytes) -> bool:
    if head[4:8] == b"ftyp":
        # MP4 and MOV brands; 3GP and still-image brands (HEIC, AVIF) are refused.
        return head[8:11] not in (b"3gp", b"3g2") and head[8:12] not in (
            b"heic",
            b"heix",
            b"mif1",
            b"msf1",
            b"avif",
            b"avis",
        )
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return True
    return head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head


def _check(opened: Any, max_duration: int) -> MediaVerdict:
    if not opened.streams.video:
        return MediaVerdict("file_format_check_failed")
    stream = opened.streams.video[0]
    if stream.codec_context.codec.id not in _codec_ids():
        return MediaVerdict("file_format_check_failed")
    frame = next(opened.decode(stream))
    width, height = stream.codec_context.width, stream.codec_context.height
    if frame.rotation in (90, -90, 270, -270):
        width, height = height, width
    duration = _duration(opened, stream)
    fps = float(stream.average_rate or stream.base_rate or 0)
    if duration is not None and duration > max_duration:
        return MediaVerdict("duration_check_failed", duration, width, height)
    if fps and not _MIN_FPS - _FPS_SLACK <= fps <= _MAX_FPS + _FPS_SLACK:
        return MediaVerdict("frame_rate_check_failed", duration, width, height)
    if not (_MIN_SIDE <= width <= _MAX_SIDE and _MIN_SIDE <= height <= _MAX_SIDE):
        return MediaVerdict("picture_size_check_failed", duration, width, height)
    return MediaVerdict(None, duration, width, height)


def _duration(opened: Any, stream: Any) -> float | None:
    if opened.duration:
        return float(opened.duration) / 1_000_000
    opened.seek(0)
    end = None
    for packet in opened.demux(stream):
        if packet.pts is not None:
            tail = packet.pts + (packet.duration or 0)
            end = tail if end is None else max(end, tail)
    return float(end * stream.time_base) if end is not None else None
