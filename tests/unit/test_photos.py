"""Photo conversion keeps colours true, reads every phone format and refuses bombs by header."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

from bot.media.checks import PhotoProblem, check_photo_file
from bot.media.photos import PhotoTooLarge, PhotoUnusable, prepare_photo
from bot.media.sniff import Container, sniff
from tests.support import photos


def converted(tmp_path: Path, data: bytes) -> Image.Image:
    source = photos.write(tmp_path, "in", data)
    prepared = prepare_photo(source, tmp_path / "out.jpg")
    with Image.open(prepared.path) as image:
        assert image.format == "JPEG" and image.mode == "RGB"
        return image.copy()


def reference(data: bytes) -> Image.Image:
    """The source converted with its own profile by LittleCMS directly."""
    with Image.open(io.BytesIO(data)) as image:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
        out = ImageCms.profileToProfile(
            image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    assert out is not None
    return out


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


@pytest.mark.parametrize("make", [photos.cmyk_jpeg, photos.adobe_rgb_png])
def test_icc_profiles_are_converted_to_srgb(tmp_path: Path, make: object) -> None:
    assert callable(make)
    data = make()
    out = converted(tmp_path, data)
    with Image.open(io.BytesIO(data)) as source:
        naive = source.convert("RGB")
    assert mean_difference(out, reference(data)) < 3  # JPEG noise only
    assert mean_difference(out, naive) > 8  # the profile made a visible difference


def test_16_bit_gray_is_scaled_not_clipped(tmp_path: Path) -> None:
    out = converted(tmp_path, photos.gray16_png(30000))
    assert ImageStat.Stat(out).mean == pytest.approx([30000 / 257] * 3, abs=2)


@pytest.mark.parametrize(
    ("make", "container"), [(photos.heic, Container.HEIC), (photos.avif, Container.AVIF)]
)
def test_heic_and_avif_are_converted(tmp_path: Path, make: object, container: Container) -> None:
    assert callable(make)
    data = make()
    assert sniff(data[:64]) is container
    out = converted(tmp_path, data)
    assert out.size == (64, 48)
    assert mean_difference(out, photos.gradient("RGB")) < 6


def test_huge_jpeg_is_decoded_at_reduced_scale(tmp_path: Path) -> None:
    out = converted(tmp_path, photos.huge_jpeg())
    assert out.size == (1080, 810)


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (9400, 9400)])
def test_bombs_are_refused_by_header(tmp_path: Path, width: int, height: int) -> None:
    source = photos.write(tmp_path, "bomb.png", photos.bomb_png(width, height))
    with pytest.raises(PhotoTooLarge):
        prepare_photo(source, tmp_path / "out.jpg")


def test_truncated_jpeg_is_unusable(tmp_path: Path) -> None:
    source = photos.write(tmp_path, "cut.jpg", photos.truncated_jpeg())
    with pytest.raises(PhotoUnusable):
        prepare_photo(source, tmp_path / "out.jpg")


async def test_intake_check_names_the_problem(tmp_path: Path) -> None:
    good = photos.write(tmp_path, "good.jpg", photos.cmyk_jpeg())
    cut = photos.write(tmp_path, "cut.jpg", photos.truncated_jpeg())
    bomb = photos.write(tmp_path, "bomb.png", photos.bomb_png())
    assert await check_photo_file(good) is None
    damaged = await check_photo_file(cut, 3)
    assert damaged is not None and (damaged.problem, damaged.number) == (PhotoProblem.DAMAGED, 3)
    large = await check_photo_file(bomb, 2)
    assert large is not None and large.problem is PhotoProblem.TOO_LARGE
