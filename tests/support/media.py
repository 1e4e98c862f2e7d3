"""Small, real media files built at test time (no binary fixtures committed)."""

from __future__ import annotations

import functools
import io
import struct
import tempfile
from pathlib import Path

from PIL import Image

from tests.support.videos import VideoSpec, make_video, padded


def box(kind: bytes, payload: bytes) -> bytes:
    """An MP4 box."""
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


@functools.cache
def mp4_bytes(duration_s: float, *, size: int = 0, brand: bytes = b"isom") -> bytes:
    """A real, decodable H.264 MP4 (MOV for brand b"qt  ") of `duration_s`, padded to `size`."""
    fmt = "mov" if brand == b"qt  " else "mp4"
    spec = VideoSpec(seconds=duration_s, fps=25, moving=False, fmt=fmt)
    with tempfile.TemporaryDirectory() as folder:
        path = make_video(Path(folder) / f"clip.{fmt}", spec)
        if size:
            padded(path, size)
        return path.read_bytes()


@functools.cache
def webm_bytes(duration_s: float) -> bytes:
    """A real VP8 WebM of `duration_s`."""
    spec = VideoSpec(codec="libvpx", seconds=duration_s, fps=25, moving=False)
    with tempfile.TemporaryDirectory() as folder:
        return make_video(Path(folder) / "clip.webm", spec).read_bytes()


def image_bytes(
    fmt: str, width: int, height: int, *, mode: str = "RGB", exif_orientation: int | None = None
) -> bytes:
    """A real encoded image."""
    image = Image.new(
        mode, (width, height), (200, 30, 90, 128)[: len(mode)] if mode != "L" else 128
    )
    out = io.BytesIO()
    kwargs = {}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
