"""Photos TikTok will accept: every image becomes an upright sRGB baseline JPEG.

Photo carousels fail as a whole when one image is not JPEG/WEBP or exceeds
1080 px, so every photo is converted first. Colours are kept true: an
embedded ICC profile (CMYK print files, AdobeRGB cameras) is converted to
sRGB, 16-bit images are scaled down to 8 bits instead of clipped. Memory
stays bounded: sizes are read from the header before decoding, JPEGs are
decoded at reduced scale, huge pictures are refused, and at most
PIXEL_BUDGET pixels are being decoded at any time across the pool.
"""

from __future__ import annotations

import functools
import io
import logging
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from bot.media.photo_errors import PhotoTooLarge as PhotoTooLarge
from bot.media.photo_errors import PhotoUnusable as PhotoUnusable

log = logging.getLogger(__name__)

MAX_PHOTO_SIDE = 1080
MAX_PHOTO_BYTES = 20 * 1024 * 1024
JPEG_QUALITY = 90
# The most pixels one photo may decode to (after JPEG's reduced-scale decoding):
# 50 MP covers 48 MP phone photos in any format (Pillow holds 4 bytes a pixel:
# 200 MB); a 9400x9400 PNG (88 MP) is refused.
MAX_DECODE_PIXELS = 50_000_000
PIXEL_BUDGET = 50_000_000  # pixels being decoded at once, all conversions together
_SRGB = ImageCms.createProfile("sRGB")
_HIGH_DEPTH = ("I;16", "I;16B", "I;16L", "I;16N", "I")


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    """A JPEG written for TikTok to pull."""

    path: Path
    width: int
    height: int
    size: int


class _PixelBudget:
    """Lets conversions decode at most `limit` pixels at once (one big photo always may)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._used = 0
        self._changed = threading.Condition()

    def acquire(self, pixels: int) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._used == 0 or self._used + pixels <= self._limit)
            self._used += pixels

    def release(self, pixels: int) -> None:
        with self._changed:
            self._used -= pixels
            self._changed.notify_all()


_budget = _PixelBudget(PIXEL_BUDGET)


def prepare_photo(source: Path, target: Path, *, max_side: int = MAX_PHOTO_SIDE) -> PreparedPhoto:
    """Convert `source` into an sRGB JPEG at `target`, upright, longest side <= `max_side`.

    Blocking (decoding is CPU work): run it in the photo pool. Raises
    PhotoUnusable (or PhotoTooLarge).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        width, height = _convert(source, out, max_side)
    size = target.stat().st_size
    if size > MAX_PHOTO_BYTES:
        raise PhotoUnusable("the converted photo is over 20 MB")
    return PreparedPhoto(path=target, width=width, height=height, size=size)


def check_photo(source: Path, *, max_side: int = MAX_PHOTO_SIDE) -> tuple[int, int]:
    """Convert `source` without keeping the result: the (width, height) TikTok would get.

    The surest check that a photo is usable is the conversion itself (a
    truncated JPEG opens fine and fails only when decoded). Blocking.
    """
    return _convert(source, io.BytesIO(), max_side)


@functools.cache
def _register_heif() -> None:
    """HEIC/HEIF (iPhone photos) for Pillow, which reads AVIF itself; loaded on first use."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def _convert(source: Path, out: IO[bytes], max_side: int) -> tuple[int, int]:
    _register_heif()
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 MP; the header check below decides instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                # JPEG can decode at 1/2, 1/4, 1/8 scale: far less memory for big photos.
                opened.draft(opened.mode, (max_side, max_side))
                width, height = opened.size
                pixels = width * height
                if pixels > MAX_DECODE_PIXELS:
                    raise PhotoTooLarge(*_declared_size(opened))
                _budget.acquire(pixels)
                try:
                    image = _small_srgb(opened, max_side)
                finally:
                    _budget.release(pixels)
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        return image.size
    except Image.DecompressionBombError:
        raise PhotoTooLarge(0, 0) from None
    except PhotoUnusable:
        raise
    except UnidentifiedImageError:
        raise PhotoUnusable("not a readable image") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise PhotoUnusable(f"cannot decode: {type(exc).__name__}") from None


def _declared_size(opened: Image.Image) -> tuple[int, int]:
    return opened.size


def _small_srgb(opened: Image.Image, max_side: int) -> Image.Image:
    """Decode, scale down first (so every later step is cheap), then fix depth, colour, tilt."""
    profile = opened.info.get("icc_profile")
    image = opened
    if image.mode in ("P", "1", "PA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in _HIGH_DEPTH:
        image = _eight_bit(image)
    # In place: no second full-size copy. exif_transpose then returns a new,
    # small image, which outlives the file `opened` is closed with.
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    image = ImageOps.exif_transpose(image)
    if profile:
        image = _to_srgb(image, profile)
    return _flatten(image)


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit (or 32-bit integer) grey as 8-bit grey: scaled, not clipped to white."""
    wide = image.convert("I")
    return wide.point(lambda value: value * (1 / 257)).convert("L")


def _to_srgb(image: Image.Image, profile: bytes) -> Image.Image:
    """Apply the embedded ICC profile: the pixels as the author saw them, in sRGB."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
        base = image.convert("RGB" if image.mode == "RGBA" else "L") if alpha else image
        converted = ImageCms.profileToProfile(
            base, source, _SRGB, outputMode="RGB", renderingIntent=ImageCms.Intent.PERCEPTUAL
        )
    except (ImageCms.PyCMSError, OSError, ValueError) as exc:
        # A broken profile must not lose the photo: keep the pixels as they are.
        log.info("ignoring an unusable ICC profile: %s", type(exc).__name__)
        return image
    if converted is None:
        return image
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _flatten(image: Image.Image) -> Image.Image:
    """RGB without alpha: transparent areas become white, palettes are expanded."""
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode != "RGB":
        return image.convert("RGB")
    return image
