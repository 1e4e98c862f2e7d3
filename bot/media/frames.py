"""Still frames of a video: cover choices and the composer's preview (FFmpeg via PyAV).

A cover candidate is the first frame at or after an evenly spaced
timestamp; seeking goes to the keyframe before it and decodes forward, so
a few frames of a long video cost a few short decodes, not the whole file.
The candidates are laid out on one numbered contact sheet (one message).
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.media.reader import ByteSource, CachedReader

if TYPE_CHECKING:  # Pillow loads when a frame is drawn, not at start-up
    from PIL import Image

FRAME_SIDE = 480  # longest side of a frame on the sheet
_LABEL_PAD = 12


class NoFrames(Exception):
    """No frame could be read (not a video, damaged, or the read budget ran out)."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded still, upright, scaled down; `timestamp_ms` from the start of the video."""

    timestamp_ms: int
    image: Image.Image


async def cover_frames(source: ByteSource | Path, count: int = 4) -> list[Frame]:
    """`count` evenly spaced frames (local path, or ranged reads within the probe's budget)."""
    if isinstance(source, Path):
        return await asyncio.to_thread(_frames, str(source), count)
    reader = CachedReader(source, asyncio.get_running_loop())
    await reader.prefetch()
    return await asyncio.to_thread(_frames, reader, count)


def _frames(file: str | CachedReader, count: int) -> list[Frame]:
    import av  # imported when first needed: FFmpeg takes a while to load

    try:
        with av.open(file) as opened:
            return _frames_of(opened, count)
    except (av.FFmpegError, OSError, ValueError, IndexError) as exc:
        raise NoFrames(type(exc).__name__) from None


def _frames_of(opened: Any, count: int) -> list[Frame]:
    stream = opened.streams.video[0]
    stream.thread_type = "AUTO"
    duration = _seconds(opened, stream)
    frames = []
    for index in range(count):
        at = duration * (index + 0.5) / count if duration else 0.0
        frame = _frame_at(opened, stream, at)
        if frame is not None:
            frames.append(frame)
    return frames


def _seconds(opened: Any, stream: Any) -> float:
    if opened.duration:
        return float(opened.duration) / 1_000_000
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return 0.0


def _frame_at(opened: Any, stream: Any, seconds: float) -> Frame | None:
    target = int(seconds / stream.time_base) + (stream.start_time or 0)
    opened.seek(target, stream=stream, backward=True, any_frame=False)
    for decoded in opened.decode(stream):
        if decoded.pts is None or decoded.pts < target:
            continue
        image = decoded.to_image()
        rotation = decoded.rotation
        if rotation:
            # The display matrix is counter-clockwise; PIL rotates counter-clockwise too.
            image = image.rotate(rotation, expand=True)
        image.thumbnail((FRAME_SIDE, FRAME_SIDE))
        start = stream.start_time or 0
        milliseconds = round(float((decoded.pts - start) * stream.time_base) * 1000)
        return Frame(timestamp_ms=max(0, milliseconds), image=image)
    return None


def contact_sheet(frames: list[Frame]) -> bytes:
    """The frames side by side, numbered 1..n, as one JPEG."""
    if not frames:
        raise ValueError("no frames")
    from PIL import Image, ImageDraw, ImageFont

    width = sum(f.image.width for f in frames) + _LABEL_PAD * (len(frames) + 1)
    height = max(f.image.height for f in frames) + 2 * _LABEL_PAD
    sheet = Image.new("RGB", (width, height), (24, 24, 24))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=40)
    x = _LABEL_PAD
    for number, frame in enumerate(frames, start=1):
        sheet.paste(frame.image.convert("RGB"), (x, _LABEL_PAD))
        draw.rectangle((x, _LABEL_PAD, x + 56, _LABEL_PAD + 56), fill=(0, 0, 0))
        draw.text((x + 16, _LABEL_PAD + 4), str(number), fill=(255, 255, 255), font=font)
        x += frame.image.width + _LABEL_PAD
    out = io.BytesIO()
    sheet.save(out, "JPEG", quality=85)
    return out.getvalue()


def still_jpeg(frame: Frame) -> bytes:
    """One frame as a JPEG (the composer's preview)."""
    out = io.BytesIO()
    frame.image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()
