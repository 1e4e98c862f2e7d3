"""The PyAV video probe on a generated corpus, locally and through ranged HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.media.checks import check_video
from bot.media.probe import VideoDamaged, VideoUndecided, probe_video
from bot.media.reader import HttpRangeFile
from bot.media.rules import VideoProblem, judge, whole_seconds
from bot.media.sniff import Container, sniff, video_content_type
from tests.support.media import image_bytes


@pytest.mark.parametrize(
    ("name", "container", "codec", "size", "fps", "duration", "audio"),
    [
        ("plain.mp4", Container.MP4, "h264", (360, 640), 30, 1.0, False),
        ("faststart.mp4", Container.MP4, "h264", (360, 640), 30, 1.0, False),
        ("fragmented.mp4", Container.MP4, "h264", (360, 640), 30, 3.0, False),
        ("rotated.mov", Container.QUICKTIME, "h264", (360, 640), 30, 1.0, False),
        ("hevc.mp4", Container.MP4, "hevc", (360, 640), 30, 1.0, False),
        ("vp9.webm", Container.WEBM, "vp9", (360, 640), 30, 1.0, False),
        ("vp8.webm", Container.WEBM, "vp8", (360, 640), 30, 1.0, True),
        ("live.webm", Container.WEBM, "vp9", (360, 640), 30, 2.0, False),
        ("clip.mkv", Container.MATROSKA, "h264", (360, 640), 30, 1.0, False),
        ("fps10.mp4", Container.MP4, "h264", (360, 640), 10, 1.0, False),
        ("fps120.mp4", Container.MP4, "h264", (360, 640), 120, 0.5, False),
        ("small.mp4", Container.MP4, "h264", (240, 320), 30, 1.0, False),
        ("av1.mp4", Container.MP4, "av1", (360, 640), 30, 1.0, False),
        ("long600_4.mp4", Container.MP4, "h264", (360, 640), 25, 600.4, False),
        ("long601.mp4", Container.MP4, "h264", (360, 640), 25, 601.0, False),
        ("clip.3gp", Container.THREE_GP, "h264", (360, 640), 30, 1.0, False),
    ],
)
async def test_probe_facts(
    video_corpus: dict[str, Path],
    name: str,
    container: Container,
    codec: str,
    size: tuple[int, int],
    fps: float,
    duration: float,
    audio: bool,
) -> None:
    facts = await probe_video(video_corpus[name])
    assert facts.container is container
    assert facts.codec == codec
    assert (facts.width, facts.height) == size
    assert facts.fps == pytest.approx(fps)
    assert facts.duration == pytest.approx(duration, abs=0.02)
    assert facts.has_audio is audio


async def test_live_webm_has_no_duration_header_but_gets_one(video_corpus: dict[str, Path]) -> None:
    import av

    with av.open(str(video_corpus["live.webm"])) as opened:
        assert opened.duration is None  # the demuxing fallback is what measured it
    assert (await probe_video(video_corpus["live.webm"])).duration == pytest.approx(2.0, abs=0.02)


async def test_audio_only_has_no_video(video_corpus: dict[str, Path]) -> None:
    facts = await probe_video(video_corpus["audio_only.mp4"])
    assert not facts.has_video and facts.has_audio
    refusal = judge(facts, size=1000)
    assert refusal is not None and refusal.problem is VideoProblem.NO_VIDEO


@pytest.mark.parametrize("name", ["cut_faststart.mp4", "cut_moov_end.mp4", "empty.mp4"])
async def test_damaged_files(video_corpus: dict[str, Path], name: str) -> None:
    with pytest.raises(VideoDamaged):
        await probe_video(video_corpus[name])


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("plain.mp4", None),
        ("fragmented.mp4", None),
        ("rotated.mov", None),
        ("hevc.mp4", None),
        ("vp9.webm", None),
        ("vp8.webm", None),
        ("live.webm", None),
        ("long600.mp4", None),
        ("clip.mkv", VideoProblem.CONTAINER),
        ("clip.3gp", VideoProblem.CONTAINER),
        ("av1.mp4", VideoProblem.CODEC),
        ("mjpeg.mov", VideoProblem.CODEC),
        ("fps10.mp4", VideoProblem.FRAME_RATE),
        ("fps120.mp4", VideoProblem.FRAME_RATE),
        ("small.mp4", VideoProblem.PICTURE_SIZE),
        ("long600_4.mp4", VideoProblem.TOO_LONG),
        ("long601.mp4", VideoProblem.TOO_LONG),
        ("audio_only.mp4", VideoProblem.NO_VIDEO),
        ("cut_faststart.mp4", VideoProblem.DAMAGED),
        ("empty.mp4", VideoProblem.DAMAGED),
    ],
)
async def test_rules(
    video_corpus: dict[str, Path], name: str, problem: VideoProblem | None
) -> None:
    path = video_corpus[name]
    check = await check_video(path, size=path.stat().st_size)
    assert (check.refusal.problem if check.refusal else None) is problem


def test_durations_round_up_for_strict_limits() -> None:
    assert whole_seconds(600.4) == 601
    assert whole_seconds(600.0000001) == 600
    assert whole_seconds(599.2) == 600


class RangeServer:
    """An httpx mock file server counting range requests and bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.requests = 0
        self.bytes = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        first, last = request.headers["Range"].removeprefix("bytes=").split("-")
        body = self.data[int(first) : int(last) + 1]
        self.bytes += len(body)
        return httpx.Response(206, content=body)


