"""One run of one publish job, under a lease held by the worker.

A run picks the job up where its row says it is and goes as far as it can:

- no publish_id yet: get the media, check it, init, and save the publish_id
  at once in its own committed transaction;
- a publish_id and an unfinished upload: ask TikTok how many bytes it holds
  and continue from there with the stored upload URL; only when TikTok says
  the upload was cancelled (FAILED/publish_cancelled, after the URL expired)
  is a fresh init made — the one case where TikTok confirms nothing can be
  posted from the old one;
- then poll status until TikTok gives the outcome or the deadline passes.

Temporary trouble (TikTok down, rate limits, a dropped download) ends the run
with the job rescheduled (`not_before`), the lease given back; the next run
resumes from the stored state. Every write checks the lease, so a worker that
lost its claim stops instead of fighting the new owner.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bot.accounts import TokenManager
from bot.clock import Clock
from bot.errors import AccountNeedsRelink, AccountNotFound
from bot.publishing.chunks import ChunkPlan, VideoSizeError
from bot.publishing.jobs import JobState, PublishTuning, request_from_json
from bot.publishing.media import SNIFF_BYTES, PhotoUnusable, prepare_photo, sniff_video_type
from bot.publishing.pacing import SharedPacer
from bot.publishing.post_info import (
    PostInfoInvalid,
    photo_post_info,
    photo_post_mode,
    photo_source_info,
    video_post_info,
)
from bot.publishing.progress import ProgressChannel
from bot.publishing.render import outcome_text, state_text
from bot.publishing.requests import MediaKind, PublishRequest
from bot.publishing.sources import (
    FileTooBig,
    FileUnavailable,
    LocalFile,
    MediaSource,
    SpoolDownload,
    TelegramFiles,
    download_to,
    remove_spool,
)
from bot.publishing.upload import ChunkUploader, UploadInterrupted, UploadRejected
from bot.texts import publishing as texts
from bot.tiktok import (
    AccessTokenInvalid,
    BadRequest,
    PostingRefused,
    PublishingAPI,
    PublishStatus,
    RateLimited,
    ScopeMissing,
    TikTokError,
    TikTokUnavailable,
    VideosAPI,
)
from storage.crypto import TokenCipher
from storage.db import Database
from storage.media_store import MediaStore
from storage.repositories import LinkedAccount
from storage.repositories.publish_jobs import PublishJobRecord, PublishJobRepository

log = logging.getLogger(__name__)

T = TypeVar("T")

# TikTok's status values (strings, as TikTok sends them).
PROCESSING_UPLOAD = "PROCESSING_UPLOAD"
PUBLISH_COMPLETE = "PUBLISH_COMPLETE"
SEND_TO_USER_INBOX = "SEND_TO_USER_INBOX"
FAILED = "FAILED"
# The fail_reason TikTok gives an upload whose URL expired before it completed.
PUBLISH_CANCELLED = "publish_cancelled"
# Status checks in a row during one upload before the run gives up for now.
MAX_UPLOAD_CHECKS = 8


class LeaseLost(Exception):
    """Another worker owns the job now: stop without writing anything."""


class JobFailed(Exception):
    """The job ends FAILED with `code` (see texts.publishing)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class JobUnconfirmed(Exception):
    """TikTok has the media but we cannot learn the outcome: never post again."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class RetryLater(Exception):
    """Temporary trouble: run the job again after a backoff."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a job ended."""

    state: JobState
    code: str | None = None
    post_id: str | None = None
    share_url: str | None = None


def classify_failure(exc: Exception, *, started: bool) -> Outcome | RetryLater:
    """What an error means for a job: how it ends, or that it should run again later.

    `started` is whether the job has a publish_id: once TikTok may hold our
    media, losing access means "unconfirmed" (check the app), never "failed".
    """
    lost_access = JobState.UNCONFIRMED if started else JobState.FAILED
    if isinstance(exc, FileTooBig):
        return Outcome(JobState.FAILED, "file_too_big")
    if isinstance(exc, FileUnavailable):
        if exc.retryable:
            return RetryLater("file_unavailable")
        return Outcome(JobState.FAILED, "file_unavailable")
    if isinstance(exc, AccountNeedsRelink):
        return Outcome(lost_access, "needs_relink")
    if isinstance(exc, AccountNotFound):
        return Outcome(lost_access, "account_gone")
    if isinstance(exc, ScopeMissing):
        return Outcome(lost_access, "scope_missing")
    if isinstance(exc, PostingRefused):
        return Outcome(JobState.FAILED, exc.code or "spam_risk")
    if isinstance(exc, RateLimited):
        return RetryLater("rate_limit_exceeded")
    if isinstance(exc, TikTokUnavailable | AccessTokenInvalid):
        return RetryLater("tiktok_unavailable")
    if isinstance(exc, BadRequest | UploadRejected):
        return Outcome(JobState.FAILED, "tiktok_rejected")
    if isinstance(exc, PostInfoInvalid):
        return Outcome(JobState.FAILED, exc.code)
    if isinstance(exc, VideoSizeError):
        return Outcome(JobState.FAILED, "video_too_large")
    if isinstance(exc, TikTokError):
        return RetryLater("tiktok_unavailable")
    return RetryLater("internal")


