"""Helpers for the publishing pipeline tests: fast tuning, media files, requests."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.app import RunOptions
from bot.publishing.choices import PrivacyLevel
from bot.publishing.jobs import PublishTuning
from bot.publishing.requests import (
    MediaKind,
    MediaRef,
    PostChoices,
    PostMode,
    PublishRequest,
)
from bot.publishing.worker import PublishService
from emulators.telegram import FakeFile, FakeUser
from storage.repositories import LinkedAccount, PublishJobRecord, PublishJobRepository
from tests.support.harness import Harness
from tests.support.videos import VideoSpec, make_video, padded

MIB = 1024 * 1024
_drafts = itertools.count(1)


def fast_tuning(**overrides: object) -> PublishTuning:
    """Worker timings shrunk so a test takes seconds, not minutes."""
    values: dict[str, object] = {
        "poll_min_interval": 0.05,
        "init_min_interval": 0.05,
        "poll_max_interval": 0.2,
        "poll_quiet_until": 0.2,
        "poll_steady_interval": 0.1,
        "poll_settle_after": 2.0,
        "progress_interval": 0.05,
        "chunk_size": 5 * MIB,
        "retry_base": 0.01,
        "retry_max": 0.05,
        "job_retry_base": 0.05,
        "job_retry_max": 0.2,
        "scan_interval": 0.2,
        "lease_seconds": 10.0,
        "post_id_grace": 1.0,
        "rate_limit_pause": 0.05,
        "rate_limit_pause_max": 0.2,
    }
    values.update(overrides)
    return PublishTuning(**values)  # type: ignore[arg-type]


def fast_options(**overrides: object) -> RunOptions:
    """RunOptions with fast publishing."""
    return RunOptions(publishing=fast_tuning(**overrides))


@dataclass(frozen=True)
class VideoFile:
    """A video written to disk for a test, with its digest."""

    path: Path
    size: int
    sha256: str


def write_video(path: Path, size: int, *, brand: bytes = b"isom", seed: int = 1) -> VideoFile:
    """A real 1 s H.264 MP4 (MOV for brand b"qt  ") padded to exactly `size` bytes."""
    fmt = "mov" if brand == b"qt  " else "mp4"
    make_video(path, VideoSpec(seconds=1, fps=25, moving=False, fmt=fmt))
    padded(path, size, seed=seed)
    digest = hashlib.sha256()
    with path.open("rb") as written:
        while block := written.read(MIB):
            digest.update(block)
    return VideoFile(path, size, digest.hexdigest())


def media_ref(fake: FakeFile) -> MediaRef:
    """A MediaRef as the composer builds it from a Telegram message."""
    return MediaRef(
        file_id=fake.file_id,
        file_unique_id=fake.file_unique_id,
        file_size=fake.file_size,
        mime_type=fake.mime_type,
        file_name=fake.file_name,
    )


def video_request(
    user: FakeUser,
    account: LinkedAccount,
    fake: FakeFile,
    *,
    draft_id: int | None = None,
    **settings: object,
) -> PublishRequest:
    """A direct video post (public, comments allowed) unless `settings` say otherwise."""
    values: dict[str, object] = {
        "mode": PostMode.DIRECT,
        "title": "Sunset run #running 🏃",
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "allow_comment": True,
    }
    values.update(settings)
    return PublishRequest(
        draft_id=draft_id if draft_id is not None else next(_drafts),
        telegram_user_id=user.id,
        chat_id=user.id,
        account_id=account.id,
        media=(media_ref(fake),),
        choices=choices(MediaKind.VIDEO, values),
    )


def photo_request(
    user: FakeUser, account: LinkedAccount, fakes: list[FakeFile], **settings: object
) -> PublishRequest:
    """A direct photo post."""
    values: dict[str, object] = {
        "mode": PostMode.DIRECT,
        "title": "Weekend",
        "description": "Three photos from the weekend",
        "privacy_level": "PUBLIC_TO_EVERYONE",
    }
    values.update(settings)
    return PublishRequest(
        draft_id=next(_drafts),
        telegram_user_id=user.id,
        chat_id=user.id,
        account_id=account.id,
        media=tuple(media_ref(f) for f in fakes),
        choices=choices(MediaKind.PHOTO, values),
    )


def choices(kind: MediaKind, values: dict[str, object]) -> PostChoices:
    """PostChoices from keyword settings; a brand switch on implies disclosure."""
    values = dict(values)
    if "photo_cover_index" in values:
        values["cover_index"] = values.pop("photo_cover_index")
    if values.get("brand_organic") or values.get("brand_content"):
        values.setdefault("disclose", True)
    level = values.get("privacy_level")
    values["privacy_level"] = PrivacyLevel(str(level)) if level is not None else None
    return PostChoices(kind=kind, **values)  # type: ignore[arg-type]


async def linked(harness: Harness, user: FakeUser, open_id: str = "open-ana") -> LinkedAccount:
    """Link `open_id` for `user` through the real OAuth flow and return the account."""
    await harness.open_link(user, open_id=open_id)
    await user.wait_for(lambda m: "Linked" in (m.text or ""))
    services = harness.bot.services
    assert services is not None
    accounts = await services.accounts.linked(user.id)
    return next(a for a in accounts if a.open_id == open_id)


def publishing(harness: Harness) -> PublishService:
    """The running bot's PublishService."""
    services = harness.bot.services
    assert services is not None
    return services.publishing