async def test_crafted_box_storm_costs_one_request() -> None:
    # 80 KB of 8-byte boxes: the old box walk made one range request per box.
    data = b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00" + b"\x00\x00\x00\x08free" * 10_000
    server = RangeServer(data)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as client:
        check = await check_video(
            HttpRangeFile(client, "http://files/x", len(data)), size=len(data)
        )
    assert check.refusal is not None and check.refusal.problem is VideoProblem.DAMAGED
    assert server.requests == 1


@pytest.mark.parametrize("name", ["plain.mp4", "faststart.mp4", "fragmented.mp4", "live.webm"])
async def test_cloud_probe_matches_local(video_corpus: dict[str, Path], name: str) -> None:
    data = video_corpus[name].read_bytes()
    server = RangeServer(data)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as client:
        remote = await probe_video(HttpRangeFile(client, "http://files/x", len(data)))
    assert remote == await probe_video(video_corpus[name])
    assert server.requests <= 4


async def test_cloud_probe_reads_head_and_tail_of_a_big_file(
    video_corpus: dict[str, Path], tmp_path: Path
) -> None:
    from tests.support.videos import padded

    path = tmp_path / "big.mp4"
    path.write_bytes(video_corpus["faststart.mp4"].read_bytes())
    padded(path, 64 * 1024 * 1024)
    data = path.read_bytes()
    server = RangeServer(data)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as client:
        facts = await probe_video(HttpRangeFile(client, "http://files/x", len(data)))
    assert facts.duration == pytest.approx(1.0)
    assert server.bytes < 8 * 1024 * 1024
    assert server.requests <= 4


async def test_request_cap_leaves_the_verdict_to_tiktok(
    video_corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tiny blocks make a fragmented file need many reads: the probe gives up, not the server.
    import bot.media.reader as reader

    for name, value in {"BLOCK": 1024, "HEAD": 1024, "TAIL": 1024, "MAX_REQUESTS": 5}.items():
        monkeypatch.setattr(reader, name, value)
    data = video_corpus["fragmented.mp4"].read_bytes()
    server = RangeServer(data)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as client:
        with pytest.raises(VideoUndecided):
            await probe_video(HttpRangeFile(client, "http://files/x", len(data)))
    assert server.requests == 5


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x00\x00\x00\x18ftypisom" + b"\0" * 20, Container.MP4),
        (b"\x00\x00\x00\x14ftypqt  " + b"\0" * 20, Container.QUICKTIME),
        (b"\x00\x00\x00\x18ftyp3gp4" + b"\0" * 20, Container.THREE_GP),
        (b"\x00\x00\x00\x18ftypheic" + b"\0" * 20, Container.HEIC),
        (b"\x00\x00\x00\x18ftypavif" + b"\0" * 20, Container.AVIF),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm", Container.WEBM),
        (b"\x1a\x45\xdf\xa3\xa3\x42\x82\x88matroska", Container.MATROSKA),
        (image_bytes("JPEG", 4, 4), Container.JPEG),
        (image_bytes("PNG", 4, 4), Container.PNG),
        (image_bytes("WEBP", 4, 4), Container.WEBP),
        (image_bytes("GIF", 4, 4, mode="P"), Container.GIF),
        (b"%PDF-1.7 hello", Container.UNKNOWN),
    ],
)
def test_one_sniffer(data: bytes, expected: Container) -> None:
    assert sniff(data[:64]) is expected
    assert video_content_type(data[:64]) == (expected.value if expected.tiktok_accepts else None)
