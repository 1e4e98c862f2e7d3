"""Cover frames and the contact sheet, from real videos."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageStat

from bot.media.frames import contact_sheet, cover_frames
from bot.media.reader import HttpRangeFile


async def test_four_evenly_spaced_frames(video_corpus: dict[str, Path]) -> None:
    frames = await cover_frames(video_corpus["fragmented.mp4"], 4)  # 3 s at 30 fps
    assert [f.timestamp_ms for f in frames] == pytest.approx([375, 1125, 1875, 2625], abs=34)
    # The corpus videos change brightness frame by frame: four different pictures.
    means = {round(ImageStat.Stat(f.image.convert("L")).mean[0]) for f in frames}
    assert len(means) == 4
    sheet = Image.open(io.BytesIO(contact_sheet(frames)))
    assert sheet.format == "JPEG" and sheet.width > 4 * frames[0].image.width


async def test_rotated_video_frames_are_upright(video_corpus: dict[str, Path]) -> None:
    [frame] = await cover_frames(video_corpus["rotated.mov"], 1)
    assert frame.image.height > frame.image.width  # stored 640x360, shown 360x640


async def test_frames_through_ranged_reads(video_corpus: dict[str, Path]) -> None:
    data = video_corpus["vp9.webm"].read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        first, last = request.headers["Range"].removeprefix("bytes=").split("-")
        return httpx.Response(206, content=data[int(first) : int(last) + 1])

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        frames = await cover_frames(HttpRangeFile(client, "http://files/v", len(data)), 3)
    assert len(frames) == 3


async def test_previews(video_corpus: dict[str, Path]) -> None:
    from bot.media.previews import cover_sheet, video_still

    still = await video_still(video_corpus["plain.mp4"])
    assert still is not None and Image.open(io.BytesIO(still)).format == "JPEG"
    sheet = await cover_sheet(video_corpus["vp8.webm"], 4)
    assert sheet is not None and len(sheet.timestamps_ms) == 4
    assert list(sheet.timestamps_ms) == sorted(sheet.timestamps_ms)
    assert await cover_sheet(video_corpus["audio_only.mp4"]) is None
    assert await video_still(video_corpus["cut_moov_end.mp4"]) is None
