"""Media preparation: what a video really is, and photos TikTok will accept.

TikTok takes MP4, MOV and WebM videos and sends back a refusal when the
Content-Type of a chunk lies, so the type comes from the file's first bytes,
never from the name Telegram reports. Photo carousels fail as a whole when one
image is not JPEG/WEBP or exceeds 1080 px, so every photo is converted here to
a baseline JPEG first.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported when a photo is prepared, not at start-up
    from PIL import Image

MAX_PHOTO_SIDE = 1080
MAX_PHOTO_BYTES = 20 * 1024 * 1024
JPEG_QUALITY = 90
SNIFF_BYTES = 16

# ISO base media boxes that may open an MP4/MOV file. Old QuickTime files
# start with one of the latter without an `ftyp` box.
_QUICKTIME_BOXES = (b"moov", b"mdat", b"wide", b"free", b"skip")
_QUICKTIME_BRAND = b"qt  "
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska/WebM


def sniff_video_type(head: bytes) -> str | None:
    """The Content-Type of a video by its first bytes, or None if it is not one TikTok takes."""
    if head.startswith(_EBML_MAGIC):
        return "video/webm"
    box = head[4:8]
    if box == b"ftyp":
        return "video/quicktime" if head[8:12] == _QUICKTIME_BRAND else "video/mp4"
    if box in _QUICKTIME_BOXES:
        return "video/quicktime"
    return None


class PhotoUnusable(ValueError):
    """The file is not an image Pillow can read (or it is absurdly large)."""


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    """A JPEG written for TikTok to pull."""

    path: Path
    width: int
    height: int
    size: int


def prepare_photo(source: Path, target: Path, *, max_side: int = MAX_PHOTO_SIDE) -> PreparedPhoto:
    """Convert `source` into an RGB JPEG at `target`, upright, longest side <= `max_side`.

    Blocking (decoding is CPU work): run it in a thread. EXIF orientation is
    applied to the pixels because TikTok ignores the tag; transparency is
    flattened onto white because JPEG has no alpha.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # A decompression-bomb warning becomes an error: refuse, do not decode.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                # JPEG can decode at 1/2, 1/4, 1/8 scale: far less memory for big photos.
                opened.draft("RGB", (max_side, max_side))
                image = ImageOps.exif_transpose(opened)
                image = _flatten(image)
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                target.parent.mkdir(parents=True, exist_ok=True)
                image.save(target, "JPEG", quality=JPEG_QUALITY, optimize=True)
                width, height = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoUnusable("not a readable image") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise PhotoUnusable(f"cannot decode: {type(exc).__name__}") from None
    size = target.stat().st_size
    if size > MAX_PHOTO_BYTES:
        raise PhotoUnusable("the converted photo is over 20 MB")
    return PreparedPhoto(path=target, width=width, height=height, size=size)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB without alpha: transparent areas become white, palettes are expanded."""
    from PIL import Image

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
