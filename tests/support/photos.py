"""Photos of every kind the converter must get right, made with Pillow at test time."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pillow_heif
from PIL import Image

from tests.support.icc import adobe_rgb, cmyk_press

pillow_heif.register_heif_opener()


def gradient(mode: str, size: tuple[int, int] = (64, 48)) -> Image.Image:
    """A colourful test picture (so colour shifts show in the mean)."""
    width, height = size
    rgb = Image.new("RGB", size)
    rgb.putdata(
        [
            (x * 255 // width, y * 255 // height, (x + y) * 127 // (width + height) + 60)
            for y in range(height)
            for x in range(width)
        ]
    )
    return rgb if mode == "RGB" else rgb.convert(mode)


def cmyk_jpeg() -> bytes:
    """A CMYK JPEG carrying a press profile (inks print darker than the naive formula)."""
    out = io.BytesIO()
    gradient("CMYK").save(out, "JPEG", quality=95, icc_profile=cmyk_press())
    return out.getvalue()


def adobe_rgb_png() -> bytes:
    """A PNG in AdobeRGB: without the profile its greens come out shifted."""
    out = io.BytesIO()
    gradient("RGB").save(out, "PNG", icc_profile=adobe_rgb())
    return out.getvalue()


def gray16_png(value: int = 30000) -> bytes:
    """A 16-bit grayscale PNG (value out of 65535)."""
    width, height = 32, 16
    rows = b"".join(b"\0" + struct.pack(">H", value) * width for _ in range(height))
    return _png(width, height, bit_depth=16, colour_type=0, data=zlib.compress(rows))


def heic() -> bytes:
    """An HEIC photo (the iPhone's format)."""
    out = io.BytesIO()
    gradient("RGB").save(out, "HEIF", quality=90)
    return out.getvalue()


def avif() -> bytes:
    """An AVIF photo."""
    out = io.BytesIO()
    gradient("RGB").save(out, "AVIF", quality=90)
    return out.getvalue()


def huge_jpeg(width: int = 12000, height: int = 9000) -> bytes:
    """A valid, very large JPEG (decoded at reduced scale, not refused)."""
    out = io.BytesIO()
    Image.new("L", (width, height), 140).save(out, "JPEG", quality=50)
    return out.getvalue()


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG that declares an enormous picture (a decompression bomb)."""
    row = b"\0" + b"\0" * width
    return _png(width, height, bit_depth=8, colour_type=0, data=zlib.compress(row * 4))


def truncated_jpeg() -> bytes:
    """A JPEG cut off half way (opens fine, fails when decoded)."""
    out = io.BytesIO()
    gradient("RGB", (400, 300)).save(out, "JPEG", quality=95)
    data = out.getvalue()
    return data[: len(data) // 2]


def _png(width: int, height: int, *, bit_depth: int, colour_type: int, data: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write bytes to folder/name."""
    path = folder / name
    path.write_bytes(data)
    return path