RequestHook = Callable[[httpx.Request], Awaitable[None]]
ResponseHook = Callable[[httpx.Request, httpx.Response], Awaitable[None]]


class TikTokTap(httpx.AsyncBaseTransport):
    """The bot's transport to TikTok, with hooks a test sets to act between requests.

    `before(request)` runs before a request goes out (it may wait, to hold the
    bot mid-upload); `after(request, response)` runs once the reply arrived
    (it may raise, to lose the reply). Survives the bot closing it (restarts).
    """

    def __init__(self) -> None:
        self._inner: httpx.AsyncHTTPTransport | None = None
        self.before: RequestHook | None = None
        self.after: ResponseHook | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.before is not None:
            await self.before(request)
        if self._inner is None:
            self._inner = httpx.AsyncHTTPTransport()
        response = await self._inner.handle_async_request(request)
        if self.after is not None:
            await response.aread()
            await self.after(request, response)
        return response

    async def aclose(self) -> None:
        inner, self._inner = self._inner, None
        if inner is not None:
            await inner.aclose()


def chunk_put(request: httpx.Request, first: int | None = None) -> bool:
    """Whether `request` is a chunk PUT (starting at byte `first`, if given)."""
    if request.method != "PUT" or request.url.path != "/upload/":
        return False
    if first is None:
        return True
    return str(request.headers.get("Content-Range", "")).startswith(f"bytes {first}-")


async def wait_for_job(
    service: PublishService,
    job_id: int,
    predicate: Callable[[PublishJobRecord], bool],
    *,
    within: float = 60.0,
) -> PublishJobRecord:
    """Wait until the job satisfies `predicate` (woken by every state write of `service`)."""

    async def until() -> PublishJobRecord:
        while True:
            changed = service.changed
            job = await service.job(job_id)
            if job is not None and predicate(job):
                return job
            with contextlib.suppress(TimeoutError):
                # The timeout also catches writes made by another process.
                await asyncio.wait_for(changed.wait(), 1.0)

    return await asyncio.wait_for(until(), within)


async def jobs_of(harness: Harness, telegram_user_id: int) -> list[PublishJobRecord]:
    """A user's newest jobs, read from the bot's database."""
    async with harness.bot.db.transaction() as session:
        return await PublishJobRepository(session, harness.bot.cipher).for_user(telegram_user_id)