@dataclass(slots=True)
class RunContext:
    """What every run needs; built once by PublishService."""

    db: Database
    cipher: TokenCipher
    owner: str
    clock: Clock
    tuning: PublishTuning
    api: PublishingAPI
    videos: VideosAPI
    tokens: TokenManager
    files: TelegramFiles
    http: httpx.AsyncClient
    pacer: SharedPacer
    spool_dir: Path
    media: MediaStore
    public_base_url: str
    on_change: Callable[[int], None]


class JobRun:
    """Runs one job once, from wherever it stands."""

    def __init__(
        self,
        ctx: RunContext,
        job: PublishJobRecord,
        account: LinkedAccount | None,
        channel: ProgressChannel,
    ) -> None:
        self._ctx = ctx
        self.job = job
        self._account = account
        self._channel = channel
        self._request: PublishRequest = request_from_json(job.request_json)
        self._label = account.label if account else "TikTok"
        self._shown_percent = -1
        self._rate_limited = 0  # 429s in a row on status

    # -- entry -----------------------------------------------------------------

    async def run(self) -> None:
        """Advance the job as far as possible; raises only LeaseLost and cancellation."""
        try:
            outcome = await self._advance()
        except (LeaseLost, asyncio.CancelledError):
            raise
        except JobFailed as failed:
            outcome = Outcome(JobState.FAILED, failed.code)
        except JobUnconfirmed as unconfirmed:
            outcome = Outcome(JobState.UNCONFIRMED, unconfirmed.code)
        except RetryLater as retry:
            await self._retry_later(retry.code)
            return
        except Exception as exc:
            verdict = classify_failure(exc, started=self.job.publish_id is not None)
            if isinstance(verdict, RetryLater) and verdict.code == "internal":
                log.exception("job %s: unexpected error", self.job.id, exc_info=exc)
            elif isinstance(verdict, Outcome) and verdict.code == "tiktok_rejected":
                log.error("job %s: TikTok rejected our request: %s", self.job.id, exc)
            if isinstance(verdict, RetryLater):
                await self._retry_later(verdict.code)
                return
            outcome = verdict
        await self._end(outcome)

    async def _advance(self) -> Outcome:
        if self._account is None:
            raise JobFailed("account_gone")
        state = JobState(self.job.state)
        self._channel.show(state_text(self.job, self._label))
        if state is not JobState.PROCESSING:
            if self._request.kind is MediaKind.VIDEO:
                await self._video()
            else:
                await self._photos()
        return await self._await_outcome()

    # -- persistence -----------------------------------------------------------

    async def _save(self, **values: Any) -> None:
        """Write job fields if we still hold the lease (committed at once)."""
        async with self._ctx.db.transaction() as session:
            saved = await PublishJobRepository(session, self._ctx.cipher).update_leased(
                self.job.id, owner=self._ctx.owner, **dict(values)
            )
        if not saved:
            raise LeaseLost(str(self.job.id))
        self.job = replace(self.job, **values)
        self._ctx.on_change(self.job.id)

    def _now_plus(self, seconds: float) -> Any:
        return self._ctx.clock() + timedelta(seconds=seconds)

    async def _tiktok(self, operation: Callable[[str], Awaitable[T]]) -> T:
        """Call TikTok with the account's token (refreshed once if TikTok refuses it)."""
        return await self._ctx.tokens.call(self.job.account_id, operation)

    async def _status(self) -> PublishStatus:
        publish_id = self.job.publish_id
        assert publish_id is not None
        pacer = self._ctx.pacer
        await pacer.wait(self.job.account_id)
        try:
            status = await self._tiktok(lambda token: self._ctx.api.status(token, publish_id))
        except RateLimited:
            # One account's jobs share its token's budget: all of them pause.
            tuning = self._ctx.tuning
            self._rate_limited += 1
            pause = tuning.rate_limit_pause * 2 ** (self._rate_limited - 1)
            await pacer.pause(self.job.account_id, min(pause, tuning.rate_limit_pause_max))
            raise
        self._rate_limited = 0
        return status

    # -- video -----------------------------------------------------------------

    @property
    def _spool_path(self) -> Path:
        return self._ctx.spool_dir / f"{self.job.id}.part"

    async def _video(self) -> None:
        offset = 0
        reinit = False
        if self.job.publish_id is not None:
            status = await self._status()
            if status.status == PROCESSING_UPLOAD:
                offset = status.uploaded_bytes
            elif status.status == FAILED and status.fail_reason == PUBLISH_CANCELLED:
                reinit = True
            elif status.status == FAILED:
                raise JobFailed(status.fail_reason or "internal")
            else:
                await self._mark_processing()  # TikTok already has every byte
                return
        else:
            video_post_info(self._request.settings)  # fail before touching anything
            if self.job.state != JobState.DOWNLOADING:
                await self._save(state=JobState.DOWNLOADING.value)
            self._channel.show(texts.downloading(self.job.kind, None))
        source = await self._open_video_source()
        try:
            if self.job.publish_id is None:
                await self._init_video(source, first=True)
            elif reinit:
                await self._init_video(source, first=False)
            await self._upload(source, offset)
        finally:
            await source.close()
        await self._mark_processing()
        remove_spool(self._spool_path)

    async def _open_video_source(self) -> MediaSource:
        media = self._request.media[0]
        location = await self._ctx.files.locate(media.file_id)
        if location.local_path is not None:
            try:
                return LocalFile(location.local_path)
            except OSError:
                raise FileUnavailable("the local Bot API file is not readable") from None
        assert location.url is not None
        spool = SpoolDownload(
            self._ctx.http,
            location.url,
            self._spool_path,
            size=self.job.video_size or location.size or media.file_size,
            buffer_size=self._ctx.tuning.buffer_size,
        )
        await spool.start()
        return spool

    async def _init_video(self, source: MediaSource, *, first: bool) -> None:
        """Init a FILE_UPLOAD and save the publish_id before anything else happens."""
        settings = self._request.settings
        if first:
            head = await source.read(0, min(SNIFF_BYTES, source.size))
            content_type = sniff_video_type(head)
            if content_type is None:
                raise JobFailed("not_a_video")
            plan = ChunkPlan.for_size(source.size, preferred_chunk_size=self._ctx.tuning.chunk_size)
        else:
            assert self.job.video_size and self.job.chunk_size and self.job.content_type
            content_type = self.job.content_type
            plan = ChunkPlan.declared(self.job.video_size, self.job.chunk_size)
            log.info("job %s: upload URL expired and TikTok cancelled it; new init", self.job.id)
        post_info = video_post_info(settings)
        await self._ctx.pacer.wait_init(self.job.account_id)
        ticket = await self._tiktok(
            lambda token: self._ctx.api.init_video(
                token, post_info=post_info, source_info=plan.source_info()
            )
        )
        await self._save(
            publish_id=ticket.publish_id,
            upload_url=ticket.upload_url,
            upload_expires_at=self._now_plus(self._ctx.tuning.upload_url_ttl),
            video_size=plan.video_size,
            chunk_size=plan.chunk_size,
            content_type=content_type,
            uploaded_bytes=0,
            state=JobState.UPLOADING.value,
            inits=self.job.inits + 1,
            attempts=0,
        )
        if ticket.upload_url is None:
            raise JobFailed("tiktok_rejected")  # nothing can be uploaded: nothing will post

    async def _upload(self, source: MediaSource, offset: int) -> None:
        assert self.job.video_size is not None and self.job.chunk_size is not None
        plan = ChunkPlan.declared(self.job.video_size, self.job.chunk_size)
        if source.size != plan.video_size:
            raise JobFailed("file_unavailable")
        self._upload_progress(offset)
        tuning = self._ctx.tuning
        for _ in range(MAX_UPLOAD_CHECKS):
            assert self.job.upload_url is not None and self.job.content_type is not None
            uploader = ChunkUploader(
                api=self._ctx.api,
                upload_url=self.job.upload_url,
                plan=plan,
                source=source,
                content_type=self.job.content_type,
                buffer_size=tuning.buffer_size,
                attempts=tuning.chunk_attempts,
                retry_base=tuning.retry_base,
                retry_max=tuning.retry_max,
                read_timeout=tuning.read_timeout,
                on_progress=self._upload_progress,
            )
            try:
                await uploader.upload_from(plan.index_at(offset))
                return
            except UploadInterrupted as stop:
                log.info("job %s: upload interrupted (HTTP %s)", self.job.id, stop.status)
                status = await self._status()
            if status.status == PROCESSING_UPLOAD:
                # 416: continue where TikTok is. 403/404 while TikTok still says
                # "uploading": it has not confirmed the end of this upload, so a
                # new init could post twice; ask again after a pause.
                offset = status.uploaded_bytes
            elif status.status == FAILED and status.fail_reason == PUBLISH_CANCELLED:
                await self._init_video(source, first=False)
                offset = 0
            elif status.status == FAILED:
                raise JobFailed(status.fail_reason or "internal")
            else:
                return  # TikTok holds the whole file
        raise RetryLater("tiktok_unavailable")

    def _upload_progress(self, sent: int) -> None:
        size = self.job.video_size or 0
        percent = min(100, sent * 100 // size) if size else 0
        if percent != self._shown_percent:
            self._shown_percent = percent
            self._channel.show(texts.uploading(self._label, percent))

    async def _mark_processing(self) -> None:
        await self._save(
            state=JobState.PROCESSING.value,
            processing_since=self._ctx.clock(),
            uploaded_bytes=self.job.video_size or 0,
            upload_url=None,
            attempts=0,
        )

    # -- photos ----------------------------------------------------------------

    async def _photos(self) -> None:
        settings = self._request.settings
        post_info = photo_post_info(settings)  # fail before touching anything
        # A new token for every attempt: if an earlier init reached TikTok
        # without us hearing back, its URLs are dead and it cannot post.
        await self._remove_media()
        token = secrets.token_urlsafe(24)
        await self._save(state=JobState.DOWNLOADING.value, media_token=token)
        media = self._request.media
        for number, ref in enumerate(media):
            self._channel.show(texts.preparing_photos(number, len(media)))
            location = await self._ctx.files.locate(ref.file_id)
            download = self._ctx.spool_dir / f"{self.job.id}-photo-{number}.part"
            prepared = self._ctx.spool_dir / f"{self.job.id}-photo-{number}.jpg"
            try:
                await download_to(
                    self._ctx.http, location, download, buffer_size=self._ctx.tuning.buffer_size
                )
                await asyncio.to_thread(prepare_photo, download, prepared)
                await self._ctx.media.put(token, f"{number}.jpg", prepared)
            except PhotoUnusable:
                raise JobFailed(f"photo_unusable:{number + 1}") from None
            finally:
                remove_spool(download)
                prepared.unlink(missing_ok=True)  # stored (moved or copied) by now
        self._channel.show(texts.preparing_photos(len(media), len(media)))
        base = self._ctx.public_base_url.rstrip("/")
        urls = [f"{base}/media/{token}/{n}.jpg" for n in range(len(media))]
        await self._ctx.pacer.wait_init(self.job.account_id)
        ticket = await self._tiktok(
            lambda access: self._ctx.api.init_photos(
                access,
                post_mode=photo_post_mode(settings),
                post_info=post_info,
                source_info=photo_source_info(urls, settings.photo_cover_index),
            )
        )
        await self._save(
            publish_id=ticket.publish_id,
            state=JobState.PROCESSING.value,
            processing_since=self._ctx.clock(),
            inits=self.job.inits + 1,
            attempts=0,
        )

    # -- outcome ---------------------------------------------------------------

    async def _await_outcome(self) -> Outcome:
        """Poll status with backoff until TikTok gives a final answer."""
        tuning = self._ctx.tuning
        since = self.job.processing_since or self._ctx.clock()
        interval = tuning.poll_min_interval
        trouble = 0
        complete_at = None
        self._channel.show(texts.processing(self.job.kind, self._label))
        while True:
            if (self._ctx.clock() - since).total_seconds() > tuning.processing_deadline:
                return Outcome(JobState.UNCONFIRMED, "deadline")
            try:
                status = await self._status()
            except (RateLimited, TikTokUnavailable, AccessTokenInvalid):
                # Keep polling slower; say so only when it persists.
                trouble += 1
                if trouble == tuning.tell_after_attempts:
                    self._channel.show(texts.processing(self.job.kind, self._label, slow=True))
                interval = min(interval * 2, tuning.poll_max_interval * 2)
                await asyncio.sleep(interval)
                continue
            if trouble >= tuning.tell_after_attempts:
                self._channel.show(texts.processing(self.job.kind, self._label))
            trouble = 0
            if status.status == PUBLISH_COMPLETE:
                complete_at = complete_at or self._ctx.clock()
                outcome = await self._published(status, complete_at)
                if outcome is not None:
                    return outcome
            elif status.status == SEND_TO_USER_INBOX:
                return Outcome(JobState.IN_INBOX)
            elif status.status == FAILED:
                return Outcome(JobState.FAILED, status.fail_reason or "internal")
            await asyncio.sleep(interval)
            interval = min(interval * tuning.poll_growth, tuning.poll_max_interval)

    async def _published(self, status: PublishStatus, complete_at: Any) -> Outcome | None:
        """The outcome of a completed post, or None to wait for a late post id."""
        if status.share_url:
            post_id = status.post_ids[0] if status.post_ids else None
            return Outcome(JobState.PUBLISHED, post_id=post_id, share_url=status.share_url)
        if status.post_ids:
            post_id = status.post_ids[0]
            share_url = await self._share_url(post_id)
            code = None if share_url else "no_link"
            return Outcome(JobState.PUBLISHED, code, post_id=post_id, share_url=share_url)
        if self._request.settings.privacy_level == "SELF_ONLY":
            return Outcome(JobState.PUBLISHED, "private")  # TikTok never gives these an id
        waited = (self._ctx.clock() - complete_at).total_seconds()
        if waited >= self._ctx.tuning.post_id_grace:
            return Outcome(JobState.PUBLISHED, "no_link")
        return None  # public ids "may arrive minutes late"

    async def _share_url(self, post_id: str) -> str | None:
        """The post's link from /v2/video/query/ (needs the video.list scope)."""
        if self._account is None or "video.list" not in self._account.scopes:
            return None
        try:
            videos = await self._tiktok(lambda token: self._ctx.videos.query(token, [post_id]))
        except (TikTokError, AccountNeedsRelink) as exc:
            log.info("job %s: no share_url from video/query: %s", self.job.id, exc)
            return None
        return next((v.share_url for v in videos if v.id == post_id and v.share_url), None)

    # -- endings ---------------------------------------------------------------

    async def _retry_later(self, code: str) -> None:
        tuning = self._ctx.tuning
        attempts = self.job.attempts + 1
        if attempts >= tuning.job_max_attempts:
            state = JobState.UNCONFIRMED if self.job.publish_id else JobState.FAILED
            await self._end(Outcome(state, code))
            return
        delay = min(tuning.job_retry_base * 2 ** (attempts - 1), tuning.job_retry_max)
        log.info("job %s: %s, retrying in %.0f s (attempt %s)", self.job.id, code, delay, attempts)
        await self._save(attempts=attempts, not_before=self._now_plus(delay), outcome_code=code)
        if attempts >= tuning.tell_after_attempts:
            self._channel.show(texts.retrying(state_text(self.job, self._label), code, delay))

    async def _end(self, outcome: Outcome) -> None:
        await self._save(
            state=outcome.state.value,
            outcome_code=outcome.code,
            post_id=outcome.post_id,
            share_url=outcome.share_url,
            finished_at=self._ctx.clock(),
            upload_url=None,
        )
        log.info("job %s ended %s (%s)", self.job.id, outcome.state.value, outcome.code or "-")
        remove_spool(self._spool_path)
        await self._remove_media()
        text = outcome_text(
            self.job,
            label=self._label,
            username=self._account.username if self._account else None,
            privacy_level=self._request.settings.privacy_level,
        )
        if await self._channel.finish(text):
            async with self._ctx.db.transaction() as session:
                await PublishJobRepository(session, self._ctx.cipher).mark_notified(
                    self.job.id, self._ctx.clock()
                )

    async def _remove_media(self) -> None:
        """Delete the job's photo files: from now on /media answers 404 for them."""
        token = self.job.media_token
        if token:
            await self._ctx.media.delete(token)
