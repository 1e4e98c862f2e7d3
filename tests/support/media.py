"""Small, real media files built in memory for tests (no fixtures on disk)."""

from __future__ import annotations

import io
import struct

from PIL import Image


def box(kind: bytes, payload: bytes) -> bytes:
    """An MP4 box."""
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_bytes(
    duration_s: float, *, size: int = 0, brand: bytes = b"isom", v1: bool = False
) -> bytes:
    """A structurally valid MP4/MOV: ftyp, mdat padding, moov/mvhd at the END (like many phones)."""
    timescale = 600
    ticks = round(duration_s * timescale)
    if v1:
        mvhd = box(
            b"mvhd", b"\x01\x00\x00\x00" + struct.pack(">QQIQ", 0, 0, timescale, ticks) + b"\0" * 80
        )
    else:
        mvhd = box(
            b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, timescale, ticks) + b"\0" * 80
        )
    head = box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand + b"mp41")
    moov = box(b"moov", mvhd)
    padding = max(0, size - len(head) - len(moov) - 8)
    return head + box(b"mdat", b"\x00" * padding) + moov


def _ebml_id(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def _ebml_size(n: int) -> bytes:
    return (0x01 << 56 | n).to_bytes(8, "big")


def _el(element_id: int, payload: bytes) -> bytes:
    return _ebml_id(element_id) + _ebml_size(len(payload)) + payload


def webm_bytes(duration_s: float) -> bytes:
    """A minimal WebM header with Segment/Info/Duration."""
    header = _el(0x1A45DFA3, _el(0x4282, b"webm"))
    info = _el(
        0x1549A966,
        _el(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
        + _el(0x4489, struct.pack(">d", duration_s * 1000)),
    )
    segment = _ebml_id(0x18538067) + b"\x01\xff\xff\xff\xff\xff\xff\xff" + info
    return header + segment


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
