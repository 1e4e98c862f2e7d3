"""What a video really is, asked of FFmpeg (PyAV): container, codec, size, rate, length.

TikTok checks all of these after a full upload; the bot checks them before
the composer opens. The duration comes from the container, else from the
video stream, else from demuxing the packets (fragmented MP4 and live WebM
carry no duration in their headers). Blocking: call `probe_video` (it runs
FFmpeg in a worker thread).
"""

from __future__ import annotations

import asyncio
import functools
import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from bot.media.reader import ByteSource, CachedReader
from bot.media.sniff import HEAD_BYTES, Container, sniff

# The FFmpeg codec names this module reports, whatever decoder is installed
# (the AV1 decoder may be called "libdav1d").
_CODECS = ("h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "mjpeg", "h263", "prores")
_AV_TIME_BASE = 1_000_000
# Demuxing to learn a missing duration reads the whole file; cap the packets.
_MAX_DEMUX_PACKETS = 2_000_000


class VideoDamaged(Exception):
    """FFmpeg cannot read the file: empty, truncated or corrupt."""


class VideoUndecided(Exception):
    """The probe could not finish (too many reads): leave the verdict to TikTok."""


class VideoUnreachable(Exception):
    """The file could not be read just now (network trouble): ask the user to resend."""


@dataclass(frozen=True, slots=True)
class VideoFacts:
    """A video as TikTok's checks see it."""

    container: Container
    has_video: bool
    codec: str | None = None  # FFmpeg's codec name, e.g. "h264"
    width: int | None = None  # as displayed, after rotation
    height: int | None = None
    fps: float | None = None
    duration: float | None = None  # seconds
    has_audio: bool = False

    @property
    def content_type(self) -> str:
        """The MIME type to upload it with."""
        return self.container.value


async def probe_video(source: ByteSource | Path) -> VideoFacts:
    """Probe a local path or a ranged remote file (head and tail read once, misses capped)."""
    if isinstance(source, Path):
        return await asyncio.to_thread(_probe_path, source)
    if source.size == 0:
        raise VideoDamaged("empty file")
    reader = CachedReader(source, asyncio.get_running_loop())
    await reader.prefetch()
    head = reader.read(HEAD_BYTES)
    reader.seek(0)
    try:
        return await asyncio.to_thread(probe_file, reader, head, source.size)
    except VideoDamaged:
        if reader.failed:
            raise VideoUnreachable("a range request failed") from None
        if reader.exhausted:
            raise VideoUndecided("read budget exceeded") from None
        raise


def _probe_path(path: Path) -> VideoFacts:
    size = path.stat().st_size
    if size == 0:
        raise VideoDamaged("empty file")
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    return probe_file(str(path), head, size)


@functools.cache
def _codec_names() -> dict[int, str]:
    import av  # imported when first needed: FFmpeg takes a while to load

    return {av.Codec(name, "r").id: name for name in _CODECS}


def probe_file(file: str | io.RawIOBase, head: bytes, size: int) -> VideoFacts:
    """Probe an open file or a path (blocking)."""
    import av

    container = sniff(head)
    if not container.is_video:
        return VideoFacts(container=container, has_video=False)
    try:
        with av.open(file, "r") as opened:
            return _facts(opened, container, size)
    except (av.FFmpegError, OSError, StopIteration, ValueError) as exc:
        raise VideoDamaged(type(exc).__name__) from None


def _facts(opened: Any, container: Container, size: int) -> VideoFacts:
    has_audio = bool(opened.streams.audio)
    if not opened.streams.video:
        return VideoFacts(container=container, has_video=False, has_audio=has_audio)
    stream = opened.streams.video[0]
    if _beyond_end(stream, size):
        raise VideoDamaged("truncated")
    codec = _codec_names().get(stream.codec_context.codec.id, stream.codec_context.codec.name)
    width, height = stream.codec_context.width, stream.codec_context.height
    fps = _rate(stream.average_rate) or _rate(stream.base_rate)
    duration = _duration(opened, stream)
    first = next(opened.decode(stream))  # a file whose frames cannot be decoded is damaged
    if first.rotation in (90, -90, 270, -270):
        width, height = height, width
    return VideoFacts(
        container=container,
        has_video=True,
        codec=codec,
        width=width or None,
        height=height or None,
        fps=fps,
        duration=duration,
        has_audio=has_audio,
    )


def _beyond_end(stream: Any, size: int) -> bool:
    """Whether the index points past the end of the file (a cut-off download)."""
    entries = stream.index_entries
    if not len(entries):
        return False
    last = entries[len(entries) - 1]
    return bool(last.pos + last.size > size)


def _rate(value: Fraction | None) -> float | None:
    return float(value) if value else None


def _duration(opened: Any, stream: Any) -> float | None:
    if opened.duration:
        return float(opened.duration) / _AV_TIME_BASE
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return _demuxed_duration(opened, stream)


def _demuxed_duration(opened: Any, stream: Any) -> float | None:
    """The end of the last packet minus the start of the first, read packet by packet."""
    first: int | None = None
    end: int | None = None
    for count, packet in enumerate(opened.demux(stream)):
        if count > _MAX_DEMUX_PACKETS:
            return None
        if packet.pts is None:
            continue
        first = packet.pts if first is None else min(first, packet.pts)
        tail = packet.pts + (packet.duration or 0)
        end = tail if end is None else max(end, tail)
    if first is None or end is None or not stream.time_base:
        return None
    opened.seek(0)
    return float((end - first) * stream.time_base)
