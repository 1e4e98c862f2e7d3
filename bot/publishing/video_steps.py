"""The video steps of a run: download (or read in place), init, chunked upload.

Resumes from TikTok's own count of received bytes, never from byte 0
(docs/tiktok-api.md, "Chunked upload"); a fresh init only after TikTok
cancelled the old upload.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable

from bot.media.sniff import HEAD_BYTES, video_content_type
from bot.publishing.chunks import ChunkPlan
from bot.publishing.events import (
    Downloading,
    UploadProgress,
)
from bot.publishing.jobs import JobState
from bot.publishing.lane import LaneTools
from bot.publishing.outcomes import JobEnds
from bot.publishing.post_info import (
    video_post_info,
)
from bot.publishing.run_state import (
    FAILED,
    MAX_UPLOAD_CHECKS,
    PROCESSING_UPLOAD,
    PUBLISH_CANCELLED,
    LeaseCheckedSource,
    RunState,
)
from bot.publishing.sources import (
    FileLocation,
    FileUnavailable,
    LocalFile,
    MediaSource,
    SpoolDownload,
    remove_spool,
)
from bot.publishing.upload import ChunkUploader, ProgressCallback, UploadInterrupted

log = logging.getLogger(__name__)


class VideoSteps(RunState):
    """Getting a video's bytes to TikTok."""

    # -- video -----------------------------------------------------------------

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
                raise JobEnds.failed(status.fail_reason or "internal")
            else:
                await self._mark_processing()  # TikTok already has every byte
                return
        else:
            video_post_info(self._request.choices)  # fail before touching anything
            if self.job.state != JobState.DOWNLOADING:
                await self._save(state=JobState.DOWNLOADING.value)
            self._events.emit(Downloading(self.job, self._label))
        location = await self._ctx.files.locate(self._request.media[0].file_id)
        # The source lives on the transfer lane: it is opened, read and closed there.
        lane = self._ctx.lane
        source = await lane.run(lambda tools: self._open_video_source(location, tools))
        try:
            if self.job.publish_id is None:
                await self._init_video(source, first=True)
            elif reinit:
                await self._init_video(source, first=False)
            await self._upload(source, offset)
        finally:
            await lane.run(lambda _tools: source.close())
        await self._mark_processing()
        remove_spool(self._spool_path)

    async def _open_video_source(self, location: FileLocation, tools: LaneTools) -> MediaSource:
        """On the lane: the file read in place, or a download into the spool."""
        if location.local_path is not None:
            try:
                return LocalFile(location.local_path, may_block=tools.dedicated)
            except OSError:
                raise FileUnavailable("the local Bot API file is not readable") from None
        assert location.url is not None
        spool = SpoolDownload(
            tools.downloads or self._ctx.http,
            location.url,
            self._spool_path,
            size=self.job.video_size or location.size or self._request.media[0].file_size,
            buffer_size=self._ctx.tuning.buffer_size,
        )
        await spool.start()
        return spool

    async def _init_video(self, source: MediaSource, *, first: bool) -> None:
        """Init a FILE_UPLOAD and save the publish_id before anything else happens."""
        choices = self._request.choices
        if first:
            head = await self._ctx.lane.run(
                lambda _tools: source.read(0, min(HEAD_BYTES, source.size))
            )
            content_type = video_content_type(bytes(head))
            if content_type is None:
                raise JobEnds.failed("not_a_video")
            plan = ChunkPlan.for_size(source.size, preferred_chunk_size=self._ctx.tuning.chunk_size)
        else:
            assert self.job.video_size and self.job.chunk_size and self.job.content_type
            content_type = self.job.content_type
            plan = ChunkPlan.declared(self.job.video_size, self.job.chunk_size)
            log.info("job %s: upload URL expired and TikTok cancelled it; new init", self.job.id)
        post_info = video_post_info(choices)
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
            raise JobEnds.failed("tiktok_rejected")  # nothing can be uploaded: nothing will post

    async def _upload(self, source: MediaSource, offset: int) -> None:
        assert self.job.video_size is not None and self.job.chunk_size is not None
        plan = ChunkPlan.declared(self.job.video_size, self.job.chunk_size)
        if source.size != plan.video_size:
            raise JobEnds.failed("file_unavailable")
        self._upload_progress(offset)
        for _ in range(MAX_UPLOAD_CHECKS):
            assert self.job.upload_url is not None and self.job.content_type is not None
            transfer = functools.partial(
                self._transfer,
                plan=plan,
                source=source,
                upload_url=self.job.upload_url,
                content_type=self.job.content_type,
                start=plan.index_at(offset),
            )
            try:
                await self._ctx.lane.run(transfer)
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
                raise JobEnds.failed(status.fail_reason or "internal")
            else:
                return  # TikTok holds the whole file
        raise JobEnds.retry("tiktok_unavailable")

    async def _transfer(
        self,
        tools: LaneTools,
        *,
        plan: ChunkPlan,
        source: MediaSource,
        upload_url: str,
        content_type: str,
        start: int,
    ) -> None:
        """On the lane: chunks `start`.. to TikTok; the lease check and progress go home."""

        async def chunk_reached(at: int) -> None:
            await tools.at_home(lambda: self._chunk_reached(at))

        tuning = self._ctx.tuning
        uploader = ChunkUploader(
            api=self._ctx.api,
            upload_url=upload_url,
            plan=plan,
            source=LeaseCheckedSource(source, plan.chunk_size, chunk_reached),
            content_type=content_type,
            buffer_size=tuning.buffer_size,
            attempts=tuning.chunk_attempts,
            retry_base=tuning.retry_base,
            retry_max=tuning.retry_max,
            read_timeout=tuning.read_timeout,
            on_progress=progress_steps(plan.video_size, tools, self._upload_progress),
            http=tools.uploads,
        )
        await uploader.upload_from(start)

    async def _chunk_reached(self, offset: int) -> None:
        """Record TikTok's progress under the lease (LeaseLost if it is gone)."""
        await self._save(uploaded_bytes=offset)

    def _upload_progress(self, sent: int) -> None:
        size = self.job.video_size or 0
        percent = upload_percent(sent, size)
        if percent != self._shown_percent:
            self._shown_percent = percent
            self._events.emit(UploadProgress(self.job, self._label, percent=percent))

    async def _mark_processing(self) -> None:
        await self._save(
            state=JobState.PROCESSING.value,
            processing_since=self._ctx.clock(),
            uploaded_bytes=self.job.video_size or 0,
            upload_url=None,
            attempts=0,
        )


def upload_percent(sent: int, size: int) -> int:
    """Whole percent of `size` sent (0 for an unknown size)."""
    return min(100, sent * 100 // size) if size else 0


# How often at most a transfer tells the chat's loop how far it got. The
# progress message is edited every few seconds at most (ProgressChannel); a
# tell per percent woke the home loop a hundred times per upload, and while
# the home loop runs the transfer thread waits for the GIL.
PROGRESS_HOME_EVERY = 0.25


def progress_steps(
    size: int,
    tools: LaneTools,
    at_home: ProgressCallback,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> ProgressCallback:
    """Progress sent home when the percentage moves, at most every PROGRESS_HOME_EVERY s.

    The first step and 100% always go.
    """
    shown = -1
    told_at = -math.inf  # the first step always goes

    def on_progress(sent: int) -> None:
        nonlocal shown, told_at
        percent = upload_percent(sent, size)
        if percent == shown:
            return
        now = clock()
        if percent < 100 and now - told_at < PROGRESS_HOME_EVERY:
            return
        shown, told_at = percent, now
        tools.tell_home(at_home, sent)

    return on_progress
