"""Why a photo can't be used; importable without loading Pillow."""

from __future__ import annotations


class PhotoUnusable(ValueError):
    """The file is not an image the bot can read (damaged, truncated, unknown)."""


class PhotoTooLarge(PhotoUnusable):
    """The picture has too many pixels to decode safely (a decompression bomb, or nearly)."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width}x{height} pixels")
        self.width = width
        self.height = height


__all__ = ["PhotoTooLarge", "PhotoUnusable"]
