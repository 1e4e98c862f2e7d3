"""PULL_FROM_URL: photo carousels and videos fetched from a tiny local media server."""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from PIL import Image

from emulators.tiktok import TikTokSandbox
from tests.sandbox.helpers import Api, code_of, video_post_info
from tests.support.media import mp4_bytes

CONTENT_INIT = "/v2/post/publish/content/init/"
VIDEO_INIT = "/v2/post/publish/video/init/"
STATUS = "/v2/post/publish/status/fetch/"
VIDEO_BYTES = mp4_bytes(2)


def _image(fmt: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
async def media(sandbox: TikTokSandbox, video_corpus: dict[str, Path]) -> AsyncIterator[str]:
    """Serve test media on loopback; its origin is a verified prefix of the app."""
    files = {
        "/ok.jpg": _image("JPEG", (1080, 720)),
        "/ok.webp": _image("WEBP", (640, 640)),
        "/bad.png": _image("PNG", (100, 100)),
        "/huge.jpg": _image("JPEG", (2000, 100)),
        "/clip.mp4": VIDEO_BYTES,
        "/notavideo.mp4": b"<html>hello</html>" * 10,
        "/fps10.mp4": video_corpus["fps10.mp4"].read_bytes(),
    }

    async def serve(request: web.Request) -> web.StreamResponse:
        if request.path == "/redirect.jpg":
            raise web.HTTPFound("/ok.jpg")
        body = files.get(request.path)
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(body=body)

    app = web.Application()
    app.router.add_get("/{name}", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    origin = f"http://127.0.0.1:{runner.addresses[0][1]}"
    sandbox.apps["sbx_client_key"].verified_url_prefixes.append(origin + "/")
    try:
        yield origin
    finally:
        await runner.cleanup()


def _photo_body(urls: list[str], **post: Any) -> dict[str, Any]:
    info = {
        "title": "Carousel",
        "description": "Three photos #photo",
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "disable_comment": False,
        "auto_add_music": True,
        "brand_content_toggle": False,
    }
    info.update(post)
    return {
        "media_type": "PHOTO",
        "post_mode": "DIRECT_POST",
        "post_info": info,
        "source_info": {"source": "PULL_FROM_URL", "photo_images": urls, "photo_cover_index": 0},
    }


async def _status(api: Api, publish_id: str) -> dict[str, Any]:
    data: dict[str, Any] = (await api.post(STATUS, {"publish_id": publish_id})).json()["data"]
    return data


async def test_photo_carousel_is_pulled_and_posted(
    sandbox: TikTokSandbox, alice: Api, media: str
) -> None:
    urls = [f"{media}/ok.jpg", f"{media}/ok.webp"]
    reply = await alice.post(CONTENT_INIT, _photo_body(urls))
    assert reply.status_code == 200, reply.text
    publish_id = reply.json()["data"]["publish_id"]
    assert "upload_url" not in reply.json()["data"]
    await sandbox.wait_background()
    status = await _status(alice, publish_id)
    assert status["status"] == "PROCESSING_DOWNLOAD"
    publish = sandbox.publishes[publish_id]
    assert [(i.format, i.width, i.height) for i in publish.images] == [
        ("JPEG", 1080, 720),
        ("WEBP", 640, 640),
    ]
    assert status["downloaded_bytes"] == sum(i.size for i in publish.images)
    sandbox.clock.advance(5)
    status = await _status(alice, publish_id)
    assert status["status"] == "PUBLISH_COMPLETE"
    post = sandbox.posts("alice")[0]
    assert status["publicaly_available_post_id"] == [int(post.id)]
    assert post.kind == "PHOTO" and post.title == "Carousel"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad.png", "file_format_check_failed"),
        ("huge.jpg", "picture_size_check_failed"),
        ("redirect.jpg", "photo_pull_failed"),
        ("missing.jpg", "photo_pull_failed"),
    ],
)
async def test_one_bad_image_fails_the_carousel(
    sandbox: TikTokSandbox, alice: Api, media: str, name: str, reason: str
) -> None:
    reply = await alice.post(CONTENT_INIT, _photo_body([f"{media}/ok.jpg", f"{media}/{name}"]))
    publish_id = reply.json()["data"]["publish_id"]
    await sandbox.wait_background()
    status = await _status(alice, publish_id)
    assert status["status"] == "FAILED"
    assert status["fail_reason"] == reason
    assert sandbox.posts("alice")[0].kind == "VIDEO"  # nothing was posted


