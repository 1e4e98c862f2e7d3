"""The sandbox judges uploaded videos like TikTok: real files, TikTok's fail_reason codes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from emulators.tiktok import TikTokSandbox
from tests.sandbox.helpers import Api, file_source, put_chunk, video_post_info

VIDEO_INIT = "/v2/post/publish/video/init/"
STATUS = "/v2/post/publish/status/fetch/"


@pytest.mark.parametrize(
    ("name", "fail_reason"),
    [
        ("plain.mp4", None),
        ("fragmented.mp4", None),
        ("rotated.mov", None),
        ("hevc.mp4", None),
        ("vp9.webm", None),
        ("vp8.webm", None),
        ("live.webm", None),
        ("long600.mp4", None),
        ("clip.mkv", "file_format_check_failed"),
        ("clip.3gp", "file_format_check_failed"),
        ("av1.mp4", "file_format_check_failed"),
        ("mjpeg.mov", "file_format_check_failed"),
        ("audio_only.mp4", "file_format_check_failed"),
        ("cut_moov_end.mp4", "file_format_check_failed"),
        ("fps10.mp4", "frame_rate_check_failed"),
        ("fps120.mp4", "frame_rate_check_failed"),
        ("small.mp4", "picture_size_check_failed"),
        ("long600_4.mp4", "duration_check_failed"),
        ("long601.mp4", "duration_check_failed"),
    ],
)
async def test_uploaded_video_is_checked(
    sandbox: TikTokSandbox,
    client: httpx.AsyncClient,
    alice: Api,
    video_corpus: dict[str, Path],
    name: str,
    fail_reason: str | None,
) -> None:
    data = video_corpus[name].read_bytes()
    reply = await alice.post(
        VIDEO_INIT, {"post_info": video_post_info(), "source_info": file_source(len(data))}
    )
    init = reply.json()["data"]
    upload = await put_chunk(client, init["upload_url"], data, 0, len(data))
    assert upload.status_code == 201
    sandbox.clock.advance(5)
    status = (await alice.post(STATUS, {"publish_id": init["publish_id"]})).json()["data"]
    if fail_reason is None:
        assert status["status"] == "PUBLISH_COMPLETE", status
        expected = {"long600.mp4": 600.0, "fragmented.mp4": 3.0, "live.webm": 2.0}.get(name, 1.0)
        measured = sandbox.publishes[init["publish_id"]].media_duration
        assert measured == pytest.approx(expected, abs=0.05)
    else:
        assert (status["status"], status.get("fail_reason")) == ("FAILED", fail_reason)
