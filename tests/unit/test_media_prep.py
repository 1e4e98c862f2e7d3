"""Upload Content-Types by content, and photo conversion with real Pillow images."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from bot.media.photos import PhotoUnusable, prepare_photo
from bot.media.sniff import video_content_type
from tests.support.media import image_bytes, mp4_bytes, webm_bytes


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (mp4_bytes(1.0)[:16], "video/mp4"),
        (mp4_bytes(1.0, brand=b"qt  ")[:16], "video/quicktime"),
        (b"\x00\x00\x00\x18ftypM4V \x00\x00\x02\x00", "video/mp4"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", "video/quicktime"),  # old QuickTime
        (webm_bytes(1.0)[:64], "video/webm"),
        (b"GIF89a" + b"\x00" * 10, None),
        (image_bytes("JPEG", 8, 8)[:16], None),
        (b"", None),
        (b"\x00\x00\x00\x18ftypmp42"[:6], None),  # too short to tell
    ],
)
def test_video_type_comes_from_the_bytes(head: bytes, content_type: str | None) -> None:
    assert video_content_type(head) == content_type


def convert(tmp_path: Path, data: bytes, name: str = "in") -> tuple[Path, Image.Image]:
    source = tmp_path / name
    source.write_bytes(data)
    target = tmp_path / "out" / "0.jpg"
    prepared = prepare_photo(source, target)
    assert prepared.path == target and prepared.size == target.stat().st_size
    with Image.open(target) as opened:
        opened.load()
        image = opened.copy()
        image.format = opened.format
        exif = opened.getexif()
    assert (prepared.width, prepared.height) == image.size
    assert exif.get(0x0112) in (None, 1)  # no orientation left to apply twice
    return target, image


def test_png_with_alpha_becomes_an_rgb_jpeg_on_white(tmp_path: Path) -> None:
    picture = Image.new("RGBA", (40, 20), (255, 0, 0, 255))
    picture.paste((0, 0, 0, 0), (0, 0, 20, 20))  # left half fully transparent
    path = tmp_path / "alpha.png"
    picture.save(path)
    _, image = convert(tmp_path, path.read_bytes())
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (40, 20)
    left = image.getpixel((5, 10))
    right = image.getpixel((35, 10))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    assert min(left) > 240  # transparent -> white, not black
    assert right[0] > 200 and right[1] < 50  # opaque red stays red


def test_palette_png_with_transparency(tmp_path: Path) -> None:
    picture = Image.new("P", (10, 10), 0)
    picture.info["transparency"] = 0
    path = tmp_path / "p.png"
    picture.save(path, transparency=0)
    _, image = convert(tmp_path, path.read_bytes())
    assert image.mode == "RGB"


def test_exif_rotation_is_applied_to_the_pixels(tmp_path: Path) -> None:
    # Stored 400 x 300 landscape, EXIF 6 = "rotate 90° clockwise to display".
    _, image = convert(tmp_path, image_bytes("JPEG", 400, 300, exif_orientation=6))
    assert image.size == (300, 400)


def test_4000_px_photo_is_scaled_to_1080(tmp_path: Path) -> None:
    _, image = convert(tmp_path, image_bytes("JPEG", 4000, 2250))
    assert image.size == (1080, 608)


def test_small_photos_keep_their_size(tmp_path: Path) -> None:
    _, image = convert(tmp_path, image_bytes("WEBP", 1080, 1080))
    assert image.size == (1080, 1080) and image.format == "JPEG"


def test_grayscale_and_cmyk_become_rgb(tmp_path: Path) -> None:
    _, gray = convert(tmp_path, image_bytes("PNG", 30, 30, mode="L"), "g")
    assert gray.mode == "RGB"
    _, cmyk = convert(tmp_path, image_bytes("JPEG", 30, 30, mode="CMYK"), "c")
    assert cmyk.mode == "RGB"


@pytest.mark.parametrize("data", [b"not an image", b"\xff\xd8\xff\xe0 truncated jpeg", b""])
def test_unreadable_files_are_refused(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "bad"
    source.write_bytes(data)
    with pytest.raises(PhotoUnusable):
        prepare_photo(source, tmp_path / "out.jpg")