async def test_photo_pull_from_a_dead_server(
    sandbox: TikTokSandbox, alice: Api, media: str
) -> None:
    sandbox.apps["sbx_client_key"].verified_url_prefixes.append("http://127.0.0.1:9/")
    reply = await alice.post(CONTENT_INIT, _photo_body(["http://127.0.0.1:9/x.jpg"]))
    await sandbox.wait_background()
    status = await _status(alice, reply.json()["data"]["publish_id"])
    assert status["fail_reason"] == "photo_pull_failed"


async def test_photo_init_validation(sandbox: TikTokSandbox, alice: Api, media: str) -> None:
    sandbox.faults.set_rate_limit(CONTENT_INIT, 100)
    ok = f"{media}/ok.jpg"
    unverified = await alice.post(CONTENT_INIT, _photo_body(["https://elsewhere.example/a.jpg"]))
    assert unverified.status_code == 403 and code_of(unverified) == "url_ownership_unverified"
    cases: list[dict[str, Any]] = [
        _photo_body([ok], title="x" * 91),
        _photo_body([ok], description="x" * 4001),
        _photo_body([ok], privacy_level=None),
        _photo_body([ok], brand_content_toggle=True, privacy_level="SELF_ONLY"),
        _photo_body([]),
        _photo_body([ok] * 36),
        {**_photo_body([ok]), "media_type": "VIDEO"},
        {**_photo_body([ok]), "post_mode": "DRAFT"},
    ]
    cases[2]["post_info"].pop("privacy_level")
    bad_cover = _photo_body([ok])
    bad_cover["source_info"]["photo_cover_index"] = 1
    cases.append(bad_cover)
    for body in cases:
        reply = await alice.post(CONTENT_INIT, body)
        assert code_of(reply) == "invalid_params", body
    mismatch = await alice.post(
        CONTENT_INIT, _photo_body([ok], privacy_level="FOLLOWER_OF_CREATOR")
    )
    assert code_of(mismatch) == "privacy_level_option_mismatch"
    assert sandbox.publishes == {}


async def test_https_is_required_unless_allowed(
    sandbox: TikTokSandbox, alice: Api, media: str
) -> None:
    sandbox.apps["sbx_client_key"].allow_http_media = False
    reply = await alice.post(CONTENT_INIT, _photo_body([f"{media}/ok.jpg"]))
    assert reply.status_code == 400 and code_of(reply) == "invalid_params"
    assert "https" in reply.json()["error"]["message"]


async def test_photo_to_inbox(sandbox: TikTokSandbox, alice: Api, media: str) -> None:
    body = _photo_body([f"{media}/ok.jpg"])
    body["post_mode"] = "MEDIA_UPLOAD"
    body["post_info"] = {"title": "draft"}
    reply = await alice.post(CONTENT_INIT, body)
    assert code_of(reply) == "ok"
    await sandbox.wait_background()
    sandbox.clock.advance(5)
    status = await _status(alice, reply.json()["data"]["publish_id"])
    assert status["status"] == "SEND_TO_USER_INBOX"


async def test_video_pull_from_url(sandbox: TikTokSandbox, alice: Api, media: str) -> None:
    body = {
        "post_info": video_post_info(),
        "source_info": {"source": "PULL_FROM_URL", "video_url": f"{media}/clip.mp4"},
    }
    reply = await alice.post(VIDEO_INIT, body)
    assert reply.status_code == 200, reply.text
    publish_id = reply.json()["data"]["publish_id"]
    await sandbox.wait_background()
    pulled = sandbox.publishes[publish_id].pulled_video
    assert pulled is not None
    assert pulled.sha256 == hashlib.sha256(VIDEO_BYTES).hexdigest()
    assert (await _status(alice, publish_id))["downloaded_bytes"] == len(VIDEO_BYTES)
    sandbox.clock.advance(5)
    assert (await _status(alice, publish_id))["status"] == "PUBLISH_COMPLETE"

    body["source_info"]["video_url"] = f"{media}/notavideo.mp4"
    reply = await alice.post(VIDEO_INIT, body)
    await sandbox.wait_background()
    status = await _status(alice, reply.json()["data"]["publish_id"])
    assert status["fail_reason"] == "file_format_check_failed"

    # A real video that breaks a rule: TikTok's check after the pull.
    body["source_info"]["video_url"] = f"{media}/fps10.mp4"
    reply = await alice.post(VIDEO_INIT, body)
    await sandbox.wait_background()
    status = await _status(alice, reply.json()["data"]["publish_id"])
    assert status["fail_reason"] == "frame_rate_check_failed"
