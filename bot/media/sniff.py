"""What a file is, from its first bytes: the one content sniffer of the bot.

Names and MIME types sent by Telegram clients lie (a .mp4 that is an MKV, a
"video" that is a GIF); TikTok judges the content, so the bot does too.
"""

from __future__ import annotations

from enum import StrEnum

HEAD_BYTES = 64

# ISO-BMFF brands (the `ftyp` box) that mark still images rather than videos.
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"hevc", b"hevx")
_AVIF_BRANDS = (b"avif", b"avis")
_THREE_GP_PREFIXES = (b"3gp", b"3g2")
# Old QuickTime files start with one of these boxes instead of `ftyp`.
_QUICKTIME_BOXES = (b"moov", b"mdat", b"wide", b"free", b"skip")
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"


class Container(StrEnum):
    """File kinds the bot recognises, valued by their MIME type."""

    MP4 = "video/mp4"
    QUICKTIME = "video/quicktime"
    WEBM = "video/webm"
    MATROSKA = "video/x-matroska"
    THREE_GP = "video/3gpp"
    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"
    GIF = "image/gif"
    HEIC = "image/heic"
    AVIF = "image/avif"
    UNKNOWN = "application/octet-stream"

    @property
    def is_video(self) -> bool:
        """A video container of any kind (TikTok takes only some: see `tiktok_accepts`)."""
        return self.value.startswith("video/")

    @property
    def tiktok_accepts(self) -> bool:
        """A container TikTok accepts for video uploads (MP4, MOV, WebM)."""
        return self in {Container.MP4, Container.QUICKTIME, Container.WEBM}

    @property
    def is_photo(self) -> bool:
        """An image the bot can convert to TikTok's JPEG."""
        return self in {
            Container.JPEG,
            Container.PNG,
            Container.WEBP,
            Container.HEIC,
            Container.AVIF,
        }


def sniff(head: bytes) -> Container:
    """The container of a file from its first bytes (HEAD_BYTES are enough)."""
    if head.startswith(b"\xff\xd8\xff"):
        return Container.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Container.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Container.WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Container.GIF
    if head[4:8] == b"ftyp":
        return _iso_brand(head[8:12])
    if head[4:8] in _QUICKTIME_BOXES:
        return Container.QUICKTIME
    if head.startswith(_EBML_MAGIC):
        # The EBML header's DocType says "webm" or "matroska" within the first bytes.
        return Container.WEBM if b"webm" in head[:HEAD_BYTES] else Container.MATROSKA
    return Container.UNKNOWN


def _iso_brand(brand: bytes) -> Container:
    if brand in _AVIF_BRANDS:
        return Container.AVIF
    if brand in _HEIF_BRANDS:
        return Container.HEIC
    if brand[:3] in _THREE_GP_PREFIXES:
        return Container.THREE_GP
    return Container.QUICKTIME if brand == b"qt  " else Container.MP4


def video_content_type(head: bytes) -> str | None:
    """The upload Content-Type of a video TikTok takes, or None for anything else."""
    container = sniff(head)
    return container.value if container.tiktok_accepts else None
