"""Background downloads of PULL_FROM_URL media, checked like TikTok checks them."""

from __future__ import annotations

import hashlib
import io
import warnings

import httpx
from PIL import Image, UnidentifiedImageError

from emulators.tiktok.chunks import MAX_VIDEO_SIZE
from emulators.tiktok.media_check import Spool, judge_video
from emulators.tiktok.records import Publish, PulledImage, PulledVideo
from emulators.tiktok.state import SandboxState

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_SIDE = 1080
_OK_STATUSES = (200, 206)
# ISO-BMFF box types that can open an MP4/MOV file.
_MP4_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
_WEBM_MAGIC = b"\x1a\x45\xdf\xa3"


class PullFailed(Exception):
    """A pull ended the publish; ``reason`` is TikTok's fail_reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def looks_like_video(head: bytes) -> bool:
    """Whether the first bytes are those of an MP4/MOV or WebM file."""
    return head[4:8] in _MP4_BOXES or head.startswith(_WEBM_MAGIC)


def image_format(head: bytes) -> str | None:
    """JPEG or WEBP by magic number, else None (TikTok refuses PNG, GIF, ...)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


async def pull_video(state: SandboxState, publish: Publish, url: str) -> None:
    """Stream a video through a hash and a spool, check it like TikTok, then start processing."""
    spool = Spool()
    try:
        await _pull_video(state, publish, url, spool)
    finally:
        spool.close()


async def _pull_video(state: SandboxState, publish: Publish, url: str, spool: Spool) -> None:
    hasher = hashlib.sha256()
    head = b""
    size = 0
    try:
        async with state.http_client().stream("GET", url) as response:
            if response.status_code not in _OK_STATUSES:
                raise PullFailed("video_pull_failed")
            async for data in response.aiter_bytes():
                if len(head) < 12:
                    head += data[: 12 - len(head)]
                size += len(data)
                if size > MAX_VIDEO_SIZE:
                    raise PullFailed("file_format_check_failed")
                hasher.update(data)
                await spool.add(data)
                publish.downloaded_bytes = size
        if not looks_like_video(head):
            raise PullFailed("file_format_check_failed")
        await spool.flush()
        account = state.accounts[publish.open_id]
        verdict = await judge_video(spool.path, account.max_video_post_duration_sec)
        if verdict.fail_reason is not None:
            raise PullFailed(verdict.fail_reason)
        publish.media_duration = verdict.duration
    except PullFailed as failure:
        publish.fail(failure.reason, state.clock.now())
        return
    except (httpx.HTTPError, httpx.InvalidURL):
        publish.fail("video_pull_failed", state.clock.now())
        return
    publish.pulled_video = PulledVideo(url=url, size=size, sha256=hasher.hexdigest())
    publish.media_ready_at = state.clock.now()


async def pull_photos(state: SandboxState, publish: Publish, urls: list[str]) -> None:
    """Download and check every image; one bad image fails the whole carousel."""
    try:
        for url in urls:
            publish.images.append(await _pull_image(state.http_client(), publish, url))
    except PullFailed as failure:
        publish.fail(failure.reason, state.clock.now())
        return
    except (httpx.HTTPError, httpx.InvalidURL):
        publish.fail("photo_pull_failed", state.clock.now())
        return
    publish.media_ready_at = state.clock.now()


async def _pull_image(client: httpx.AsyncClient, publish: Publish, url: str) -> PulledImage:
    data = bytearray()
    async with client.stream("GET", url) as response:
        if response.status_code not in _OK_STATUSES:
            raise PullFailed("photo_pull_failed")
        async for chunk in response.aiter_bytes():
            data += chunk
            publish.downloaded_bytes += len(chunk)
            if len(data) > MAX_IMAGE_BYTES:
                raise PullFailed("picture_size_check_failed")
    fmt = image_format(bytes(data[:12]))
    if fmt is None:
        raise PullFailed("file_format_check_failed")
    width, height = _dimensions(bytes(data))
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
        raise PullFailed("picture_size_check_failed")
    return PulledImage(url=url, format=fmt, width=width, height=height, size=len(data))


def _dimensions(data: bytes) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            # Huge declared sizes warn before they fail; the size check below decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return image.size
    except Image.DecompressionBombError:
        raise PullFailed("picture_size_check_failed") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise PullFailed("file_format_check_failed") from None
